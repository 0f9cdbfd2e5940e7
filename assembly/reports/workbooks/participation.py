"""The Participación sheet: counts and percentages by dimension, with formulas and charts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from xlsxwriter.utility import xl_col_to_name

from ..domain import DIMENSIONS, KEY_POPULATIONS, Tally
from . import printing
from .tables import header_cells
from .writer import Book, Formula, Sheet, Styled

PARTICIPATION_HEADERS = (
    "Categoría",
    "Inscritas",
    "% de inscritas",
    "Asistentes",
    "% de asistentes",
)
WIDTHS = (44, 12, 13, 12, 14)
DEFAULT_WIDTH = 8.43  # F, G (a gap before the charts; the national table uses them too)
#: the charts stand beside the tables, from this column on
CHART_COLUMN = 7  # H
CHART_WIDTH_CM = 15
#: the columns from H on that a chart covers (default width: 64 pixels each)
CHART_COLUMNS = math.ceil(CHART_WIDTH_CM / (64 / 96 * 2.54))
ROW_CM = 0.53  # a default-height row (15 points)
_PX_PER_CM = 96 / 2.54


def _share(numerator: str, denominator: str, values: tuple[int, int], style="percent") -> Styled:
    part, whole = values
    return Styled(
        Formula(f"=IF({denominator}=0,0,{numerator}/{denominator})", part / whole if whole else 0),
        style,
    )


def _sum(column: str, first: int, last: int, values: Sequence[float], style="total") -> Styled:
    if last < first:
        return Styled(Formula("=0", 0), style)
    return Styled(Formula(f"=SUM({column}{first}:{column}{last})", sum(values)), style)


def chart_height_cm(categories: int) -> float:
    return max(7.5, 0.55 * categories + 3)


def _chart(
    book: Book, sheet: Sheet, title: str, header: int, first: int, last: int, *, horizontal: bool
):
    """A clustered bar chart of Inscritas and Asistentes for rows ``first``..``last``; the
    headers in row ``header`` name the two series."""
    chart = book.chart({"type": "bar" if horizontal else "column", "subtype": "clustered"})
    name = sheet.title
    for column in (1, 3):  # Inscritas, Asistentes (their headers name the series)
        chart.add_series(
            {
                "name": [name, header - 1, column],
                "categories": [name, first - 1, 0, last - 1, 0],
                "values": [name, first - 1, column, last - 1, column],
            }
        )
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    value_axis = {"name": "Personas", "major_gridlines": {"visible": False}}
    if horizontal:
        chart.set_x_axis(value_axis)
    else:
        chart.set_y_axis(value_axis)
    chart.set_legend({"position": "bottom"})
    height = chart_height_cm(last - first + 1)
    chart.set_size({"width": CHART_WIDTH_CM * _PX_PER_CM, "height": height * _PX_PER_CM})
    return chart, height


def _place_chart(sheet: Sheet, chart, row: int) -> None:
    sheet.worksheet.insert_chart(row - 1, CHART_COLUMN, chart, {"object_position": 3})


def write_participation(
    book: Book,
    title: str,
    lines: Sequence[str],
    tally: Tally,
    *,
    per_assembly: Sequence[tuple[str, date, Tally]] = (),
    dimensions=None,
    marks: printing.Marks | None = None,
) -> Sheet:
    """Counts and percentages by each dimension, registered and attended apart; a total row
    per table made of =SUM formulas and percentages made of formulas (so that they add up in
    Excel and follow any correction typed there); one native bar chart per table. Each
    formula is written with its value, for viewers that do not recalculate.

    It prints landscape, tables and charts one page wide, with a page break before any table
    that would not fit whole (with its chart) on the rest of the page."""
    dimensions = dimensions or DIMENSIONS
    sheet = book.sheet(title)
    for index, width in enumerate(WIDTHS):
        sheet.worksheet.set_column(index, index, width)
    sheet.merge_title("\n".join(lines), 6, height=16 * len(lines) + 6)
    sheet.append([])

    # Summary: the populations the programmes exist to reach. People may be in several, so
    # there is no total row; the first row is everyone and the percentages refer to it.
    start = sheet.append([Styled("Resumen: poblaciones prioritarias", "section")])
    sheet.append(header_cells(PARTICIPATION_HEADERS))
    registered_all, attended_all = tally.total.registered, tally.total.attended
    everyone = sheet.append(
        [Styled("Total de personas", "bold"), registered_all, None, attended_all, None]
    )
    sheet.append(
        [
            "Tasa de asistencia (asistentes / inscritas)",
            None,
            None,
            None,
            _share(f"D{everyone}", f"B{everyone}", (attended_all, registered_all)),
        ]
    )
    first = sheet.rows + 1
    for label, registered, attended in tally.population_rows():
        row = sheet.rows + 1
        sheet.append(
            [
                label,
                registered,
                _share(f"B{row}", f"B${everyone}", (registered, registered_all)),
                attended,
                _share(f"D{row}", f"D${everyone}", (attended, attended_all)),
            ]
        )
    chart, height = _chart(
        book, sheet, "Poblaciones prioritarias", start + 1, first, sheet.rows, horizontal=True
    )
    _place_chart(sheet, chart, start)
    sheet.pad_to(start + math.ceil(height / ROW_CM))
    sections = [(start, sheet.rows)]

    if per_assembly:
        sheet.append([])
        begin = sheet.rows + 1
        _assembly_table(sheet, per_assembly)
        sections.append((begin, sheet.rows))

    for dimension in dimensions:
        data = tally.rows(dimension)
        sheet.append([])
        start = sheet.append([Styled(dimension.title, "section")])
        sheet.append(header_cells(PARTICIPATION_HEADERS))
        first = sheet.rows + 1
        last = first + len(data) - 1
        total = last + 1
        registered_sum = sum(r for _, r, _ in data)
        attended_sum = sum(a for _, _, a in data)
        for index, (category, registered, attended) in enumerate(data):
            row = first + index
            sheet.append(
                [
                    category,
                    registered,
                    _share(f"B{row}", f"B${total}", (registered, registered_sum)),
                    attended,
                    _share(f"D{row}", f"D${total}", (attended, attended_sum)),
                ]
            )
        shares = (
            sum(r / registered_sum for _, r, _ in data) if registered_sum else 0,
            sum(a / attended_sum for _, _, a in data) if attended_sum else 0,
        )
        sheet.append(
            [
                Styled("Total", "total"),
                _sum("B", first, last, [registered_sum]),
                _sum("C", first, last, [shares[0]], "total_percent"),
                _sum("D", first, last, [attended_sum]),
                _sum("E", first, last, [shares[1]], "total_percent"),
            ]
        )
        chart_rows = min(len(data), 20)  # a national file lists hundreds of municipalities
        if chart_rows:
            chart, height = _chart(
                book,
                sheet,
                dimension.title,
                first - 1,
                first,
                first + chart_rows - 1,
                horizontal=chart_rows > 6,
            )
            _place_chart(sheet, chart, start)
            sheet.pad_to(start + math.ceil(height / ROW_CM))
        sections.append((start, sheet.rows))
    sheet.sections = sections
    page = printing.Page(
        landscape=True,
        scale=printing.fit_scale(
            (*WIDTHS, DEFAULT_WIDTH, DEFAULT_WIDTH), landscape=True, extra_cm=CHART_WIDTH_CM
        ),
        last_column=CHART_COLUMN + CHART_COLUMNS,
    )
    printing.apply(sheet, page, marks or printing.Marks())
    printing.page_breaks(sheet, page, top_rows=2)
    return sheet


def _assembly_table(sheet: Sheet, per_assembly) -> None:
    """National file: one row per assembly, attended counts of each priority population."""
    sheet.append([Styled("Por asamblea (asistentes)", "section")])
    headers = [
        "Asamblea",
        "Fecha",
        "Inscritas",
        "Asistentes",
        *(label for label, _ in KEY_POPULATIONS),
    ]
    sheet.append(header_cells(headers))
    first = sheet.rows + 1
    columns: list[list[int]] = [[] for _ in headers]
    for name, when, tally in per_assembly:
        attended = {label: n for label, _, n in tally.population_rows()}
        values = [
            tally.total.registered,
            tally.total.attended,
            *(attended[label] for label, _ in KEY_POPULATIONS),
        ]
        for index, value in enumerate(values, start=2):
            columns[index].append(value)
        sheet.append([name, Styled(when, "date"), *values])
    last = sheet.rows
    sheet.append(
        [
            Styled("Total", "total"),
            Styled(None, "total"),
            *(_sum(xl_col_to_name(c), first, last, columns[c]) for c in range(2, len(headers))),
        ]
    )
