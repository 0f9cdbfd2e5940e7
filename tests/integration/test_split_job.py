"""A large split runs as a background job (issue 16.1): the page comes back at once with a
progress bar; the job reads and writes in chunks, with the same rules and the same result as
the split that answers at once, and tells the screens when it is done."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from assembly.assemblies import realtime
from assembly.core import jobs
from assembly.grouping import services, split_job
from assembly.grouping.services import split as split_services
from assembly.registration.models import Attendee

NOW = datetime(2026, 3, 14, 12, 40)


@pytest.fixture
def run_inline(monkeypatch):
    """Run the job at once in this thread (the test client has no gevent hub)."""
    monkeypatch.setattr(jobs.socketio, "start_background_task", lambda fn, *a: fn(*a))


@pytest.fixture
def big(app, make_assembly, make_attendee, monkeypatch):
    """A room of 23 people (table size 5), 20 of them checked in; "big" from 10 people."""
    monkeypatch.setitem(app.config, "SPLIT_JOB_FROM", 10)
    assembly = make_assembly(table_size=5)
    themes = [t.id for t in assembly.themes]
    for i in range(23):
        make_attendee(
            assembly,
            preferred_theme_id=themes[i % len(themes)] if i % 4 else None,
            sex="mujer" if i % 2 else "hombre",
            organization_key=f"org {i % 3}" if i % 5 else None,
            checked_in_at=NOW if i < 20 else None,
        )
    return assembly


def _seated(db, assembly_id):
    return db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None)
        )
    )


def test_a_large_split_is_a_job_with_the_result_of_the_split_at_once(
    client, auth, db, big, run_inline, monkeypatch
):
    sent = []
    monkeypatch.setattr(realtime, "_send", lambda messages: sent.extend(messages))
    progress = []
    original = jobs.JobContext.progress

    def record(ctx, done, total=None, message=None):
        progress.append((done, total, message))
        original(ctx, done, total, message)

    monkeypatch.setattr(jobs.JobContext, "progress", record)
    monkeypatch.setattr(split_job, "READ_CHUNK", 4)
    monkeypatch.setattr(split_services, "SEAT_CHUNK", 6)
    monkeypatch.setattr(split_services, "TABLE_CHUNK", 2)
    expected = services.preview_split(big.id, population="checked_in", seed=4).quality
    auth.login("organizer")
    answer = client.post(
        f"/assemblies/{big.id}/groups/split", data={"population": "checked_in", "seed": "4"}
    )
    assert answer.status_code == 302 and "job=" in answer.headers["Location"]
    job = db.session.scalars(select(jobs.Job).where(jobs.Job.kind == "split")).one()
    db.session.expire_all()
    assert (job.status, job.error) == ("done", None)
    assert job.result == {
        "people": 20,
        "tables": expected.tables_count,
        "preference_pct": expected.preference_pct,
        "leaders_found": expected.leaders_found,
    }
    assert _seated(db, big.id) == 20
    messages = [m for _done, _total, m in progress]
    # read 4 at a time (23 people: 6 reads), computed, written 6 seats at a time (20: 4 writes)
    assert messages.count("Leyendo las inscripciones…") == 1 + 6
    # computing, computed, then a commit every 2 tables opened and one after the last (the
    # tables' own writes are committed before any seat is written: core.locks)
    assert messages.count("Repartiendo la sala…") == 2 + expected.tables_count // 2 + 1
    writes = [(d, t) for d, t, m in progress if m.startswith("Sentando")]
    assert writes == [(6, 20), (12, 20), (18, 20), (20, 20)]
    assert any(event == "grouping_changed" for event, _payload, _room in sent)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Sala repartida: 20 personas" in page and "data-job=" not in page


def test_the_page_follows_a_running_split_and_a_second_one_is_refused(
    client, auth, db, big, make_user, run_inline
):
    organizer = make_user("organizer")
    running = jobs.Job(kind="split", assembly_id=big.id, user_id=organizer.id, status="running")
    running.message, running.done, running.total = "Leyendo las inscripciones…", 8, 23
    db.session.add(running)
    db.session.commit()
    auth.login(organizer)
    page = client.get(f"/assemblies/{big.id}/groups").get_data(as_text=True)
    assert f'data-job="{running.id}"' in page and "<progress data-job-bar" in page
    assert "Leyendo las inscripciones…" in page
    refused = client.post(
        f"/assemblies/{big.id}/groups/split",
        data={"population": "checked_in", "seed": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Ya se está repartiendo la sala" in refused
    assert db.session.scalar(select(func.count(jobs.Job.id))) == 1
    assert _seated(db, big.id) == 0


def test_a_resplit_job_without_confirmation_fails_with_the_reason_and_moves_nobody(
    client, auth, db, big, make_user, run_inline
):
    services.run_split(make_user(), big.id, population="checked_in", seed=1)
    db.session.commit()
    before = dict(db.session.execute(select(Attendee.id, Attendee.table_id)).all())
    auth.login("organizer")
    answer = client.post(
        f"/assemblies/{big.id}/groups/split", data={"population": "registered", "seed": "2"}
    )
    job = db.session.scalars(select(jobs.Job)).one()
    db.session.expire_all()
    assert job.status == "failed" and job.error.startswith("Ya hay un reparto.")
    assert dict(db.session.execute(select(Attendee.id, Attendee.table_id)).all()) == before
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Ya hay un reparto." in page


def test_a_small_split_still_answers_at_once(client, auth, db, big, monkeypatch):
    big_enough = 10
    assert split_job.population_size(big.id, "checked_in") == 20 >= big_enough
    monkeypatch.setitem(client.application.config, "SPLIT_JOB_FROM", 21)
    auth.login("organizer")
    answer = client.post(
        f"/assemblies/{big.id}/groups/split", data={"population": "checked_in", "seed": "1"}
    )
    assert answer.status_code == 302 and "job=" not in answer.headers["Location"]
    assert _seated(db, big.id) == 20 and db.session.scalar(select(func.count(jobs.Job.id))) == 0


def test_a_preview_reads_the_room_in_chunks_and_previews_what_the_split_does(
    db, big, make_user, monkeypatch
):
    """The preview ends its read and lets other requests run between chunks; what it
    previews is what the split then does."""
    turns = []
    monkeypatch.setattr(split_services, "PREVIEW_CHUNK", 5)
    breathe = jobs.breathe

    def breathing():
        breathe()
        turns.append(db.session().in_transaction())

    monkeypatch.setattr(jobs, "breathe", breathing)
    preview = services.preview_split(big.id, population="checked_in", seed=3)
    assert turns == [False] * 5  # 23 people, 5 at a time; no read open while others run
    done = services.run_split(make_user(), big.id, population="checked_in", seed=3)
    assert preview.quality == done.quality and preview.new_tables == done.new_tables


def test_a_split_bumps_every_room_it_tells_in_a_few_statements(db, big, make_user, monkeypatch):
    """The split's message goes to the assembly, every mesa and every sub-mesa: each room's
    sequence goes up by one per message, a few rooms per statement (not one statement each)."""
    from sqlalchemy import event

    from assembly.assemblies.models import RoomSequence
    from assembly.grouping import broadcasts

    sent, bumps = [], []
    monkeypatch.setattr(realtime, "_BUMP_CHUNK", 3)
    monkeypatch.setattr(realtime, "_send", lambda messages: sent.extend(messages))
    services.run_split(make_user(), big.id, population="checked_in", seed=1)
    db.session.commit()
    groups = services.groups_of(big.id)
    table_ids = [t.id for g in groups for t in g.tables]
    rooms = {f"assembly:{big.id}"} | {f"group:{g.id}" for g in groups}
    rooms |= {f"table:{t}" for t in table_ids}

    def record(_conn, _cursor, statement, *_args):
        if "room_sequences" in statement:
            bumps.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for _ in range(2):
            with realtime.broadcasting() as out:
                out.add(broadcasts.split(big.id, [g.id for g in groups], table_ids))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    stored = dict(db.session.execute(select(RoomSequence.room, RoomSequence.seq)).all())
    assert {room: stored[room] for room in rooms} == {room: 2 for room in rooms}
    assert len(bumps) == 2 * -(-len(rooms) // 3)  # ceil(rooms / 3) statements per message
    second = [(room, payload["seq"]) for _event, payload, room in sent[len(rooms) :]]
    assert sorted(second) == sorted((room, 2) for room in rooms)


@pytest.mark.parametrize(
    ("failed_in", "read_in", "reason"),
    [
        ("es", "en", "There is already a split. Splitting again would move "),
        ("en", "es", "Ya hay un reparto. Volver a repartir cambiaría de sub-mesa a "),
    ],
)
def test_a_failed_split_reads_in_the_language_of_whoever_follows_it(
    client, auth, db, big, make_user, run_inline, failed_in, read_in, reason
):
    """A job's failure is kept as its msgid and parameters (the nested parts of the changes
    too), not as the sentence of the request it failed in (issue 20.8)."""
    from flask_babel import refresh

    services.run_split(make_user(), big.id, population="checked_in", seed=1)
    db.session.commit()
    auth.login("organizer")
    refresh()
    answer = client.post(
        f"/assemblies/{big.id}/groups/split?lang={failed_in}",
        data={"population": "registered", "seed": "2"},
    )
    db.session.expire_all()
    job = db.session.scalars(select(jobs.Job)).one()
    assert job.status == "failed" and job.error_said["msgid"].startswith("Ya hay un reparto.")
    refresh()  # the test's one app context keeps the locale it last chose
    page = client.get(f"{answer.headers['Location']}&lang={read_in}").get_data(as_text=True)
    assert reason in page
    refresh()
    shown = client.get(f"/api/jobs/{job.id}?lang={read_in}").get_json()["job"]["error"]
    assert shown.startswith(reason) and "%(" not in shown
