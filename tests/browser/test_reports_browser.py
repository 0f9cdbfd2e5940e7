"""The reports page in Chromium: pick assemblies, one click, progress, the file downloads and
the export appears in the log."""

import io
from datetime import datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from assembly.config import PROJECT_ROOT
from assembly.extensions import db
from assembly.reports.models import ExportLog
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot


def test_supervisor_downloads_a_report_with_progress(
    new_page, make_user, make_assembly, make_attendee
):
    supervisor = make_user("supervisor", display_name="Sandra Supervisora")
    arauca = make_assembly(name="Asamblea Regional PIT Arauca")
    meta = make_assembly(name="Asamblea Regional PIT Meta", date="2026-04-18", region="Llanos")
    for n in range(12):
        make_attendee(arauca, checked_in_at=datetime(2026, 3, 14, 8, n) if n % 4 else None)
    for n in range(5):
        make_attendee(meta, sex="hombre", checked_in_at=datetime(2026, 4, 18, 8, n))

    page = new_page(LAPTOP)
    log_in(page, supervisor)
    page.goto(f"/assemblies/{arauca.id}")
    page.get_by_role("link", name="Informes en Excel").click()
    page.wait_for_url(f"**/assemblies/{arauca.id}/reports")
    assert page.locator(f"#a{arauca.id}").is_checked()
    assert not page.locator(f"#a{meta.id}").is_checked()

    row = page.locator("li.report", has_text="Participación / enfoque diferencial")
    with page.expect_download() as download_info:
        row.get_by_role("button", name="Descargar .xlsx").click()
    download = download_info.value
    assert download.suggested_filename.startswith("participacion-")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert workbook.sheetnames == ["Participación"]
    status = page.locator("#export-progress")
    assert "Listo" in status.inner_text()
    assert page.locator("#export-log-body tr").first.inner_text().count("Participación") == 1

    # Both assemblies: one national file; the full version is a supervisor's choice.
    page.locator("#select-all").check()
    page.get_by_label("Datos completos (documento y contacto)").check()
    with page.expect_download() as download_info:
        page.locator("li.report", has_text="Informe completo").get_by_role("button").click()
    assert download_info.value.suggested_filename.startswith("completo-completa-")
    assert page.locator("#export-log-body tr").count() == 2
    screenshot(page, "reports-index-laptop")

    db.session.rollback()
    entries = db.session.scalars(select(ExportLog).order_by(ExportLog.id)).all()
    assert [e.report for e in entries] == ["participacion", "completo"]
    assert entries[1].assembly_ids == sorted([arauca.id, meta.id])
    for entry in entries:  # the live server writes into the project's exports/ folder
        saved = PROJECT_ROOT / "exports" / entry.path
        saved.unlink(missing_ok=True)
        if saved.parent.exists() and not any(saved.parent.iterdir()):
            saved.parent.rmdir()


def test_reports_page_fits_a_phone(new_page, make_user, make_assembly):
    supervisor = make_user("supervisor")
    make_assembly(name="Asamblea Regional PIT Arauca")
    page = new_page(PHONE)
    log_in(page, supervisor)
    page.goto("/reports")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert overflow <= 0, wide
    page.locator('input[name="assembly_ids"]').first.uncheck()
    page.locator('li.report button[name="report"][value="compromisos"]').click()
    assert "Seleccione al menos una asamblea" in page.locator("#export-progress").inner_text()
    screenshot(page, "reports-index-phone")
