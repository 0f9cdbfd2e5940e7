"""The monitoring workbook (seed 004's "sistema de monitoreo"): the selected commitments of
every assembly and a summary by region, theme, responsible or quarter with a native bar chart.

Plain rows in (:func:`assembly.followup.monitoring.rows` and ``summary`` read them); every
text is written through :class:`.writer.Sheet`, so a commitment typed as "=…" stays text."""

from __future__ import annotations

import io
from collections.abc import Sequence

from .tables import header_cells
from .writer import Book

COMMITMENT_HEADERS = (
    "Asamblea", "Región", "Eje temático", "Mesa", "Compromiso", "Responsables", "Trimestre",
    "Estado", "Avance (%)", "Vencido", "En riesgo", "Indicador",
)  # fmt: skip
COMMITMENT_WIDTHS = (28, 16, 28, 6, 45, 30, 18, 12, 10, 9, 9, 30)
SUMMARY_HEADERS = ("Compromisos", "Cumplidos", "Vencidos", "En riesgo", "Avance medio (%)")


def monitoring_workbook(
    commitments: Sequence[Sequence[object]], summary: Sequence[dict], dimension: str
) -> bytes:
    """``commitments``: one row of :data:`COMMITMENT_HEADERS` values each (progress an int);
    ``summary``: dicts with label, count, done, overdue, at_risk, progress; ``dimension``: the
    summary's heading ("Región"…)."""
    out = io.BytesIO()
    book = Book(out)
    sheet = book.sheet("Compromisos")
    for column, width in enumerate(COMMITMENT_WIDTHS):
        sheet.worksheet.set_column(column, column, width, book.format("wrap"))
    sheet.append(header_cells(COMMITMENT_HEADERS))
    for row in commitments:
        sheet.append(list(row))
    sheet.worksheet.autofilter(0, 0, max(len(commitments), 1), len(COMMITMENT_HEADERS) - 1)
    sheet.worksheet.freeze_panes(1, 0)

    resume = book.sheet("Resumen")
    resume.worksheet.set_column(0, 0, 36)
    resume.worksheet.set_column(1, 5, 14)
    resume.append(header_cells((dimension, *SUMMARY_HEADERS)))
    for item in summary:
        resume.append(
            [item["label"], item["count"], item["done"], item["overdue"], item["at_risk"],
             item["progress"]]
        )  # fmt: skip
    if summary:
        chart = book.chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Avance medio (%)",
                "categories": ["Resumen", 1, 0, len(summary), 0],
                "values": ["Resumen", 1, 5, len(summary), 5],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": f"Avance medio por {dimension.lower()}"})
        chart.set_x_axis({"min": 0, "max": 100})
        chart.set_legend({"none": True})
        chart.set_size({"width": 640, "height": max(240, 28 * len(summary) + 120)})
        resume.worksheet.insert_chart(1, 7, chart)
    book.close()
    return out.getvalue()
