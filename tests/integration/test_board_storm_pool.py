"""A storm of board screens never empties the PostgreSQL pool (issue 16.3 and 16.7; slow).

After a restart every projector and TV of a venue connects and joins at the same moment.
Checked one by one, each board's token and each join's marks took a pooled connection, held
for every round trip while the gevent loop served the other screens' handshakes: with 500
boards on 3 processes the pool ran dry and screens were told "busy, ask again".  Screens
asking the same question at once now share one read (assembly/core/shared_reads.py), so a
pool far smaller than the crowd serves it: every screen gets its snapshot on the first try.
"""

import json
import secrets
import subprocess
import sys

import pytest

from tests.support.cluster import build_room, fresh_postgres_database
from tests.support.live_server import PROJECT_ROOT, start_server
from tests.support.services import require_postgres

pytestmark = pytest.mark.slow

SCREENS = 300
#: deliberately small: two connections, no overflow, and no wait for one ("unavailable" at
#: once): the storm's two questions (the token, the board's marks) may each hold one, never more
SMALL_POOL = {
    "ASSEMBLY_PG_POOL_SIZE": "2",
    "ASSEMBLY_PG_MAX_OVERFLOW": "0",
    "ASSEMBLY_PG_POOL_TIMEOUT": "0",
}


def _storm(url: str, room: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.board_storm", url, room["board_token"],
         str(room["assembly_id"]), str(SCREENS)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_board_of_a_storm_gets_its_snapshot_first_try_from_a_small_pool(tmp_path):
    url, drop = fresh_postgres_database(require_postgres())
    server = None
    try:
        room = build_room(url, 1, 0)
        server = start_server(
            url, secret_key=secrets.token_hex(16), log_dir=tmp_path, extra_env=SMALL_POOL
        )
        outcome = _storm(server.url, room)
        log = server.log()
        assert outcome == {"joined": SCREENS, "refused": {}, "join_errors": {}, "broken": 0}, (
            outcome,
            log[-3000:],
        )
        assert "QueuePool limit" not in log, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
    finally:
        if server is not None:
            server.stop()
        drop()
