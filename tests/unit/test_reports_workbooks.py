"""The workbook builders: plain rows in, a real .xlsx out, read back with openpyxl."""

import gc
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl

from assembly.reports import domain, workbooks


def reopen(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


COLUMNS = [
    domain.Column("Nombre", "long"),
    domain.Column("Cantidad", "int"),
    domain.Column("Fecha", "date"),
    domain.Column("Llegada", "datetime"),
    domain.Column("Estado"),
]


def test_write_table_has_header_block_styled_frozen_filtered_and_sized():
    workbook = workbooks.new_workbook()
    rows = (
        [f"Persona {n}", n, date(2026, 3, n + 1), datetime(2026, 3, 14, 8, n), "Pendiente"]
        for n in range(5)
    )
    count = workbooks.write_table(
        workbook,
        "Hoja",
        ["Convenio No. 02", "Asamblea X"],
        COLUMNS,
        rows,
        choices={4: ("Pendiente", "Cumplido")},
    )
    assert count == 5
    sheet = reopen(workbook)["Hoja"]
    assert sheet["A1"].value == "Convenio No. 02\nAsamblea X"
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]][: len(COLUMNS)] == [c.header for c in COLUMNS]
    assert sheet["A3"].font.b and sheet["A3"].font.color.rgb.endswith("FFFFFF")
    assert sheet.freeze_panes == "A4"
    assert sheet.row_dimensions[1].height == 38 and sheet.row_dimensions[3].height == 48
    assert sheet.auto_filter.ref == "A3:E8"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.max_row == 8
    assert (
        sheet["B5"].value == 1 and sheet["C5"].is_date and sheet["C5"].number_format == "DD/MM/YYYY"
    )
    assert sheet["D5"].value == datetime(2026, 3, 14, 8, 1)
    assert sheet["D5"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet.data_validations.dataValidation[0].formula1 == '"Pendiente,Cumplido"'


def test_fast_sheet_writes_text_safely_and_only_formulas_as_formulas():
    workbook = workbooks.new_workbook()
    sheet = workbooks.add_sheet(workbook, "Datos")
    sheet.append(
        ['=HYPERLINK("http://x")', "a & b <c>", " espacio ", "tab\x01", True, 2.5, None, ""]
    )
    sheet.append([workbooks.Formula("=SUM(F1:F1)"), 7, float("nan")])
    read = reopen(workbook)["Datos"]
    assert read["A1"].value == '=HYPERLINK("http://x")' and read["A1"].data_type == "s"
    assert read["B1"].value == "a & b <c>"
    assert read["C1"].value == " espacio "
    assert read["D1"].value == "tab"
    assert read["E1"].value is True and read["F1"].value == 2.5
    assert read["G1"].value is None and read["H1"].value is None
    assert read["A2"].value == "=SUM(F1:F1)" and read["A2"].data_type == "f"
    assert read["B2"].value == 7 and read["C2"].value is None


def test_participation_sheet_has_formulas_percentages_and_one_chart_per_table():
    tally = domain.Tally()
    base = {
        "sex": "mujer", "age_range": "18-28", "ethnicity": "ninguno", "department_code": "81",
        "municipality_code": "81001", "checked_in_at": None,
    }  # fmt: skip
    for n in range(10):
        tally.add({**base, "sex": "hombre" if n % 3 == 0 else "mujer",
                   "checked_in_at": datetime(2026, 3, 14) if n % 2 else None})  # fmt: skip
    workbook = workbooks.new_workbook()
    workbooks.write_participation(
        workbook,
        "Participación",
        ["Convenio", "Participación — Asamblea"],
        tally,
        per_assembly=[("Asamblea A", date(2026, 3, 14), tally)],
    )
    sheet = reopen(workbook)["Participación"]
    values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    start = next(
        r for (r, c), v in values.items() if v == "Sexo" and values.get((r + 1, 1)) == "Categoría"
    )
    assert [values[(start + 1, c)] for c in range(1, 6)] == list(workbooks.PARTICIPATION_HEADERS)
    rows = {values[(r, 1)]: r for r in range(start + 2, start + 8) if values.get((r, 1))}
    assert values[(rows["Mujer"], 2)] == 6 and values[(rows["Hombre"], 2)] == 4
    total = rows["Total"]
    assert values[(total, 2)] == f"=SUM(B{start + 2}:B{total - 1})"
    assert values[(total, 3)] == f"=SUM(C{start + 2}:C{total - 1})"
    assert values[(rows["Mujer"], 5)] == f"=IF(D${total}=0,0,D{rows['Mujer']}/D${total})"
    assert sheet.cell(rows["Mujer"], 3).number_format == "0.0%"
    assert len(sheet._charts) == len(domain.DIMENSIONS) + 1
    chart = sheet._charts[1]
    assert len(chart.series) == 2  # registered and attended
    by_assembly = next(r for (r, c), v in values.items() if v == "Por asamblea (asistentes)")
    assert values[(by_assembly + 2, 1)] == "Asamblea A"
    assert values[(by_assembly + 2, 3)] == 10 and values[(by_assembly + 2, 4)] == 5
    assert values[(by_assembly + 3, 3)] == f"=SUM(C{by_assembly + 2}:C{by_assembly + 2})"


def test_charts_are_tall_enough_for_their_table_and_never_overlap():
    tally = domain.Tally()
    tally.add({"sex": "mujer", "ethnicity": "ninguno", "checked_in_at": None})
    workbook = workbooks.new_workbook()
    workbooks.write_participation(workbook, "P", ["Convenio"], tally)
    charts = workbook.worksheets[0]._charts  # before saving: anchors are still "H21"
    tops = [int(chart.anchor[1:]) for chart in charts]
    assert all(chart.anchor.startswith("H") for chart in charts)
    assert tops == sorted(tops)
    heights = {chart.title.tx.rich.p[0].r[0].t: chart.height for chart in charts}
    assert heights["Oficio o actividad económica"] > heights["Sexo"] == 7.5
    for chart, top, following in zip(charts, tops, tops[1:], strict=False):
        assert top + chart.height / 0.53 <= following
    workbooks.discard(workbook)


def test_a_discarded_workbook_leaves_no_open_streams_or_files():
    workbook = workbooks.new_workbook()
    sheet = workbooks.add_sheet(workbook, "A")
    sheet.append(["x"])
    temp = Path(sheet._writer.out)
    assert temp.exists()
    workbooks.discard(workbook)
    assert not temp.exists()
    gc.collect()  # with filterwarnings=error, a stream erroring when collected fails the test
