"""A move at the same moment as each of the writes that seat or unseat many people, on
PostgreSQL (issue 16: the lock order of assembly/core/locks.py): a re-split's bulk UPDATE,
an import's undo, a late arrival's fallback seating (its first choice was just taken).

Each write is held half-way (tests/support/seating_locks.py says where) while the move runs
until it finishes or waits on a lock; then both go on.  Before the lock order each of the
three met the move in a deadlock (PostgreSQL killed the move): the write had written a
tally row or held a sub-mesa the move needed while the move held a person or a sub-mesa the
write needed next.  Run on a fresh PostgreSQL database in a process of its own, on the
SQLite run of the suite too (mandatory with CI=true, like the other PostgreSQL tests).
"""

import json
import subprocess
import sys

import pytest

from tests.support.cluster import fresh_postgres_database
from tests.support.live_server import PROJECT_ROOT
from tests.support.services import require_postgres

DEADLOCK = "DeadlockDetected"


@pytest.fixture(scope="module")
def races():
    url, drop = fresh_postgres_database(require_postgres())
    try:
        ran = subprocess.run(
            [sys.executable, "-m", "tests.support.seating_locks", url],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        drop()
    assert ran.returncode == 0, ran.stderr[-3000:]
    return json.loads(ran.stdout.strip().splitlines()[-1])


def _no_deadlock(race: dict) -> None:
    assert DEADLOCK not in race["write"] and DEADLOCK not in race["move"], race
    assert race["write"] == "ok", race


def _counts_true(race: dict) -> None:
    assert race["tally_equals_recount"] is True
    assert race["over_capacity"] == []


def test_a_move_during_a_resplit_waits_for_it_and_nobody_is_killed(races):
    race = races["split"]
    _no_deadlock(race)
    # the split holds the person (the move waits for it), then the move is done or refused
    # by the rules (its target may be full once the split is in)
    assert race["move_waited"] is True
    assert race["move"] == "ok" or race["move"].startswith("Conflict"), race
    _counts_true(race)


def test_a_move_during_an_import_undo_waits_for_it_and_then_moves(races):
    race = races["undo"]
    _no_deadlock(race)
    assert race["move_waited"] is True
    assert race["move"] == "ok"
    assert race["second_at"] == "to"
    _counts_true(race)


def test_a_move_during_a_late_arrivals_fallback_seating_meets_no_lock_it_dropped(races):
    race = races["fallback"]
    assert race["held_first"] is True and race["other_desk"] == "ok"
    _no_deadlock(race)
    # the full first choice is let go before the second is taken: the move runs through
    assert race["move"] == "ok"
    assert race["late_seated"] is True and race["quick_at_first"] is True
    _counts_true(race)
