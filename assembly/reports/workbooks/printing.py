"""Page setup, so every sheet prints cleanly on A4 (from Excel or LibreOffice alike).

Every sheet gets: A4 paper, its own orientation, an explicit print scale (computed from the
column widths, so that both Excel and LibreOffice print the same pages; "fit to width" is
read differently by the two), the header row(s) repeated on every page, the agreement line
and the sheet's name in the page header, and "Página N" (each sheet from 1) in the footer. Sheets made of
blocks (a table and its chart) get manual page breaks so that no block is cut across pages.

Widths are in Excel's character units: a column ``w`` wide is ``7·w + 5`` pixels at 96 dpi
(the default font's digit is 7 pixels), which is what both programs lay out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .writer import Sheet

A4_CM = (21.0, 29.7)
PAPER_A4 = 9  # the paper code Excel uses for A4
#: page margins in cm: left/right, top/bottom (room for the header and footer), and the
#: distance of the header and footer from the paper's edge
SIDE_CM, TOP_CM, BOTTOM_CM, HEADER_CM = 1.3, 2.0, 1.8, 0.7
#: LibreOffice lays columns out ~7 % wider than Excel (its digit of Liberation Sans 10 is
#: 7.4 pixels, Excel counts 7): keep this much of the width spare
SPARE = 0.9
DEFAULT_ROW_POINTS = 15.0
POINTS_PER_CM = 72 / 2.54
HEADER_LIMIT = 255  # Excel's limit for one header or footer string, codes included


def column_cm(width: float) -> float:
    return (7 * width + 5) / 96 * 2.54


def printable_cm(*, landscape: bool) -> tuple[float, float]:
    """(width, height) of the printable area of an A4 page, in cm."""
    short, long = A4_CM
    width, height = (long, short) if landscape else (short, long)
    return width - 2 * SIDE_CM, height - TOP_CM - BOTTOM_CM


def fit_scale(widths: Sequence[float], *, landscape: bool, extra_cm: float = 0.0) -> int:
    """The largest print scale (percent, at most 100) at which columns ``widths`` (plus
    ``extra_cm``, e.g. a chart beside them) fit one page wide."""
    needed = sum(column_cm(w) for w in widths) + extra_cm
    available = printable_cm(landscape=landscape)[0] * SPARE
    return max(10, min(100, math.floor(available / needed * 100)))


@dataclass(frozen=True)
class Marks:
    """What every printed page carries: the agreement line (page header, left) and the
    assembly (page footer, left, beside "Página N")."""

    agreement: str = ""
    footer: str = ""


@dataclass(frozen=True)
class Page:
    """How one sheet prints."""

    landscape: bool
    #: print scale, percent
    scale: int
    #: first and last row (1-based) repeated at the top of every page
    repeat_rows: tuple[int, int] | None = None
    #: first and last column (0-based) repeated at the left of every page
    repeat_columns: tuple[int, int] | None = None
    #: print the cell grid (data sheets without borders)
    gridlines: bool = False
    #: the last column (0-based) of the print area; None: what the sheet uses
    last_column: int | None = None
    #: print page after page to the right first (a wide table: one row stays together)
    across_first: bool = False


def _header_text(text: str, room: int) -> str:
    """Text for a header/footer: "&" doubled (it starts a code), cut to ``room`` characters."""
    text = " ".join(text.split())
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return text.replace("&", "&&")


def apply(sheet: Sheet, page: Page, marks: Marks) -> None:
    """Set up ``sheet`` to print as ``page`` says, with ``marks`` in its header and footer.
    Call it once the rows are written (the print area covers them)."""
    worksheet = sheet.worksheet
    worksheet.set_paper(PAPER_A4)
    if page.landscape:
        worksheet.set_landscape()
    else:
        worksheet.set_portrait()
    inch = 1 / 2.54
    worksheet.set_margins(
        left=SIDE_CM * inch, right=SIDE_CM * inch, top=TOP_CM * inch, bottom=BOTTOM_CM * inch
    )
    worksheet.set_print_scale(page.scale)
    worksheet.set_start_page(1)  # each sheet numbers its own pages (LibreOffice runs on)
    if page.repeat_rows:
        first, last = page.repeat_rows
        worksheet.repeat_rows(first - 1, last - 1)
    if page.repeat_columns:
        worksheet.repeat_columns(*page.repeat_columns)
    if page.gridlines:
        worksheet.hide_gridlines(0)  # 0: print the grid too
    if page.across_first:
        worksheet.print_across()
    if page.last_column is not None:
        worksheet.print_area(0, 0, max(sheet.rows, 1) - 1, page.last_column)
    options = {"margin": HEADER_CM * inch}
    worksheet.set_header(f"&L&8{_header_text(marks.agreement, 150)}&R&8&A", options)
    worksheet.set_footer(f"&L&8{_header_text(marks.footer, 150)}&R&8Página &P", options)


def page_breaks(sheet: Sheet, page: Page, *, top_rows: int) -> list[int]:
    """Manual page breaks (1-based first rows of new pages) so that no block in
    ``sheet.sections`` is cut across pages when it fits on one; a longer block starts on a
    fresh page and runs on. ``top_rows`` rows (the header block) open the first page."""
    usable = printable_cm(landscape=page.landscape)[1] * POINTS_PER_CM * 100 / page.scale
    usable *= SPARE

    def height(first: int, last: int) -> float:
        return sum(sheet.heights.get(r, DEFAULT_ROW_POINTS) for r in range(first, last + 1))

    breaks: list[int] = []
    used = height(1, top_rows)
    for first, last in sheet.sections:
        block = height(first, last)
        if used > 0 and used + block > usable:
            breaks.append(first)
            used = 0.0
        used += block
        while used > usable:  # a block longer than a page runs on by itself
            used -= usable
    if breaks:
        sheet.worksheet.set_h_pagebreaks([row - 1 for row in breaks])
    return breaks
