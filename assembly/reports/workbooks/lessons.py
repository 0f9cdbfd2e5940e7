"""The lessons-learned workbook: one row per card with every field of seed 003 (the texts
written through :class:`.writer.Sheet`, so a card typed "=…" stays text)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from .tables import header_cells
from .writer import Book

FIXED_HEADERS = ("Código", "Área", "Asamblea", "Fecha", "Región", "Mesa", "Tipo de lección")
RELATION_HEADERS = ("Pacto Mundial: principios rectores", "Pacto Mundial: objetivos", "ODS",
                    "Compromisos relacionados")  # fmt: skip


def lessons_workbook(text_headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """``rows``: the fixed columns, the texts (in ``text_headers`` order) and the relations."""
    headers = (*FIXED_HEADERS, *text_headers, *RELATION_HEADERS)
    out = io.BytesIO()
    book = Book(out)
    sheet = book.sheet("Lecciones aprendidas")
    wrap = book.format("wrap")
    for column in range(len(headers)):
        width = 12 if column < len(FIXED_HEADERS) else 40
        sheet.worksheet.set_column(column, column, width, wrap)
    sheet.append(header_cells(headers))
    for row in rows:
        sheet.append(list(row))
    sheet.worksheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.worksheet.freeze_panes(1, 1)
    book.close()
    return out.getvalue()
