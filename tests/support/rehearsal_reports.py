"""The rehearsal's last act: a supervisor downloads every report of the closed day from the
reports page, and each workbook's figures are read back for the test to compare with what it
did (people, desks, sexes, mesas, pieces, decisions, survey answers)."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from assembly.reports import domain as report_kinds

HEADER_ROW = 3  # the agreement's title block, a blank row, then the header


def download_every_report(page, assembly_id: int) -> dict[str, openpyxl.Workbook]:
    """Each report's «Descargar .xlsx» on the reports page; the workbooks by report key."""
    page.goto(f"/assemblies/{assembly_id}/reports")
    books = {}
    for key in report_kinds.REPORTS:
        button = page.locator(f'li.report button[name="report"][value="{key}"]')
        with page.expect_download(timeout=120_000) as download:
            button.click()
        data = Path(download.value.path()).read_bytes()
        books[key] = openpyxl.load_workbook(io.BytesIO(data))
        expect(page.locator("#export-progress")).to_contain_text("Listo")
    expect(page.locator("#export-log-body tr")).to_have_count(len(report_kinds.REPORTS))
    return books


def table(sheet) -> list[dict]:
    """The data rows under the header row, as dicts by header."""
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    header = [str(h) if h is not None else "" for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]


def section(sheet, title: str) -> dict[str, tuple]:
    """A block of the participation sheet (e.g. «Sexo»): category -> (registered, attended)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    out = {}
    for row in rows[start + 2 :]:
        if not row or row[0] in (None, "Total"):
            break
        out[row[0]] = (row[1], row[3])
    return out


def attendance(book) -> dict:
    rows = table(book.worksheets[0])
    return {
        "rows": len(rows),
        "attended": sum(r["¿Asistió?"] == "Sí" for r in rows),
        "desks": Counter(r["Punto de registro"] for r in rows if r["¿Asistió?"] == "Sí"),
        "origin": Counter(r["Origen del registro"] for r in rows),
    }


def participation(book) -> dict:
    sheet = book.worksheets[0]
    summary = section(sheet, "Resumen: poblaciones prioritarias")
    return {"total": summary["Total de personas"], "sex": section(sheet, "Sexo")}


def rosters(book) -> dict:
    rows = table(book.worksheets[0])
    return {
        "people": len(rows),
        "tables": len({r["Sub-mesa"] for r in rows}),
        "attended": Counter(r["¿Asistió?"] for r in rows),
    }


def agenda(book) -> dict:
    rows = table(book.worksheets[0])
    return {
        "plans": len(rows),
        "decisions": Counter(r["Aprobación en plenaria"] for r in rows),
        "methods": {r["Mesa"]: r["Método de aprobación"] for r in rows},
    }


def survey_answers(book) -> int:
    for row in book.worksheets[0].iter_rows(values_only=True):
        if row and row[0] == "Respuestas":
            return row[1]
    raise AssertionError("the survey report has no «Respuestas» line")
