"""The review step of a big list (issue 12.9): checked by a background job with a progress
bar, then shown from the kept summary; a small list is reviewed at once, as before."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from assembly.core import jobs
from assembly.registration.imports import apply, review_job, validate
from assembly.registration.imports.errors_file import errors_workbook
from assembly.registration.imports.parse import Sheet
from assembly.registration.models import Attendee
from tests.integration.test_registration_import_routes import (
    confirm,
    count,
    csv_bytes,
    mapping_form,
    run_to_review,
)


@pytest.fixture
def desk(auth, make_assembly):
    auth.login("organizer")
    return make_assembly()


@pytest.fixture
def queued(monkeypatch):
    """Background jobs are queued, not run: the test runs them when it wants."""
    waiting = []
    monkeypatch.setattr(jobs.socketio, "start_background_task", lambda fn, *a: waiting.append(a))

    def run_all():
        while waiting:
            jobs._run(*waiting.pop(0))

    return run_all


def job_id(page: str) -> int:
    found = re.search(r'id="review-progress" data-job="(\d+)"', page)
    assert found, page[:1500]
    return int(found.group(1))


def test_a_big_list_is_reviewed_by_a_job_with_a_progress_bar(
    client, app, desk, db, queued, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 5)  # the list: 6 rows
    _, review_url = run_to_review(client, desk)
    page = client.get(review_url).get_data(as_text=True)
    job = job_id(page)
    assert 'id="count-new"' not in page and "Revisando cada fila" in page
    # the page does not start a second job while the first one has not ended
    assert job_id(client.get(review_url).get_data(as_text=True)) == job
    assert client.get(f"/api/jobs/{job}").get_json()["job"]["status"] == "queued"

    queued()
    state = client.get(f"/api/jobs/{job}").get_json()["job"]
    assert state["status"] == "done" and state["result"]["new"] == 4
    # its last phase: the errors file of the two refused rows (the checking came before)
    assert (state["message"], state["done"], state["total"]) == (
        "Preparando el archivo de errores…",
        2,
        2,
    )
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">4<', page)
    assert re.search(r'id="count-errors">1<', page)
    assert re.search(r'id="count-repeated">1<', page)
    assert "Número de documento:" in page and 'id="review-progress"' not in page
    assert count(db, desk) == 0  # a review stores nobody

    # the errors file was made by the job: its download checks nothing again
    real = apply.review
    monkeypatch.setattr(apply, "review", lambda *a, **k: 1 / 0)
    errors = client.get(review_url.replace("/review", "/errors.xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(errors.data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [5, 7]
    monkeypatch.setattr(apply, "review", real)

    confirm_page = confirm_now(client, review_url, queued)
    assert "Importación terminada: 4 personas nuevas." in confirm_page


def confirm_now(client, review_url, queued):
    response = client.post(review_url.replace("/review", "/confirm"))
    queued()
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_kept_review_is_made_again_when_someone_registered_meanwhile(
    client, app, desk, db, queued, make_attendee, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 5)
    _, review_url = run_to_review(client, desk)
    first = job_id(client.get(review_url).get_data(as_text=True))
    queued()
    assert re.search(r'id="count-new">4<', client.get(review_url).get_data(as_text=True))
    make_attendee(desk, document_number="1057111002")  # the desk registered a row's person
    page = client.get(review_url).get_data(as_text=True)
    assert job_id(page) != first
    queued()
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">3<', page)
    assert re.search(r'id="count-existing">1<', page)


def test_a_failed_review_says_why_and_can_be_made_again(client, app, desk, queued, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 5)
    _, review_url = run_to_review(client, desk)
    job_id(client.get(review_url).get_data(as_text=True))
    real = apply.review
    monkeypatch.setattr(apply, "review", lambda *a, **k: 1 / 0)
    queued()
    page = client.get(review_url).get_data(as_text=True)
    assert 'id="review-failed"' in page and "again=1" in page
    monkeypatch.setattr(apply, "review", real)
    page = client.get(review_url + "?again=1").get_data(as_text=True)
    job_id(page)
    queued()
    assert re.search(r'id="count-new">4<', client.get(review_url).get_data(as_text=True))


def test_a_small_list_is_reviewed_at_once(client, app, desk, run_jobs_inline, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 1000)
    _, review_url = run_to_review(client, desk)
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">4<', page) and "review-progress" not in page
    assert "Importación terminada: 4 personas nuevas." in confirm(client, review_url)


@pytest.fixture
def checks(monkeypatch):
    """How many times the rows of a list are checked (each check reads every row)."""
    calls = []
    real = validate.apply_mapping

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "apply_mapping", counted)
    return calls


def test_the_confirm_job_stores_the_reviewed_rows_without_checking_them_again(
    client, app, desk, db, queued, checks, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 5)
    _, review_url = run_to_review(client, desk)
    job_id(client.get(review_url).get_data(as_text=True))
    queued()
    assert re.search(r'id="count-new">4<', client.get(review_url).get_data(as_text=True))
    assert len(checks) == 1  # the review job's check
    page = confirm_now(client, review_url, queued)
    assert "Importación terminada: 4 personas nuevas." in page
    assert len(checks) == 1  # nothing changed since the review: its rows are stored as checked
    maria = db.session.scalar(select(Attendee).where(Attendee.document_number == "1057111001"))
    assert (maria.first_names, maria.phone, maria.municipality_code) == (
        "María José",
        "3001112233",
        "81794",
    )
    assert count(db, desk) == 4
    key = review_url.rsplit("/", 2)[1]
    assert not list((Path(app.instance_path) / "imports").glob(f"{key}.*"))  # all forgotten


def test_the_confirm_job_checks_again_when_someone_registered_since_the_review(
    client, app, desk, db, queued, checks, make_attendee, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 5)
    _, review_url = run_to_review(client, desk)
    job_id(client.get(review_url).get_data(as_text=True))
    queued()
    assert len(checks) == 1
    make_attendee(desk, document_number="1057111002")  # the desk registered Pedro meanwhile
    page = confirm_now(client, review_url, queued)
    assert len(checks) == 2  # the people changed: every row checked again
    assert "Importación terminada: 3 personas nuevas." in page
    assert "Ya inscritas (se omitieron): 1" in page
    assert count(db, desk) == 4  # Pedro once


def test_the_confirm_job_checks_again_when_the_mapping_changed_since_the_review(
    client, app, desk, db, queued, checks, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_REVIEW_JOB_FROM", 5)
    mapping_url, review_url = run_to_review(client, desk)
    job_id(client.get(review_url).get_data(as_text=True))
    queued()
    assert len(checks) == 1
    # another tab: the phone column is no longer imported (col-8 = Celular)
    page = client.get(mapping_url).get_data(as_text=True)
    assert client.post(mapping_url, data=mapping_form(page, **{"col-8": ""})).status_code == 302
    page = confirm_now(client, review_url, queued)
    assert len(checks) == 2
    assert "Importación terminada: 4 personas nuevas." in page
    maria = db.session.scalar(select(Attendee).where(Attendee.document_number == "1057111001"))
    assert maria.phone is None  # the new mapping, not the reviewed one


def test_the_errors_file_is_written_row_by_row_with_a_tick_after_each():
    table = Sheet(
        ["Cédula", "Nombre"], [[f"12ab{n}", "Sin Apellido"] for n in range(5)], [2, 3, 4, 5, 6]
    )
    preview = validate.ImportPreview(
        errors=[(n, {"document_number": "Solo dígitos."}) for n in (2, 3, 4, 5)],
        duplicates_in_file=[(6, 2)],
    )
    ticks = []
    data = errors_workbook(preview, table, tick=lambda done, total: ticks.append((done, total)))
    assert ticks == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2, 3, 4, 5, 6]


def test_a_small_lists_errors_file_is_written_in_its_request_yielding_as_it_goes(
    client, app, desk, monkeypatch
):
    """999 refused rows (just under IMPORT_REVIEW_JOB_FROM): their errors file is written
    inside the review's request (about half a second on the shared test machine), so the
    request yields to the other greenlets while it writes (``jobs.breathe``)."""
    breaths = []
    monkeypatch.setattr(jobs, "breathe", lambda done=0, total=0: breaths.append((done, total)))
    written = {}
    real = review_job.errors_workbook

    def watched(preview, table, *, tick=None):
        before = len(breaths)
        data = real(preview, table, tick=tick)
        written["rows"], written["breaths"] = len(preview.errors), breaths[before:]
        return data

    monkeypatch.setattr(review_job, "errors_workbook", watched)
    bad = [f"CC;12ab{n};Persona Prueba Díaz;F;Ninguno;Arauca;Tame;30;" for n in range(999)]
    _, review_url = run_to_review(client, desk, csv_bytes(bad))
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-errors">999<', page) and "review-progress" not in page
    assert written["rows"] == 999 and written["breaths"][-1] == (999, 999)
