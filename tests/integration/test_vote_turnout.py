"""The board's live turnout after concurrent phone votes, and the coalesced runs behind it.

Counted inside each vote's transaction, two concurrent votes on PostgreSQL could each miss the
other and leave «N de M personas presentes han votado» one short. The count now runs after the
commits, once per burst (assembly/core/coalesce.py), on both backends (CI runs this file on
SQLite and on PostgreSQL).
"""

import logging
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from assembly.board import services
from assembly.board.models import Vote
from assembly.core import coalesce
from assembly.extensions import db, socketio
from tests.support.board_seed import seed_pieces


@pytest.fixture
def tasks(monkeypatch):
    """The coalesced runs started (each is a background task): a test joins them rather than
    waiting on the clock."""
    started = []
    start = socketio.start_background_task
    monkeypatch.setattr(
        socketio, "start_background_task", lambda *a, **kw: started.append(start(*a, **kw))
    )
    return started


def _join(tasks):
    for task in tasks:
        task.join(10)
        assert not task.is_alive()


def test_concurrent_phone_votes_end_with_the_stored_count_on_the_board(
    app, make_assembly, make_attendee, monkeypatch, tasks
):
    monkeypatch.setitem(app.config, "VOTE_TURNOUT_DELAY_MS", 50)
    assembly = make_assembly()
    seed_pieces(assembly, 2, per_group=2)
    people = [make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8)) for _ in range(12)]
    group = services.board_groups(assembly.id)[0]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    board = socketio.test_client(app, auth={"board": assembly.board_token})
    assert board.emit("join_board", {"assembly_id": assembly.id}, callback=True)["ok"]
    board.get_received()

    tokens, approval_id = [person.ticket_token for person in people], approval.id
    lanes = 4  # within the test pool (DB_POOL_SIZE 5, one held by the test itself)
    barrier = threading.Barrier(lanes)
    answers, failures = [], []

    def vote(mine):
        phone = app.test_client()
        barrier.wait(10)  # the lanes' first votes overlap
        for token in mine:
            try:
                answers.append(
                    phone.post(
                        f"/t/{token}/votar", data={"approval_id": approval_id, "choice": "for"}
                    ).status_code
                )
            except Exception as error:  # reported below, with the verdict
                failures.append(error)

    threads = [threading.Thread(target=vote, args=(tokens[i::lanes],)) for i in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive()
    assert failures == [] and answers == [302] * len(tokens)
    _join(tasks)

    db.session.expire_all()
    stored = db.session.scalar(select(func.count(Vote.id)).where(Vote.approval_id == approval_id))
    assert stored == len(tokens)
    counts = [
        e["args"][0]["approval"]["cast"]
        for e in board.get_received()
        if e["name"] == "approval_changed"
    ]
    assert counts and counts[-1] == stored
    assert len(counts) <= len(tasks) < len(tokens)  # coalesced: fewer broadcasts than votes
    board.disconnect()


def test_calls_while_a_run_is_pending_share_it_and_read_after_them(app, tasks, monkeypatch):
    seen = []
    state = {"value": 0}

    def fn():
        seen.append(state["value"])

    gate = threading.Event()
    sleep = socketio.sleep
    monkeypatch.setattr(socketio, "sleep", lambda s: (gate.wait(10), sleep(0)))
    for value in (1, 2, 3):
        state["value"] = value
        coalesce.coalesced(("k", 1), fn, 100)
    coalesce.coalesced(("k", 2), fn, 100)  # another key has its own run
    assert len(tasks) == 2
    gate.set()
    _join(tasks)
    assert seen == [3, 3]  # one run per key, reading what the last call left
    coalesce.coalesced(("k", 1), fn, 100)  # after the run, the next call schedules a new one
    assert len(tasks) == 3
    _join(tasks)
    assert seen == [3, 3, 3]


def test_a_cancelled_run_does_nothing_and_logs_nothing(app, tasks, monkeypatch, caplog):
    """A test app's teardown cancels its pending runs before its tables go (the desk's delayed
    counters once logged «no such table» after the suite dropped them)."""
    ran = []
    gate = threading.Event()
    sleep = socketio.sleep
    monkeypatch.setattr(socketio, "sleep", lambda s: (gate.wait(10), sleep(0)))
    with caplog.at_level(logging.WARNING):
        coalesce.coalesced(("desk_counters", 1), lambda: ran.append(1), 100)
        coalesce.cancel_pending(app)
        gate.set()
        _join(tasks)
    assert ran == [] and caplog.records == []
    coalesce.coalesced(("desk_counters", 1), lambda: ran.append(1), 100)  # later calls run
    _join(tasks)
    assert ran == [1]


def test_cancel_waits_for_a_run_in_progress(app, tasks):
    inside, release, finished = threading.Event(), threading.Event(), []

    def fn():
        inside.set()
        release.wait(10)
        finished.append(True)

    coalesce.coalesced(("slow", 1), fn, 1)
    assert inside.wait(10)
    canceller = threading.Thread(target=coalesce.cancel_pending, args=(app,))
    canceller.start()
    canceller.join(0.2)
    assert canceller.is_alive()  # waits for the run that holds the database
    release.set()
    canceller.join(10)
    assert not canceller.is_alive() and finished == [True]
