"""Pieces under load: 100 tables write while 500 board viewers watch, against the real server.

Starts gunicorn (gevent, one worker) on a temporary SQLite database with one assembly of
5 mesas × 20 sub-tables.  The agenda clock walks the three writing steps (needs, solutions,
plan) as the moderator would.  In each step every table, as a real python-socketio client
over websocket with its ``table_code``, starts at a random moment within ``--window``
seconds and writes its pieces one after the other (1–2 s apart): 2 needs, 2 solutions,
1 plan = 5 pieces per table.  The first piece of each step is sent a second time after its
acknowledgement (a phone that never got the ack resends it): it must not be stored or
broadcast twice.  Meanwhile 500 viewers with the ``board`` credential follow ``board:<id>``
and record every ``piece_saved``: websockets read raw (one regular expression over the byte
stream) in a separate process, so that the load generator neither competes with the
server for the CPU nor delays the phones' acknowledgements it measures.

Before the load, a baseline: the ack latency of a read-only ``join_table`` round trip on
the same connections, one at a time.  Then it prints the submit ack latency (p50/p95/max)
and counts lost and duplicated pieces in the database and as received by every viewer,
ending with

    RESULT pieces tables=100 viewers=500 p50_ms=… p95_ms=… lost=… dup=…

``lost`` = pieces acknowledged but missing in the database + deliveries missing across all
viewers; ``dup`` = rows repeating a (table, text) pair + deliveries received more than once.
Usage: ``.venv/bin/python tests/perf/bench_pieces.py [--tables 100] [--viewers 500] [--window 10]``
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import base64  # noqa: E402
import collections  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
import socketio  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.live_server import start_server  # noqa: E402
from tests.support.perf import percentile, worker_cpu_seconds  # noqa: E402
from tests.support.ws_frames import client_frame  # noqa: E402

STEPS = (("needs", "need", 2), ("solutions", "solution", 2), ("plan", "plan", 1))


def build_database(url: str, tables: int) -> dict:
    """One assembly, its 5 mesas, ``tables`` sub-tables spread over them; returns ids."""
    from assembly import create_app
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as auth
    from assembly.extensions import db
    from assembly.grouping.models import Group, Table

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SOCKETIO_ASYNC_MODE": "gevent"})
    with app.app_context():
        db.create_all()
        admin = auth.create_user(
            username="moderacion",
            display_name="Moderación",
            password="clave-bench-123",
            role="admin",
        )
        raw = {k: str(v) for k, v in assemblies.template_defaults().items()}
        raw.update(name="Asamblea bench", date=date.today().isoformat(), region="Orinoquía",
                   venue="Coliseo", department_code="81", municipality_code="81001")  # fmt: skip
        assembly = assemblies.create_from_template(admin, raw)
        db.session.flush()
        groups = (
            db.session.query(Group).filter_by(assembly_id=assembly.id).order_by(Group.number).all()
        )
        codes = []
        for n in range(tables):
            code = "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
            group = groups[n % len(groups)]
            db.session.add(Table(group_id=group.id, number=n // len(groups) + 1, join_code=code))
            codes.append(code)
        db.session.commit()
        ids = {
            "assembly_id": assembly.id,
            "board_token": assembly.board_token,
            "admin_id": admin.id,
            "codes": codes,
        }
    return {"app": app, **ids}


def move_clock(setup: dict, step_kind: str) -> None:
    """What the moderator does: the clock to the step of ``step_kind``."""
    from assembly.agenda import services as agenda
    from assembly.assemblies.services import get_assembly
    from assembly.auth.models import User
    from assembly.extensions import db

    with setup["app"].app_context():
        assembly = get_assembly(setup["assembly_id"])
        slots = agenda.load_agenda(assembly).slots
        position = next(i for i, slot in enumerate(slots) if slot.step_kind == step_kind)
        running = agenda.clock_snapshot(assembly.id)["status"] in ("running", "paused")
        actor = db.session.get(User, setup["admin_id"])
        agenda.control(actor, assembly.id, "jump" if running else "start", position=position)
        db.session.commit()
        assert agenda.open_piece_kinds(assembly.id) == {
            dict((s, k) for s, k, _ in STEPS)[step_kind]
        }


class Viewer:
    """A board screen holding a websocket on ``board:<id>``, reading its byte stream raw.

    500 viewers receive 250,000 messages; a full websocket client costs the load generator
    more CPU than the server spends sending them.  Server frames are unmasked, so the stream
    is scanned with one regular expression: pings ("2") are answered, connect and join
    acknowledgements noticed, and the id of every ``piece_saved`` counted."""

    SCAN = re.compile(
        rb'(?P<ping>\x81\x012)|(?P<connected>40\{"sid")|(?P<joined>431\[)'
        rb'|\["piece_saved",\{"id":"(?P<id>[0-9a-f-]{36})"'  # alone or in a batch
    )

    def __init__(self, url: str, assembly_id: int, board_token: str):
        self.host, self.port = url.removeprefix("http://").split(":")
        self.assembly_id = assembly_id
        self.board_token = board_token
        self.received: collections.Counter = collections.Counter()
        self.ready = gevent.event.Event()
        self.sock = None

    def run(self) -> None:
        try:
            self.sock = socket.create_connection((self.host, int(self.port)), timeout=120)
            key = base64.b64encode(os.urandom(16)).decode()
            self.sock.sendall(
                f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n".encode()
            )
            buffer = b""
            while b"\r\n\r\n" not in buffer:
                buffer += self.sock.recv(4096)
            buffer = buffer.split(b"\r\n\r\n", 1)[1]
            self.sock.sendall(client_frame("40" + json.dumps({"board": self.board_token})))
            while True:
                cut = 0
                for match in self.SCAN.finditer(buffer):
                    cut = match.end()
                    if match["id"]:
                        self.received[match["id"].decode()] += 1
                    elif match["ping"]:
                        self.sock.sendall(client_frame("3"))
                    elif match["connected"]:
                        join = ["join_board", {"assembly_id": self.assembly_id}]
                        self.sock.sendall(client_frame("421" + json.dumps(join)))
                    else:
                        self.ready.set()
                buffer = buffer[max(cut, len(buffer) - 700) :]  # keep a message cut in two
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
        except Exception:  # a closed socket ends the viewer; its missing pieces are counted
            pass
        self.ready.set()

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(Exception):
                self.sock.close()


class TablePhone:
    """A table leader's phone: a real python-socketio client with the table's code."""

    def __init__(self, url: str, code: str):
        self.client = socketio.Client(reconnection_delay=0.5, reconnection_delay_max=2)
        self.client.on("disconnect", self._on_disconnect)
        self.client.connect(
            url, auth={"table_code": code}, transports=["websocket"], wait_timeout=30
        )
        self.disconnects: list[float] = []
        self.closing = False
        self.retries = 0
        self.latencies: list[float] = []
        self.acked: dict[str, str] = {}  # piece id -> text
        self.errors: list[str] = []
        self.parents: dict[str, list[str]] = {"need": [], "solution": []}

    def _on_disconnect(self, *args):
        if not self.closing:
            self.disconnects.append(time.time())

    def call(self, event: str, data: dict) -> tuple[dict, float]:
        """Emit with an acknowledgement; without one, resend the same data after the reconnect
        (what the phone's outbox does).  The latency includes any such retry."""
        started = time.perf_counter()
        while True:
            try:
                ack = self.client.call(event, data, timeout=30)
                return ack, (time.perf_counter() - started) * 1000
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                self.retries += 1
                deadline = time.monotonic() + 60
                while not self.client.connected and time.monotonic() < deadline:
                    gevent.sleep(0.2)

    def write_step(self, kind: str, count: int, window: float, number: int) -> None:
        gevent.sleep(random.uniform(0, window))
        parents = self.parents.get({"solution": "need", "plan": "solution"}.get(kind, ""), [])
        for index in range(count):
            piece = {
                "id": str(uuid.uuid4()),
                "kind": kind,
                "text": f"Mesa {number}: {kind} {index + 1}",
            }
            if kind != "need":
                piece["parent_id"] = parents[index]
            if kind == "plan":
                piece.update(who="Cooperativa y asociación de la mesa", due="2025-T3")
            ack, ms = self.call("submit_piece", piece)
            self.latencies.append(ms)
            if not ack.get("ok"):
                self.errors.append(ack.get("error", "?"))
                continue
            self.acked[piece["id"]] = piece["text"]
            if kind in self.parents:
                self.parents[kind].append(piece["id"])
            if index == 0:  # the ack "was lost": the phone sends the same piece again
                again, ms = self.call("submit_piece", piece)
                self.latencies.append(ms)
                if not again.get("ok") or again.get("created"):
                    self.errors.append(f"resend: {again}")
            gevent.sleep(random.uniform(1.0, 2.0))


def main() -> None:
    if sys.argv[1:2] == ["--viewer-process"]:
        return viewer_process(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--viewer-procs", type=int, default=1)
    parser.add_argument(
        "--window", type=float, default=10.0, help="seconds over which tables start a step"
    )
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        setup = build_database(url, args.tables)
        server = start_server(url, secret_key=secrets.token_hex(16), log_dir=Path(tmp))
        try:
            result = run(server.url, setup, args, server)
        finally:
            server.stop()
            log = server.log().splitlines()
            problems = [line for line in log if "ERROR" in line or "WARN" in line]
            if problems:
                print(f"server log: {len(problems)} warnings/errors:", *problems[:8], sep="\n  ")
        report(setup, url, result, args)


def viewer_process(url: str, assembly_id: int, count: int, board_token: str) -> None:
    """``--viewer-process``: hold ``count`` viewers; report what they saw of the acked ids.

    Viewers live in their own processes so that reading 250,000 deliveries never delays the
    table phones' acknowledgements measured in the main process."""
    viewers = [Viewer(url, assembly_id, board_token) for _ in range(count)]
    greenlets = []
    for index, viewer in enumerate(viewers):
        greenlets.append(gevent.spawn(viewer.run))
        if index % 50 == 49:
            gevent.sleep(0.05)
    for viewer in viewers:
        viewer.ready.wait(timeout=60)
    print("READY", sum(1 for v in viewers if v.sock is not None), flush=True)
    # sent when the writing is over; read in a thread: a plain stdin read would block the hub
    acked = set(json.loads(gevent.get_hub().threadpool.apply(sys.stdin.readline)))
    gevent.sleep(3)  # let the last broadcasts arrive
    missing = sum(1 for v in viewers for pid in acked if v.received[pid] == 0)
    dup = sum(n - 1 for v in viewers for n in v.received.values() if n > 1)
    for viewer in viewers:
        viewer.close()
    gevent.killall(greenlets, timeout=5)
    print(json.dumps({"missing": missing, "dup": dup}), flush=True)


def run(server_url: str, setup: dict, args, server) -> dict:
    import subprocess

    per_process = [args.viewers // args.viewer_procs] * args.viewer_procs
    per_process[0] += args.viewers - sum(per_process)
    watchers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--viewer-process",
                server_url,
                str(setup["assembly_id"]),
                str(count),
                setup["board_token"],
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for count in per_process
    ]
    joined = sum(int(w.stdout.readline().split()[1]) for w in watchers)
    phones = [TablePhone(server_url, code) for code in setup["codes"]]

    baseline = []
    for phone in phones:  # one at a time: the cost of a round trip with everyone connected
        ack, ms = phone.call("join_table", {})
        assert ack["ok"], ack
        baseline.append(ms)

    cpu_before, started, t0 = worker_cpu_seconds(server), time.perf_counter(), time.time()
    for step_kind, kind, count in STEPS:
        move_clock(setup, step_kind)
        jobs = [
            gevent.spawn(p.write_step, kind, count, args.window, n + 1)
            for n, p in enumerate(phones)
        ]
        gevent.joinall(jobs, raise_error=True)
    elapsed = time.perf_counter() - started
    server_cpu = worker_cpu_seconds(server) - cpu_before
    acked = [pid for p in phones for pid in p.acked]
    seen = {"missing": 0, "dup": 0}
    for watcher in watchers:
        watcher.stdin.write(json.dumps(acked) + "\n")
        watcher.stdin.flush()
    for watcher in watchers:
        counts = json.loads(watcher.stdout.readline())
        seen = {k: seen[k] + counts[k] for k in seen}
        watcher.wait(timeout=30)
    for phone in phones:
        phone.closing = True
        phone.client.disconnect()
    return {
        "phones": phones,
        "joined": joined,
        "seen": seen,
        "baseline": baseline,
        "elapsed": elapsed,
        "server_cpu": server_cpu,
        "t0": t0,
    }


def report(setup: dict, url: str, result: dict, args) -> None:
    from sqlalchemy import create_engine, text

    phones = result["phones"]
    acked = {pid: t for p in phones for pid, t in p.acked.items()}
    latencies = [ms for p in phones for ms in p.latencies]
    errors = [e for p in phones for e in p.errors]
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, table_id, text FROM pieces")).all()
    engine.dispose()
    stored = {row.id for row in rows}
    db_lost = len(set(acked) - stored)
    db_dup = len(rows) - len({(row.table_id, row.text) for row in rows})
    seen_lost, seen_dup = result["seen"]["missing"], result["seen"]["dup"]
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    base50, base95 = statistics.median(result["baseline"]), percentile(result["baseline"], 0.95)
    print(f"{args.tables} tables × 5 pieces (+1 resend per step), {result['joined']}/{args.viewers} board viewers, "
          f"one gevent worker, SQLite; steps started within {args.window:.0f} s; {result['elapsed']:.1f} s in all")  # fmt: skip
    print(
        f"server worker CPU during the writing: {result['server_cpu']:.1f} s of {result['elapsed']:.1f} s wall"
    )
    print(f"baseline join_table ack (one at a time): p50 {base50:.1f} ms  p95 {base95:.1f} ms")
    print(
        f"submit_piece ack under load ({len(latencies)} acks): p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {max(latencies):.1f} ms"
    )
    print(
        f"acknowledged {len(acked)} pieces, stored {len(rows)}; refused {len(errors)} {errors[:3]}"
    )
    drops = sorted(t for p in phones for t in p.disconnects)
    print(
        f"table sockets dropped {len(drops)}× (sent again after the reconnect: "
        f"{sum(p.retries for p in phones)}); at s {[round(t - result['t0'], 1) for t in drops][:10]}"
    )
    print(f"database: lost {db_lost} dup {db_dup}; viewers: {len(acked) * result['joined']} deliveries expected, "
          f"missing {seen_lost}, duplicated {seen_dup}")  # fmt: skip
    print(
        f"RESULT pieces tables={args.tables} viewers={args.viewers} p50_ms={p50:.1f} p95_ms={p95:.1f} "
        f"lost={db_lost + seen_lost + len(errors)} dup={db_dup + seen_dup}"
    )


if __name__ == "__main__":
    main()
