"""The Satisfacción sheet: the survey by question, by mesa and by differential-focus group,
with native charts of the means (one row after another: ``constant_memory``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..domain.satisfaction import QUESTION_HEADERS
from . import printing
from .participation import CHART_WIDTH_CM, ROW_CM
from .tables import header_cells
from .writer import Book, Sheet, Styled

WIDTHS = (44, 14, 12, 16, 7, 7, 7, 7, 7, 7, 7)
#: the charts stand right of the tables, from this column on (0-based: M)
CHART_COLUMN = len(WIDTHS) + 1
_PX_PER_CM = 96 / 2.54


def _mean_chart(book: Book, sheet: Sheet, title: str, first: int, last: int, column: int):
    """A bar chart of the means in ``column`` (0-based) for rows ``first``..``last``."""
    chart = book.chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Promedio (1 a 5)",
            "categories": [sheet.title, first - 1, 0, last - 1, 0],
            "values": [sheet.title, first - 1, column, last - 1, column],
            "data_labels": {"value": True, "num_format": "0.0"},
        }
    )
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_x_axis({"min": 0, "max": 5, "major_unit": 1})
    chart.set_legend({"none": True})
    height = max(6.0, 0.7 * (last - first + 1) + 3)
    chart.set_size({"width": CHART_WIDTH_CM * _PX_PER_CM, "height": height * _PX_PER_CM})
    sheet.worksheet.insert_chart(first - 2, CHART_COLUMN, chart, {"object_position": 3})
    return height


def _group_table(book, sheet, title, headers, rows, *, chart_title=None) -> None:
    start = sheet.append([Styled(title, "section")])
    sheet.append(header_cells(headers))
    first = sheet.rows + 1
    sheet.extend(rows)
    if chart_title and rows:
        height = _mean_chart(book, sheet, chart_title, first, sheet.rows, 2)
        sheet.pad_to(start + math.ceil(height / ROW_CM))
    sheet.append([])


def write_satisfaction(
    book: Book,
    title: str,
    lines: Sequence[str],
    *,
    answers: int,
    questions: Sequence[list],
    scale_labels: Sequence[str],
    mesas: Sequence[list],
    dimensions: Sequence[tuple[str, list]],
    comments: Sequence[list],
    k: int,
    assemblies: Sequence[list] = (),
    marks: printing.Marks | None = None,
) -> Sheet:
    """``questions``: rows of :data:`..domain.satisfaction.QUESTION_HEADERS`; ``assemblies``
    (the national file), ``mesas`` and each dimension's rows: [label, answers, mean of each of
    ``scale_labels``]."""
    sheet = book.sheet(title)
    for index, width in enumerate(WIDTHS):
        sheet.worksheet.set_column(index, index, width)
    sheet.merge_title("\n".join(lines), 11, height=16 * len(lines) + 6)
    sheet.append([])
    sheet.append([Styled("Respuestas", "bold"), answers])
    sheet.append(
        [f"Las mesas y los grupos con menos de {k} respuestas no se muestran, para que nadie "
         "sea reconocible por sus respuestas."]
    )  # fmt: skip
    sheet.append([])

    start = sheet.append([Styled("Por pregunta", "section")])
    sheet.append(header_cells(QUESTION_HEADERS))
    first = sheet.rows + 1
    sheet.extend(questions)
    scale_rows = [i for i, row in enumerate(questions) if row[3] is not None]
    if scale_rows and scale_rows == list(range(len(scale_rows))):
        height = _mean_chart(
            book, sheet, "Promedio por pregunta", first, first + len(scale_rows) - 1, 3
        )
        sheet.pad_to(start + math.ceil(height / ROW_CM))
    sheet.append([])

    group_headers = ("Grupo", "Respuestas", *scale_labels)
    if assemblies:
        _group_table(
            book, sheet, "Por asamblea", ("Asamblea", *group_headers[1:]), assemblies,
            chart_title=f"{scale_labels[0]}: promedio por asamblea" if scale_labels else None,
        )  # fmt: skip
    _group_table(
        book, sheet, "Por mesa", ("Mesa", *group_headers[1:]), mesas,
        chart_title=f"{scale_labels[0]}: promedio por mesa" if scale_labels else None,
    )  # fmt: skip
    for dimension, rows in dimensions:
        _group_table(book, sheet, f"Enfoque diferencial: {dimension}", group_headers, rows)
    if comments:
        sheet.append([Styled("Comentarios", "section")])
        sheet.append(header_cells(("Pregunta", "Comentario")))
        sheet.extend(comments)
    page = printing.Page(
        landscape=True, scale=printing.fit_scale(WIDTHS, landscape=True, extra_cm=CHART_WIDTH_CM)
    )
    printing.apply(sheet, page, marks or printing.Marks())
    return sheet
