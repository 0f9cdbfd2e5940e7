"""Writing .xlsx files: XlsxWriter in ``constant_memory`` mode, through its public API only.

Why XlsxWriter. The reports used to write through openpyxl's private row writer (``FastSheet``),
which broke as soon as lxml was installed. Two maintained public options were measured on the
same 5,000-row attendance list (35 columns, one process each, same machine and run):
XlsxWriter ``constant_memory`` with one typed ``write_*`` call per cell took 1.2–1.4 s and
25 MB; openpyxl's public write-only ``append`` took 2.0–2.9 s and 30–34 MB (2.9 s without
lxml, 2.0 s with it). XlsxWriter also has what printing needs and openpyxl's write-only mode
lacks or hides: native charts, print scale, repeated rows and columns, headers and footers,
manual page breaks, and formulas written together with their computed value (so a viewer that
does not recalculate, or ``openpyxl`` with ``data_only``, still shows the right totals).
``tests/perf/bench_export.py`` keeps measuring the full export against XlsxWriter's fastest
mode (``write_row`` of plain values, no formats) in the same run.

``constant_memory`` writes each row to a temporary file as soon as the next one starts, so
memory stays flat whatever the number of rows; rows must therefore be written in order, which
:class:`Sheet` does (``append``).

Every text cell is written as text with ``write_string`` (never ``write``, which would turn
"=..." into a formula) and made inert by :func:`inert` (see there); only a :class:`Formula`
becomes a formula.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

import xlsxwriter

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TIME_FORMAT = "HH:MM"
PERCENT_FORMAT = "0.0%"
BLUE = "#1E3A8A"

#: named cell formats (XlsxWriter format properties); a sheet cell names one of these
STYLES: dict[str, dict] = {
    "title": {"bold": True, "font_size": 12, "font_color": BLUE, "text_wrap": True,
              "valign": "top"},
    "section": {"bold": True, "font_size": 12, "font_color": BLUE},
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": BLUE, "text_wrap": True,
               "valign": "vcenter", "border": 1, "border_color": "#FFFFFF"},
    "total": {"bold": True, "top": 1, "top_color": BLUE},
    "total_percent": {"bold": True, "top": 1, "top_color": BLUE, "num_format": PERCENT_FORMAT},
    "percent": {"num_format": PERCENT_FORMAT},
    "date": {"num_format": DATE_FORMAT},
    "datetime": {"num_format": DATETIME_FORMAT},
    "time": {"num_format": TIME_FORMAT},
    "bold": {"bold": True},
    "wrap": {"text_wrap": True},
    "ruled": {"border": 1, "border_color": "#6B7280", "valign": "vcenter", "font_size": 9},
    "ruled_wrap": {"border": 1, "border_color": "#6B7280", "valign": "vcenter", "font_size": 9,
                   "text_wrap": True},
    "ruled_time": {"border": 1, "border_color": "#6B7280", "valign": "vcenter", "font_size": 9,
                   "num_format": TIME_FORMAT, "align": "center"},
    "ruled_number": {"border": 1, "border_color": "#6B7280", "valign": "vcenter",
                     "font_size": 9, "align": "center"},
}  # fmt: skip

# Control characters other than tab and line breaks are not allowed in XML 1.0.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: a text that a spreadsheet would read as a formula (or as the start of one): OWASP's list
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_RISKY_FIRST = frozenset("=+-@\t\r'")


def inert(text: str) -> str:
    """The text to store in a cell so that no spreadsheet can take it for a formula: a value
    starting with = + - @ tab or CR (after any apostrophes) gets one leading apostrophe, as
    OWASP advises for CSV injection. The pre-registration importer strips exactly that
    apostrophe again, so an exported list imports back unchanged. Characters XML cannot hold
    are dropped and line breaks are written as LF (so a CR never reaches a cell at all)."""
    if not text.isprintable():  # fast path: most texts have no control character at all
        text = _ILLEGAL.sub("", text)
        if "\r" in text:  # a line break in a cell is LF; a CR would only travel as "_x000D_"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text[:1] in _RISKY_FIRST and _FORMULA_START.match(text):
        return "'" + text
    return text


class Formula(str):
    """A cell formula ("=SUM(B5:B9)"); any other text is written as text, never evaluated,
    so a need typed as "=HYPERLINK(...)" on a phone stays words in the supervisor's Excel."""

    #: the value the formula gives, written with it (Excel recalculates; viewers that do not,
    #: and openpyxl's data_only reading, show this)
    result: float | int | str = 0

    def __new__(cls, text: str, result: float | int | str = 0):
        formula = super().__new__(cls, text)
        formula.result = result
        return formula


@dataclass(frozen=True, slots=True)
class Styled:
    """A value written with one of :data:`STYLES`."""

    value: object
    style: str


class Book:
    """One workbook being written to ``target`` (a path or a binary buffer)."""

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self.target = target
        self.workbook = xlsxwriter.Workbook(
            str(target) if isinstance(target, str | Path) else target,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": DATETIME_FORMAT,
                # Arial: LibreOffice prints it with Liberation Sans, of the same widths, so
                # the pages come out as in Excel (Calibri would fall back to a wider font)
                "default_format_properties": {"font_name": "Arial", "font_size": 10},
            },
        )
        self.workbook.set_properties({"title": "Asamblea", "author": "Asamblea"})
        self._formats: dict[str, object] = {}
        self.sheets: list[Sheet] = []

    def format(self, style: str | None):
        if style is None:
            return None
        if style not in self._formats:
            self._formats[style] = self.workbook.add_format(STYLES[style])
        return self._formats[style]

    def sheet(self, title: str) -> Sheet:
        sheet = Sheet(self, self.workbook.add_worksheet(title))
        self.sheets.append(sheet)
        return sheet

    def chart(self, options: dict):
        return self.workbook.add_chart(options)

    def close(self) -> None:
        """Assemble and write the file (the temporary row files go away)."""
        self.workbook.close()


def save(book: Book, path: Path) -> None:
    """Close a book that was opened on ``partial_path(path)`` and move it into place, so a
    half-written file never carries the final name."""
    book.close()
    os.replace(partial_path(path), path)


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def discard(book: Book) -> None:
    """Close a workbook that will not be kept (an export that failed half-way) and delete what
    it wrote: closing is what removes XlsxWriter's temporary row files."""
    with contextlib.suppress(Exception):  # a half-built workbook may not assemble
        book.close()
    if isinstance(book.target, str | Path):
        Path(book.target).unlink(missing_ok=True)


class Sheet:
    """A worksheet written row after row (``constant_memory``)."""

    def __init__(self, book: Book, worksheet) -> None:
        self.book = book
        self.worksheet = worksheet
        self.title = worksheet.get_name()
        #: rows written so far; the next row is ``rows + 1`` (1-based, as in Excel)
        self.rows = 0
        #: column index (0-based) -> style of the dates and times in that column
        self.column_styles: dict[int, str] = {}
        #: row heights (1-based row -> points) of the rows written, for page layout
        self.heights: dict[int, float] = {}
        #: (first row, last row) of blocks that should print on one page (a table and its chart)
        self.sections: list[tuple[int, int]] = []

    def set_height(self, row: int, points: float) -> None:
        """Height of row ``row`` (1-based); call it before writing that row."""
        self.worksheet.set_row(row - 1, points)
        self.heights[row] = points

    def append(self, values: Sequence[object] = (), *, height: float | None = None) -> int:
        """Write the next row; returns its 1-based number."""
        self.rows += 1
        index = self.rows - 1
        if height is not None:
            self.set_height(self.rows, height)
        worksheet, book, styles = self.worksheet, self.book, self.column_styles
        for col, value in enumerate(values):
            style = None
            if type(value) is Styled:
                value, style = value.value, value.style
            kind = type(value)
            if value is None:
                if style:
                    worksheet.write_blank(index, col, None, book.format(style))
                continue
            if kind is str:
                if value:
                    worksheet.write_string(index, col, inert(value), book.format(style))
            elif kind is int or kind is float:
                if kind is float and not math.isfinite(value):
                    continue
                worksheet.write_number(index, col, value, book.format(style))
            elif kind is bool:
                worksheet.write_boolean(index, col, value, book.format(style))
            elif kind is datetime or kind is date:
                style = style or styles.get(col) or ("datetime" if kind is datetime else "date")
                worksheet.write_datetime(index, col, value, book.format(style))
            elif kind is Formula:
                worksheet.write_formula(index, col, value, book.format(style), value.result)
            else:
                worksheet.write_string(index, col, inert(str(value)), book.format(style))
        return self.rows

    def extend(self, rows: Iterable[Sequence[object]]) -> int:
        count = 0
        for row in rows:
            self.append(row)
            count += 1
        return count

    def pad_to(self, row: int) -> None:
        """Leave rows empty until ``row`` is the last one written."""
        self.rows = max(self.rows, row)

    def merge_title(self, text: str, width: int, *, height: float) -> int:
        """The next row as one merged cell over ``width`` columns."""
        self.rows += 1
        self.set_height(self.rows, height)
        index = self.rows - 1
        self.worksheet.merge_range(
            index, 0, index, max(width, 1) - 1, inert(text), self.book.format("title")
        )
        return self.rows
