"""Table sheets: a header block, a styled, frozen and filtered header row, one row per item."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..domain import Column
from . import printing
from .writer import Book, Sheet, Styled

WIDTHS = {"short": 10, "text": 18, "long": 30, "wide": 45, "date": 12, "datetime": 17, "int": 11}
HEADER_ROW = 3  # row 1 the header block, row 2 blank
#: the smallest print scale (percent) a table is shrunk to before it spreads to more pages
MIN_SCALE = 60
#: rows of free space under a table that still get the drop-down lists
CHOICE_MARGIN = 500


def column_width(column: Column) -> float:
    return max(WIDTHS.get(column.kind, 18), min(len(column.header) + 2, 24))


def header_block(sheet: Sheet, lines: Sequence[str], width: int) -> None:
    """Row 1: one merged cell holding the agreement line and the assembly data. One cell,
    not one per line, so that the pre-registration importer skips it as a title line and an
    Asistencia export can be imported back as it is. Row 2 stays blank."""
    sheet.merge_title("\n".join(lines), max(width, 6), height=16 * len(lines) + 6)
    sheet.append([])


def header_cells(headers: Iterable[str], style: str = "header") -> list[Styled]:
    return [Styled(header, style) for header in headers]


def write_table(
    book: Book,
    title: str,
    lines: Sequence[str],
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    choices: dict[int, Sequence[str]] | None = None,
    marks: printing.Marks | None = None,
    identity: tuple[int, int] | None = None,
    min_scale: int = MIN_SCALE,
    sheet: Sheet | None = None,
) -> int:
    """A sheet with the header block, a styled and frozen header row, an autofilter, set
    column widths, real dates, and one row per item of ``rows`` (streamed). ``choices``
    gives columns (0-based) a drop-down list. Returns the number of data rows.

    It prints landscape with every column: one page wide when that needs no less than
    ``min_scale`` percent; wider tables print page after page to the right, the header row
    and the ``identity`` columns (first, last; 0-based: who the row is about) repeated on
    every page. ``marks`` go in the page header and footer. ``sheet``: a sheet already made
    (to keep the workbook's order), else a new one called ``title``."""
    sheet = sheet or book.sheet(title)
    worksheet = sheet.worksheet
    wrap = book.format("wrap")
    for index, column in enumerate(columns):
        # long texts wrap (LibreOffice sizes such rows to fit them when it opens the file)
        style = wrap if column.kind == "wide" else None
        worksheet.set_column(index, index, column_width(column), style)
        if column.kind in ("date", "datetime"):
            sheet.column_styles[index] = column.kind
    worksheet.freeze_panes(HEADER_ROW, 0)
    header_block(sheet, lines, len(columns))
    sheet.append(header_cells(c.header for c in columns), height=48)
    count = sheet.extend(rows)
    last_row = HEADER_ROW + max(count, 1)
    worksheet.autofilter(HEADER_ROW - 1, 0, last_row - 1, len(columns) - 1)
    for index, options in (choices or {}).items():
        worksheet.data_validation(
            HEADER_ROW,
            index,
            last_row - 1 + CHOICE_MARGIN,
            index,
            {
                "validate": "list",
                "source": list(options),
                "ignore_blank": True,
                "error_type": "stop",
                "error_title": "Valor no válido",
                "error_message": "Elija una opción de la lista.",
            },
        )
    widths = [column_width(column) for column in columns]
    scale = printing.fit_scale(widths, landscape=True)
    wide = scale < min_scale
    page = printing.Page(
        landscape=True,
        scale=max(scale, min_scale),
        repeat_rows=(HEADER_ROW, HEADER_ROW),
        repeat_columns=identity if wide else None,
        gridlines=True,
        across_first=wide,
    )
    printing.apply(sheet, page, marks or printing.Marks())
    return count
