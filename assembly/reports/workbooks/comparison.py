"""The «Comparación por asamblea» sheet of a report of several assemblies: the table (one row
per assembly) and a native bar chart of each assembly's mean commitment progress beside it."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain import Column
from . import printing
from .participation import CHART_WIDTH_CM
from .tables import HEADER_ROW, write_table
from .writer import Book

_PX_PER_CM = 96 / 2.54
#: the progress column (0-based): Asamblea, Fecha, Compromisos, 5 statuses, Vencidos, Avance
PROGRESS_COLUMN = 9


def write_comparison(
    book: Book,
    title: str,
    lines: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[list],
    *,
    k: int,
    marks: printing.Marks | None = None,
) -> int:
    """The table, its chart and a note on the satisfaction column; the number of rows."""
    sheet = book.sheet(title)
    count = write_table(book, title, lines, columns, rows, marks=marks, sheet=sheet)
    sheet.append([])
    sheet.append(
        [f"Satisfacción: promedio de la primera pregunta de escala, solo para asambleas con al "
         f"menos {k} respuestas. Avance promedio: sin los compromisos cancelados."]
    )  # fmt: skip
    if count:
        first, last = HEADER_ROW, HEADER_ROW + count - 1  # 0-based rows of the data
        chart = book.chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Avance promedio de los compromisos (%)",
                "categories": [title, first, 0, last, 0],
                "values": [title, first, PROGRESS_COLUMN, last, PROGRESS_COLUMN],
                "data_labels": {"value": True},
            }
        )
        chart.set_title(
            {"name": "Avance de los compromisos por asamblea", "name_font": {"size": 12}}
        )
        chart.set_x_axis({"min": 0, "max": 100, "major_unit": 25})
        chart.set_legend({"none": True})
        height = max(6.0, 0.7 * count + 3)
        chart.set_size({"width": CHART_WIDTH_CM * _PX_PER_CM, "height": height * _PX_PER_CM})
        sheet.worksheet.insert_chart(count + HEADER_ROW + 2, 0, chart)
    return count
