"""The review step of a big list (issue 12.9): checked by a background job with a progress
bar, then shown from the kept summary; a small list is reviewed at once, as before."""

import io
import re

import openpyxl
import pytest

from assembly.core import jobs
from assembly.registration.imports import apply
from tests.integration.test_registration_import_routes import confirm, count, run_to_review


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
    assert state["total"] == 6 and state["done"] == 6
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
