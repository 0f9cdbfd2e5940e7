"""kill -9 of the server in the middle of 1,000 piece submissions (issue 16.6; SQLite and
PostgreSQL, loopback; slow): 500 tables, two needs each, sent by 40 clients at once.

Phones keep an outbox: a piece leaves it only when its acknowledgement arrives; without one
they resend the same piece (same UUID) after reconnecting. After the restart every outbox
empties, and the database holds every piece exactly once: nothing acknowledged is lost
(synchronous=FULL), nothing is duplicated (UUID keys).
"""

import contextlib
import json
import os
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
import websocket
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

TABLES = 500
PER_TABLE = 2  # a table writes at most two needs: 1,000 pieces in all
PHONES = 40  # clients at once; each keeps the outboxes of its share of the tables
KILL_AFTER = 300  # acknowledgements before the kill -9 (of TABLES * PER_TABLE)


class Phone(threading.Thread):
    """One client holding the outboxes of several tables (a table's socket speaks for that
    table only, so it connects to each in turn): a piece leaves its outbox only when its
    acknowledgement arrives; after any failure the same piece (same UUID) is sent again over
    a fresh connection, as a page reload does.

    It speaks Socket.IO over a plain websocket (Engine.IO 4 text packets: ``40`` connect with
    the table's code, ``42<n>`` an event expecting acknowledgement ``43<n>``, ``2``/``3``
    ping/pong): a full python-socketio client starts threads of its own per connection, and
    500 of them cost this test more CPU than the server spends on the pieces."""

    def __init__(self, url: str, tables: list[tuple[int, str]]):
        super().__init__(daemon=True)
        self.url = url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.outboxes = {
            code: [
                {"id": str(uuid.uuid4()), "kind": "need", "text": f"Mesa {number}: necesidad {i}"}
                for i in range(PER_TABLE)
            ]
            for number, code in tables
        }
        self.acked: list[str] = []
        self.refused: list[dict] = []
        self.socket = None
        self.table = None  # the code the socket is connected with
        self.calls = 0

    @property
    def outbox(self) -> list[dict]:
        return [piece for pieces in self.outboxes.values() for piece in pieces]

    def _packet(self, *prefixes: str) -> str:
        """The next packet starting with one of ``prefixes`` (pings answered, broadcasts to
        the table skipped)."""
        while True:
            packet = self.socket.recv()
            if packet == "2":
                self.socket.send("3")
            elif not packet:
                raise ConnectionError("the server closed the socket")
            elif packet.startswith(prefixes):
                return packet

    def _connect(self, code: str) -> None:
        if self.socket is not None and self.table == code:
            return
        self.close()
        self.socket = websocket.create_connection(self.url, timeout=5)
        if not self._packet("0").startswith("0{"):
            raise ConnectionError("no Engine.IO open packet")
        self.socket.send("40" + json.dumps({"table_code": code}))
        answer = self._packet("40", "44")
        if answer.startswith("44"):  # refused (retryable or not): a fresh try in a moment
            raise ConnectionRefusedError(answer)
        self.table = code

    def _submit(self, piece: dict) -> dict:
        self.calls += 1
        self.socket.send(f"42{self.calls}" + json.dumps(["submit_piece", piece]))
        prefix = f"43{self.calls}["
        return json.loads(self._packet(prefix)[len(prefix) - 1 :])[0]

    def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):
                self.socket.close()
        self.socket, self.table = None, None

    def run(self) -> None:
        deadline = time.monotonic() + 240
        for code, outbox in self.outboxes.items():
            while outbox and time.monotonic() < deadline:
                try:
                    self._connect(code)
                    ack = self._submit(outbox[0])
                except Exception:  # no server, a timeout, a dropped socket: keep it, try again
                    self.close()
                    time.sleep(0.3)
                    continue
                if ack.get("ok"):
                    self.acked.append(outbox.pop(0)["id"])
                elif ack.get("retry"):
                    time.sleep(0.3)
                else:
                    self.refused.append(ack)
                    outbox.pop(0)
        self.close()


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
    tables = list(enumerate(codes, 1))
    phones = [Phone(server.url, tables[n::PHONES]) for n in range(PHONES)]
    started = time.monotonic()
    try:
        for phone in phones:
            phone.start()
        deadline = time.monotonic() + 120
        while sum(len(p.acked) for p in phones) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in [*_worker_pids(server.process.pid), server.process.pid]:
            os.kill(pid, signal.SIGKILL)  # our own server's worker and master
        server.process.wait()
        acked_before = {piece for p in phones for piece in p.acked}
        assert acked_before, "the kill came before any acknowledgement"
        restarted = time.monotonic()
        server = start_server(url, secret_key=key, log_dir=tmp_path, port=port)
        for phone in phones:
            phone.join(timeout=240)
        healed_s = time.monotonic() - restarted
    finally:
        for phone in phones:
            phone.close()
        server.stop()
    print(
        f"{len(acked_before)} acknowledged before the kill; every outbox empty "
        f"{healed_s:.1f} s after the restart; {time.monotonic() - started:.1f} s in all"
    )
    assert all(not p.outbox for p in phones), [len(p.outbox) for p in phones]
    assert not [r for p in phones for r in p.refused], [r for p in phones for r in p.refused]
    sent = {piece for p in phones for piece in p.acked}
    rows = _stored_pieces(url)
    assert len(rows) == len(set(rows)), "a piece was stored twice"
    assert acked_before <= set(rows), "an acknowledged piece was lost in the crash"
    assert set(rows) == sent and len(sent) == TABLES * PER_TABLE == 1000
    assert healed_s < 180, f"outboxes took {healed_s:.0f} s to empty after the restart"
