"""Two staff members moving people between the same two sub-mesas in opposite directions at
once, on PostgreSQL (issue 16: the per-table tally rows the triggers keep, tally_sql.py).

Each move's UPDATE makes the triggers decrement the tally rows of the sub-mesa left and
increment those of the one joined; without an order, two opposite moves took the two
sub-mesas' rows in opposite orders and PostgreSQL killed one of them as a deadlock (seen about
once in 100 rounds). The move and the swap now lock both sub-mesas' rows, lowest id first,
before writing anyone. Run on a fresh PostgreSQL database in a process of its own
(tests/support/opposite_moves.py), on the SQLite run of the suite too.
"""

import json
import subprocess
import sys

import pytest

from tests.support.cluster import fresh_postgres_database
from tests.support.live_server import PROJECT_ROOT
from tests.support.services import require_postgres

# heavy: a race run against a PostgreSQL database of its own (the slow run, once)
pytestmark = pytest.mark.slow

ROUNDS = 80  # each round: two opposite moves at once, then two opposite swaps at once


@pytest.fixture(scope="module")
def opposite_moves():
    url, drop = fresh_postgres_database(require_postgres())
    try:
        ran = subprocess.run(
            [sys.executable, "-m", "tests.support.opposite_moves", url, str(ROUNDS)],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        drop()
    assert ran.returncode == 0, ran.stderr[-3000:]
    return json.loads(ran.stdout.strip().splitlines()[-1])


def test_the_second_of_two_opposite_moves_waits_at_the_sub_mesa_before_writing_anyone(
    opposite_moves,
):
    # the first move is held open; the opposite one waits on the lock of a sub-mesa's row
    # (tables), not inside a tally row half-way through its UPDATE (the deadlock's place)
    assert opposite_moves["waiting"] == "tables; then ok"


def test_opposite_moves_and_swaps_at_once_never_deadlock_and_the_tally_stays_a_recount(
    opposite_moves,
):
    assert opposite_moves["errors"] == {"east": [], "west": []}
    assert opposite_moves["writes"] == {"east": 2 * ROUNDS, "west": 2 * ROUNDS}
    assert opposite_moves["tally_equals_recount"] is True
    assert opposite_moves["sizes"] == [6, 6]  # a move there and back, swaps one for one
