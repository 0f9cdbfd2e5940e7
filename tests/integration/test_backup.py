"""``asamblea backup`` while the tables write (SQLite online backup; slow, a real server).

A backup taken in the middle of the writing holds every piece acknowledged before it began
(and nothing that was never stored); one taken once the room is quiet restores identical:
every table's rows equal the live database's, and a server started on the restored file
serves them.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import uuid

import pytest
import socketio

from tests.support.cluster import build_room
from tests.support.live_server import PROJECT_ROOT, start_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

TABLES = 40
KEY = "backup-" + uuid.uuid4().hex


def _backup(url: str, destination) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSEMBLY_DATABASE_URL": url, "ASSEMBLY_ENV": "production",
           "ASSEMBLY_SECRET_KEY": KEY, "ASSEMBLY_REDIS_URL": ""}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", "from assembly.cli import main; main()", "backup", str(destination)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _contents(path) -> dict[str, list[tuple]]:
    """Every table's rows, in a stable order."""
    with sqlite3.connect(path) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


def _pieces(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM pieces")}


def test_backup_while_live_holds_every_acknowledged_piece_and_restores_identical(tmp_path):
    live = tmp_path / "live.db"
    url = f"sqlite:///{live}"
    room = build_room(url, TABLES, 30)
    server = start_server(url, secret_key=KEY, log_dir=tmp_path)
    acked: list[str] = []
    written: list[str] = []  # the codes of tables with a stored piece
    lock = threading.Lock()
    half = threading.Event()
    problems: list = []

    def table(number, code):
        client = socketio.Client(reconnection=False)
        try:
            client.connect(server.url, auth={"table_code": code}, transports=["websocket"],
                           wait_timeout=15)  # fmt: skip
            for index in range(2):
                piece = {"id": str(uuid.uuid4()), "kind": "need", "text": f"Mesa {number}: {index}"}
                ack = client.call("submit_piece", piece, timeout=30)
                if not ack.get("ok"):
                    problems.append(ack)
                    continue
                with lock:
                    acked.append(piece["id"])
                    written.append(code)
                    if len(acked) >= TABLES // 2:
                        half.set()
        finally:
            client.disconnect()

    edited = [0]

    def keep_editing(code, running):
        """One table rewrites its first piece again and again while the backup runs."""
        client = socketio.Client(reconnection=False)
        client.connect(server.url, auth={"table_code": code}, transports=["websocket"],
                       wait_timeout=15)  # fmt: skip
        try:
            mine = client.call("join_table", {}, timeout=15)["state"]["pieces"]
            while running.is_set() and mine:
                edit = {"id": mine[0]["id"], "kind": "need", "text": f"Versión {edited[0]}"}
                if client.call("edit_piece", edit, timeout=30).get("ok"):
                    edited[0] += 1
        finally:
            client.disconnect()

    phones = [threading.Thread(target=table, args=(n, c)) for n, c in enumerate(room["codes"])]
    try:
        for phone in phones:
            phone.start()
        assert half.wait(60), problems
        with lock:
            before = set(acked)
        (tmp_path / "backups").mkdir()
        backing_up = threading.Event()
        edits = threading.Thread(target=keep_editing, args=(written[0], backing_up))
        backing_up.set()
        edits.start()
        try:
            during = _backup(url, tmp_path / "backups")  # a folder: the dated name inside it
        finally:
            backing_up.clear()
            edits.join(timeout=30)
        assert edited[0] >= 3, "the backup ran without writes around it"
        for phone in phones:
            phone.join(timeout=120)
        assert not problems, problems[:3]
        assert during.returncode == 0, during.stderr[-2000:]
        (made,) = (tmp_path / "backups").glob("live-*.db")
        assert "íntegra" in during.stdout and str(made) in during.stdout
        assert not list((tmp_path / "backups").glob("*.partial"))
        taken = _pieces(made)
        assert before <= taken, "a piece acknowledged before the backup is missing in it"
        assert taken <= set(acked), "the backup holds a piece that was never stored"
        assert len(acked) == 2 * TABLES

        quiet = _backup(url, tmp_path / "quiet.db")  # the server still runs, the room is quiet
        assert quiet.returncode == 0, quiet.stderr[-2000:]
        assert _contents(tmp_path / "quiet.db") == _contents(live)
        again = _backup(url, tmp_path / "quiet.db")
        assert again.returncode != 0 and "Ya existe" in again.stderr  # never overwritten
    finally:
        server.stop()
    expected = _contents(live)
    restored = tmp_path / "restored.db"
    shutil.copyfile(tmp_path / "quiet.db", restored)
    server = start_server(f"sqlite:///{restored}", secret_key=KEY, log_dir=tmp_path)
    try:
        client = socketio.Client(reconnection=False)
        client.connect(server.url, auth={"table_code": room["codes"][0]},
                       transports=["websocket"], wait_timeout=15)  # fmt: skip
        state = client.call("join_table", {}, timeout=15)
        client.disconnect()
        assert state["ok"], state
        assert len(state["state"]["pieces"]) == 2
    finally:
        server.stop()
    assert _pieces(restored) == set(acked)
    assert _contents(restored) == expected
