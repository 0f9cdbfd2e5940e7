"""The report workbooks, built with openpyxl from plain rows (see :mod:`.domain`).

Every workbook is write-only: rows stream to temporary files, so 5,000 attendees take a few
megabytes instead of a whole in-memory model. openpyxl's own write-only row writer spends
~8 µs per cell serialising one element at a time through the standard library (lxml is not
installed); :class:`FastSheet` writes plain cells (text, numbers, dates) as ready-made XML and
hands anything else (formulas, styled cells) to openpyxl's cell writer, which makes a 5,000
row attendance list about nine times faster and byte-for-byte the same kind of file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from .domain import Column, Tally

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
PERCENT_FORMAT = "0.0%"
WIDTHS = {"short": 10, "text": 18, "long": 30, "wide": 45, "date": 12, "datetime": 17, "int": 11}

_LETTERS = [get_column_letter(i) for i in range(1, 400)]
# Control characters other than tab and line breaks are not allowed in XML 1.0.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

TITLE_FONT = Font(bold=True, size=12, color="1E3A8A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1E3A8A")
SECTION_FONT = Font(bold=True, size=12, color="1E3A8A")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin", color="1E3A8A"))
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


class Formula(str):
    """A cell formula ("=SUM(B5:B9)"); any other text is written as text, never evaluated,
    so a need typed as "=HYPERLINK(...)" on a phone stays words in the supervisor's Excel."""


class FastSheet(WriteOnlyWorksheet):
    """A write-only sheet whose plain cells are written as XML text (see the module doc)."""

    def __init__(self, parent, title):
        super().__init__(parent, title)
        #: column index (0-based) -> number format for the dates in that column
        self.date_formats: dict[int, str] = {}
        self._style_ids: dict[str, int] = {}

    def _style_id(self, number_format: str) -> int:
        if number_format not in self._style_ids:
            probe = WriteOnlyCell(self, None)
            probe.number_format = number_format
            self._style_ids[number_format] = probe.style_id
        return self._style_ids[number_format]

    def _write_rows(self):
        xf = self._writer.xf.send(True)
        raw = xf._file  # et_xmlfile's text sink: what xf.element() itself writes with
        epoch = self.parent.epoch
        dimensions = self.row_dimensions
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if row_idx in dimensions:  # heights set before writing (header rows)
                        extra = "".join(
                            f' {key}="{value}"' for key, value in dict(dimensions[row_idx]).items()
                        )
                        parts = [f'<row r="{row_idx}"{extra}>']
                    else:
                        parts = [f'<row r="{row_idx}">']
                    for col, value in enumerate(row):
                        if value is None:
                            continue
                        kind = type(value)
                        ref = f"{_LETTERS[col]}{row_idx}"
                        if kind is str:
                            if not value:
                                continue
                            if _ILLEGAL.search(value):
                                value = _ILLEGAL.sub("", value)
                            space = (
                                ' xml:space="preserve"'
                                if value[0].isspace() or value[-1].isspace()
                                else ""
                            )
                            parts.append(
                                f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
                            )
                        elif kind is int or kind is float:
                            if kind is float and not math.isfinite(value):
                                continue
                            parts.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
                        elif kind is bool:
                            parts.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
                        elif kind is date or kind is datetime:
                            default = DATETIME_FORMAT if kind is datetime else DATE_FORMAT
                            style = self._style_id(self.date_formats.get(col, default))
                            parts.append(
                                f'<c r="{ref}" s="{style}" t="n"><v>{to_excel(value, epoch)}</v></c>'
                            )
                        else:
                            raw("".join(parts))
                            parts = []
                            cell = value if isinstance(value, Cell) else WriteOnlyCell(self, value)
                            cell.column, cell.row = col + 1, row_idx
                            write_cell(xf, self, cell, cell.has_style)
                    parts.append("</row>")
                    raw("".join(parts))
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def new_workbook() -> Workbook:
    workbook = openpyxl.Workbook(write_only=True)
    workbook.iso_dates = False
    return workbook


def add_sheet(workbook: Workbook, title: str) -> FastSheet:
    sheet = FastSheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet


def _styled(sheet, value, *, font=None, fill=None, alignment=None, border=None, number_format=None):
    cell = WriteOnlyCell(sheet, value)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    if border:
        cell.border = border
    if number_format:
        cell.number_format = number_format
    return cell


def _header_block(sheet: FastSheet, lines: Sequence[str], width: int) -> None:
    """Row 1: one merged cell holding the agreement line and the assembly data. One cell,
    not one per line, so that the pre-registration importer skips it as a title line and an
    Asistencia export can be imported back as it is."""
    last = _LETTERS[max(width, 6) - 1]
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.row_dimensions[1].height = 16 * len(lines) + 6
    sheet.append([_styled(sheet, "\n".join(lines), font=TITLE_FONT, alignment=WRAP_TOP)])
    sheet.append([])


HEADER_ROW = 3  # row 1 the header block, row 2 blank


def write_table(
    workbook: Workbook,
    title: str,
    lines: Sequence[str],
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    choices: dict[int, Sequence[str]] | None = None,
) -> int:
    """A sheet with the header block, a styled and frozen header row, an autofilter, set
    column widths, real dates, and one row per item of ``rows`` (streamed). ``choices``
    gives columns (0-based) a drop-down list. Returns the number of data rows."""
    sheet = add_sheet(workbook, title)
    for index, column in enumerate(columns):
        sheet.column_dimensions[_LETTERS[index]].width = max(
            WIDTHS.get(column.kind, 18), min(len(column.header) + 2, 24)
        )
        if column.kind in ("date", "datetime"):
            sheet.date_formats[index] = DATE_FORMAT if column.kind == "date" else DATETIME_FORMAT
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.row_dimensions[HEADER_ROW].height = 48
    _header_block(sheet, lines, len(columns))
    sheet.append(
        [
            _styled(sheet, c.header, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)
            for c in columns
        ]
    )
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    last_column = _LETTERS[len(columns) - 1]
    last_row = HEADER_ROW + max(count, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for index, options in (choices or {}).items():
        letter = _LETTERS[index]
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(options) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Valor no válido",
            error="Elija una opción de la lista.",
        )
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + max(count, 1) + 500}")
        sheet.data_validations.append(validation)
    return count


# --------------------------------------------------------------------------------------------
# Participación
# --------------------------------------------------------------------------------------------

PARTICIPATION_HEADERS = (
    "Categoría",
    "Inscritas",
    "% de inscritas",
    "Asistentes",
    "% de asistentes",
)
CHART_ANCHOR_COLUMN = "H"
_ROW_CM = 0.53  # a default-height row


def _percent(sheet, numerator: str, denominator: str):
    return _styled(
        sheet,
        Formula(f"=IF({denominator}=0,0,{numerator}/{denominator})"),
        number_format=PERCENT_FORMAT,
    )


def _header_cells(sheet, headers: Sequence[str]) -> list:
    return [
        _styled(sheet, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)
        for h in headers
    ]


def _chart(title: str, first_row: int, last_row: int, sheet, *, horizontal: bool) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title = title
    chart.y_axis.title = "Personas"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    header = first_row - 1
    for column in (2, 4):  # Inscritas, Asistentes (their headers name the series)
        data = Reference(sheet, min_col=column, min_row=header, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first_row, max_row=last_row))
    chart.width = 17
    chart.height = max(7.5, 0.55 * (last_row - first_row + 1) + 3)
    chart.legend.position = "b"
    return chart


class _Rows:
    """Counts the rows appended, so formulas and charts can name their cells."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.current = 0

    def append(self, row) -> int:
        self.sheet.append(row)
        self.current += 1
        return self.current

    def pad_to(self, row: int) -> None:
        while self.current < row:
            self.append([])


def write_participation(
    workbook: Workbook,
    title: str,
    lines: Sequence[str],
    tally: Tally,
    *,
    per_assembly: Sequence[tuple[str, date, Tally]] = (),
    dimensions=None,
) -> None:
    """Counts and percentages by each dimension, registered and attended apart; a total row
    per table made of =SUM formulas and percentages made of formulas (so that they add up in
    Excel and follow any correction typed there); one native bar chart per table."""
    from .domain import DIMENSIONS, KEY_POPULATIONS

    dimensions = dimensions or DIMENSIONS
    sheet = add_sheet(workbook, title)
    widths = {"A": 44, "B": 12, "C": 13, "D": 12, "E": 14}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    rows = _Rows(sheet)
    sheet.merged_cells.add("A1:F1")
    sheet.row_dimensions[1].height = 16 * len(lines) + 6
    rows.append([_styled(sheet, "\n".join(lines), font=TITLE_FONT, alignment=WRAP_TOP)])
    rows.append([])

    # Summary: the populations the programmes exist to reach. People may be in several, so
    # there is no total row; the first row is everyone and the percentages refer to it.
    rows.append([_styled(sheet, "Resumen: poblaciones prioritarias", font=SECTION_FONT)])
    rows.append(_header_cells(sheet, PARTICIPATION_HEADERS))
    everyone = rows.append(
        [
            _styled(sheet, "Total de personas", font=TOTAL_FONT),
            tally.total.registered,
            None,
            tally.total.attended,
            None,
        ]
    )
    rows.append(
        [
            "Tasa de asistencia (asistentes / inscritas)",
            None,
            None,
            None,
            _percent(sheet, f"D{everyone}", f"B{everyone}"),
        ]
    )
    first = rows.current + 1
    for label, registered, attended in tally.population_rows():
        row = rows.current + 1
        rows.append(
            [
                label,
                registered,
                _percent(sheet, f"B{row}", f"B${everyone}"),
                attended,
                _percent(sheet, f"D{row}", f"D${everyone}"),
            ]
        )
    sheet.add_chart(
        _chart("Poblaciones prioritarias", first, rows.current, sheet, horizontal=True),
        f"{CHART_ANCHOR_COLUMN}{first - 2}",
    )
    rows.pad_to(first - 3 + math.ceil(max(7.5, 0.55 * len(KEY_POPULATIONS) + 3) / _ROW_CM) + 1)

    if per_assembly:
        rows.append([])
        _assembly_table(sheet, rows, per_assembly)

    for dimension in dimensions:
        data = tally.rows(dimension)
        rows.append([])
        start = rows.current + 1
        rows.append([_styled(sheet, dimension.title, font=SECTION_FONT)])
        rows.append(_header_cells(sheet, PARTICIPATION_HEADERS))
        first = rows.current + 1
        last = first + len(data) - 1
        total = last + 1
        for index, (category, registered, attended) in enumerate(data):
            row = first + index
            rows.append(
                [
                    category,
                    registered,
                    _percent(sheet, f"B{row}", f"B${total}"),
                    attended,
                    _percent(sheet, f"D{row}", f"D${total}"),
                ]
            )
        bold = {"font": TOTAL_FONT, "border": TOTAL_BORDER}
        rows.append(
            [
                _styled(sheet, "Total", **bold),
                _styled(sheet, Formula(f"=SUM(B{first}:B{last})" if data else "=0"), **bold),
                _styled(
                    sheet,
                    Formula(f"=SUM(C{first}:C{last})" if data else "=0"),
                    number_format=PERCENT_FORMAT,
                    **bold,
                ),
                _styled(sheet, Formula(f"=SUM(D{first}:D{last})" if data else "=0"), **bold),
                _styled(
                    sheet,
                    Formula(f"=SUM(E{first}:E{last})" if data else "=0"),
                    number_format=PERCENT_FORMAT,
                    **bold,
                ),
            ]
        )
        chart_rows = min(len(data), 20)  # a national file lists hundreds of municipalities
        if chart_rows:
            chart = _chart(
                dimension.title, first, first + chart_rows - 1, sheet, horizontal=chart_rows > 6
            )
            sheet.add_chart(chart, f"{CHART_ANCHOR_COLUMN}{start}")
            rows.pad_to(start + math.ceil(chart.height / _ROW_CM))


def _assembly_table(sheet, rows: _Rows, per_assembly) -> None:
    """National file: one row per assembly, attended counts of each priority population."""
    from .domain import KEY_POPULATIONS

    rows.append([_styled(sheet, "Por asamblea (asistentes)", font=SECTION_FONT)])
    headers = [
        "Asamblea",
        "Fecha",
        "Inscritas",
        "Asistentes",
        *(label for label, _ in KEY_POPULATIONS),
    ]
    rows.append(_header_cells(sheet, headers))
    first = rows.current + 1
    for name, when, tally in per_assembly:
        attended = dict((label, n) for label, _, n in tally.population_rows())
        rows.append(
            [
                name,
                _styled(sheet, when, number_format=DATE_FORMAT),
                tally.total.registered,
                tally.total.attended,
                *(attended[label] for label, _ in KEY_POPULATIONS),
            ]
        )
    last = rows.current
    bold = {"font": TOTAL_FONT, "border": TOTAL_BORDER}
    rows.append(
        [
            _styled(sheet, "Total", **bold),
            None,
            *(
                _styled(sheet, Formula(f"=SUM({_LETTERS[c]}{first}:{_LETTERS[c]}{last})"), **bold)
                for c in range(2, len(headers))
            ),
        ]
    )


def save(workbook: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(str(path))


def discard(workbook: Workbook) -> None:
    """Close and delete the temporary files of a workbook that will not be saved (an export
    that failed half-way); left alone, each open sheet stream errors when collected."""
    for sheet in workbook._sheets:
        rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
        try:
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                writer.cleanup()
        except (OSError, ValueError, StopIteration):  # half-written already: nothing to keep
            pass
