"""The monitoring workbook, now built in reports (package order: reports above followup):
the commitments as text (a "=…" commitment stays words), the summary with its native chart."""

import io
import zipfile

import openpyxl

from assembly.reports.workbooks.monitoring import COMMITMENT_HEADERS, monitoring_workbook

ROW = ["Asamblea PIT Arauca", "Orinoquía", "Economía solidaria", 1, "=HYPERLINK(\"x\")",
       "UNAD", "T2 2025 (abr–jun)", "En curso", 60, "No", "No", "Feria hecha"]  # fmt: skip
SUMMARY = [
    {"label": "Orinoquía", "count": 1, "done": 0, "overdue": 0, "at_risk": 0, "progress": 60}
]


def test_the_commitments_sheet_keeps_every_text_as_text_and_the_summary_has_a_chart():
    data = monitoring_workbook([ROW], SUMMARY, "Región")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Compromisos", "Resumen"]
    sheet = book["Compromisos"]
    assert [c.value for c in sheet[1]] == list(COMMITMENT_HEADERS)
    assert sheet["E2"].value == '\'=HYPERLINK("x")' and sheet["E2"].data_type == "s"
    assert sheet["I2"].value == 60
    assert [c.value for c in book["Resumen"][2]][:6] == ["Orinoquía", 1, 0, 0, 0, 60]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_an_empty_selection_still_gives_both_sheets_without_a_chart():
    data = monitoring_workbook([], [], "Trimestre")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["Resumen"]["A1"].value == "Trimestre" and book["Compromisos"].max_row == 1
