"""The rows an import refused, as an .xlsx the operator fixes and imports again."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from assembly.registration.domain import (
    FIELDS_BY_KEY,
)
from assembly.registration.imports.mapping import SPECIAL_KEYS
from assembly.registration.imports.parse import Sheet
from assembly.registration.imports.validate import ImportPreview

if TYPE_CHECKING:
    from openpyxl.styles import Alignment, Font


def _field_label(key: str) -> str:
    if key in FIELDS_BY_KEY:
        return FIELDS_BY_KEY[key].label
    if key.startswith("extra_"):
        return "Pregunta adicional"
    return SPECIAL_KEYS.get(key, key)


def _cell(sheet, value: object, alignment: Alignment | None = None, font: Font | None = None):
    formula_like = isinstance(value, str) and value.startswith("=")
    if not (formula_like or alignment or font):
        return value  # plain values are cheaper than cell objects, and most cells are plain
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if formula_like:
        cell.data_type = "s"  # text from the list, never a formula when the file is opened
    if alignment:
        cell.alignment = alignment
    if font:
        cell.font = font
    return cell


def errors_workbook(
    preview: ImportPreview, table: Sheet, *, tick: Callable[[int, int], None] | None = None
) -> bytes:
    """An .xlsx of the rows that were not imported: row number, original cells, the reasons.

    In Spanish whatever the language of the screen, as every workbook the app writes: the
    reasons are the problems' Spanish sentences (``assembly.marks.Problem``), the labels the form's.

    The operator fixes the rows in this file and imports it again, so the original columns
    come first and in their order; the last column holds the messages. ``tick(rows written,
    rows)`` is called after every row: 999 refused rows take about half a second to write,
    so the request (or job) that writes them yields there (``core.jobs.paced``).
    """
    cells_of = dict(zip(table.row_numbers, table.rows, strict=True))
    problems: list[tuple[int, str]] = [
        (number, "\n".join(f"{_field_label(key)}: {message}" for key, message in errors.items()))
        for number, errors in preview.errors
    ]
    problems += [
        (number, f"Documento repetido: ya aparece en la fila {first}.")
        for number, first in preview.duplicates_in_file
    ]
    problems.sort()

    blank = [""] * len(table.headers)
    rows = [[number, *cells_of.get(number, blank), message] for number, message in problems]
    header = ["Fila", *table.headers, "Errores"]

    # openpyxl here, not at start-up: half a second a server (re)start does not need
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # Write-only: an import of 20,000 bad rows must not hold a full workbook model in memory.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Errores")
    sheet.freeze_panes = "B2"
    for index, title in enumerate(header[1:-1], start=1):
        # Widths from the first rows are good enough; measuring every row is not free.
        width = max([len(title), *(len(str(row[index])) for row in rows[:200])])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8) + 2, 40)
    sheet.column_dimensions[get_column_letter(len(header))].width = 80

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([_cell(sheet, title, font=bold) for title in header])
    for done, row in enumerate(rows, start=1):
        *cells, message = row
        sheet.append([_cell(sheet, value) for value in cells] + [_cell(sheet, message, wrap)])
        if tick is not None:
            tick(done, len(rows))

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
