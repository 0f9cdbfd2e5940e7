"""kill -9 of the server in the middle of the tables' submissions (SQLite and PostgreSQL,
loopback; slow).

Phones keep an outbox: a piece leaves it only when its acknowledgement arrives; without one
they resend the same piece (same UUID) after reconnecting. After the restart every outbox
empties, and the database holds every piece exactly once: nothing acknowledged is lost
(synchronous=FULL), nothing is duplicated (UUID keys).
"""

import contextlib
import os
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
import socketio
from sqlalchemy import create_engine, text

from tests.support.cluster import build_room, fresh_postgres_database
from tests.support.live_server import free_port, start_server
from tests.support.services import require_postgres

pytestmark = [
    pytest.mark.slow,
    # engine.io's client leaves a socket unclosed when a connect fails (the server is down)
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

TABLES = 40
PER_TABLE = 2  # a table writes at most two needs


class Phone(threading.Thread):
    def __init__(self, url: str, code: str, number: int):
        super().__init__(daemon=True)
        self.url, self.code = url, code
        self.outbox = [
            {"id": str(uuid.uuid4()), "kind": "need", "text": f"Mesa {number}: necesidad {i}"}
            for i in range(PER_TABLE)
        ]
        self.acked: list[str] = []
        self.refused: list[dict] = []
        self.client = socketio.Client(reconnection=False)

    def run(self) -> None:
        deadline = time.monotonic() + 120
        while self.outbox and time.monotonic() < deadline:
            try:
                if not self.client.connected:
                    self.client = socketio.Client(
                        reconnection=False
                    )  # a fresh one, as a page reload
                    self.client.connect(
                        self.url, auth={"table_code": self.code}, transports=["websocket"],
                        wait_timeout=5,
                    )  # fmt: skip
                ack = self.client.call("submit_piece", self.outbox[0], timeout=5)
            except Exception:  # no server, a timeout, a dropped socket: keep it, try again
                with contextlib.suppress(Exception):
                    self.client.disconnect()
                time.sleep(0.3)
                continue
            if ack.get("ok"):
                self.acked.append(self.outbox.pop(0)["id"])
            elif ack.get("retry"):
                time.sleep(0.3)
            else:
                self.refused.append(ack)
                self.outbox.pop(0)
            time.sleep(0.05)


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_database(request, tmp_path):
    """An empty database of each kind (PostgreSQL: a new one, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
        return
    url, drop = fresh_postgres_database(require_postgres())
    try:
        yield url
    finally:
        drop()


def _stored_pieces(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [str(row[0]) for row in connection.execute(text("SELECT id FROM pieces"))]
    finally:
        engine.dispose()


def test_kill_9_during_submissions_loses_and_duplicates_nothing(crash_database, tmp_path):
    url = crash_database
    codes = build_room(url, TABLES, 0)["codes"]
    port = free_port()
    key = "crash-" + uuid.uuid4().hex
    server = start_server(url, secret_key=key, log_dir=tmp_path, port=port)
    phones = [Phone(server.url, code, n) for n, code in enumerate(codes, 1)]
    try:
        for phone in phones:
            phone.start()
        deadline = time.monotonic() + 60
        while sum(len(p.acked) for p in phones) < TABLES // 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in [*_worker_pids(server.process.pid), server.process.pid]:
            os.kill(pid, signal.SIGKILL)  # our own server's worker and master
        server.process.wait()
        acked_before = {piece for p in phones for piece in p.acked}
        assert acked_before, "the kill came before any acknowledgement"
        restarted = time.monotonic()
        server = start_server(url, secret_key=key, log_dir=tmp_path, port=port)
        for phone in phones:
            phone.join(timeout=120)
        healed_s = time.monotonic() - restarted
    finally:
        for phone in phones:
            phone.client.disconnect()
        server.stop()
    assert all(not p.outbox for p in phones), [len(p.outbox) for p in phones]
    assert not [r for p in phones for r in p.refused], [r for p in phones for r in p.refused]
    sent = {piece for p in phones for piece in p.acked}
    rows = _stored_pieces(url)
    assert len(rows) == len(set(rows)), "a piece was stored twice"
    assert acked_before <= set(rows), "an acknowledged piece was lost in the crash"
    assert set(rows) == sent and len(sent) == TABLES * PER_TABLE
    assert healed_s < 90, f"outboxes took {healed_s:.0f} s to empty after the restart"
