"""The printable Planilla de asistencia (see :mod:`..domain.signin`), written row by row
while the attendance data streams past, next to the Asistencia sheet."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain import SIGN_IN_COLUMNS, SIGNATURE_ROW_POINTS
from . import printing
from .tables import HEADER_ROW, header_cells
from .writer import Book, Styled

#: the style of each column's cells (ruled boxes to write in)
_STYLES = ("ruled_number", "ruled_wrap", "ruled", "ruled_wrap", "ruled_wrap", "ruled_time",
           "ruled")  # fmt: skip


def widths() -> list[float]:
    return [width for _, width in SIGN_IN_COLUMNS]


def page() -> printing.Page:
    """Landscape A4, every column on one page wide, the header row on every page."""
    return printing.Page(
        landscape=True,
        scale=printing.fit_scale(widths(), landscape=True),
        repeat_rows=(HEADER_ROW, HEADER_ROW),
    )


class SignInSheet:
    """The planilla: a header block, the column headers (repeated on every page) and one
    ruled line per person; in a national file each assembly starts on a new page under its
    own title and numbers its people from 1."""

    def __init__(self, book: Book, title: str, lines: Sequence[str]) -> None:
        self.sheet = sheet = book.sheet(title)
        for index, width in enumerate(widths()):
            sheet.worksheet.set_column(index, index, width)
        sheet.merge_title("\n".join(lines), len(SIGN_IN_COLUMNS), height=16 * len(lines) + 6)
        sheet.append([])
        sheet.append(header_cells(column.header for column, _ in SIGN_IN_COLUMNS), height=30)
        self.number = 0
        self.assembly: object = None
        self.breaks: list[int] = []

    def section(self, key: object, title: str) -> None:
        """Start the people of another assembly (national file): a page break and a title."""
        if key == self.assembly:
            return
        if self.assembly is not None:
            self.breaks.append(self.sheet.rows + 1)
        self.assembly, self.number = key, 0
        self.sheet.append([Styled(title, "section")], height=22)

    def person(self, row: Sequence[object]) -> None:
        """One person's line (``domain.sign_in_row`` without its number)."""
        self.number += 1
        values = [self.number, *row[1:]]
        self.sheet.append(
            [Styled(v, style) for v, style in zip(values, _STYLES, strict=True)],
            height=SIGNATURE_ROW_POINTS,
        )

    def finish(self, marks: printing.Marks) -> int:
        """Page setup; returns the number of people listed."""
        printing.apply(self.sheet, page(), marks)
        if self.breaks:
            self.sheet.worksheet.set_h_pagebreaks([row - 1 for row in self.breaks])
        return self.sheet.rows - HEADER_ROW
