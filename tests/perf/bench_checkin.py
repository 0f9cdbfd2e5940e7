"""Benchmark of the registration desk: 500 pre-registered people checked in by 4 desks at once
through the real HTTP endpoint of a running server, against a bare-UPDATE baseline.

Run from the project root:  .venv/bin/python tests/perf/bench_checkin.py

Set-up, as on the day: gunicorn with one gevent worker, SQLite (WAL) in a temporary folder,
500 attendees.  Four desk operators log in (four accounts), open a Socket.IO connection each
and join ``desk:<assembly>`` (so every check-in also pays for its counters broadcast), then
check in their quarter of the room as fast as the server answers, each with its own
keep-alive connection: POST /assemblies/<id>/desk/checkin {"ticket": "<ticket URL>", "desk"}.
Baseline, in the same run and the same gunicorn set-up: tests/perf/checkin_baseline_app.py, a
bare Flask route doing the same conditional UPDATE by primary key and committing.
The last line is machine-readable:
RESULT checkin n=500 desks=4 p95_ms=… per_s=… baseline_p95_ms=…
"""

import http.client
import json
import os
import re
import secrets
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.live_server import Browserless, start_server
from tests.support.perf import percentile, worker_cpu_seconds

N = 500
DESKS = 4
PASSWORD = "clave-de-banco-123"
TARGET_P95_MS = 50
TARGET_RATIO = 3
ROUNDS = 10


def prepare_database(url: str) -> dict:
    """Schema, 4 desk accounts, the bench assembly with N attendees and, in the same table, a
    second assembly with N more rows for the baseline to update."""
    from datetime import date

    from assembly import create_app
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as auth
    from assembly.extensions import db
    from assembly.registration.domain import normalize_name
    from assembly.registration.models import Attendee

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(16),
            "TESTING": True,
            "SOCKETIO_ASYNC_MODE": "threading",
        }
    )
    with app.app_context():
        db.create_all()
        usernames = [f"mesa{n}" for n in range(1, DESKS + 1)]
        for name in usernames:
            auth.create_user(username=name, display_name=name, password=PASSWORD, role="organizer")
        rooms = []
        for label in ("Asamblea de banco de pruebas", "Filas del baseline"):
            raw = {
                **{k: str(v) for k, v in assemblies.template_defaults().items()},
                "name": label,
                "date": date(2026, 3, 14).isoformat(),
                "region": "Orinoquía",
                "venue": "Coliseo",
                "department_code": "81",
                "municipality_code": "81001",
            }
            assembly = assemblies.create_from_template(None, raw)
            people = []
            for n in range(N):
                first, last = f"Persona {n}", "Banco Pruebas"
                people.append(
                    Attendee(
                        assembly_id=assembly.id,
                        ticket_token=secrets.token_urlsafe(32),
                        document_type="CC",
                        document_number=str(20_000_000 + n),
                        first_names=first,
                        last_names=last,
                        name_key=normalize_name(f"{first} {last}"),
                        sex="mujer",
                        ethnicity="ninguno",
                        department_code="81",
                        municipality_code="81001",
                        consent_data=True,
                        source="preregistro",
                    )
                )
            db.session.add_all(people)
            db.session.flush()
            rooms.append((assembly.id, [(a.id, a.ticket_token) for a in people]))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    (assembly_id, rows), (_other, baseline_rows) = rooms
    return {
        "assembly_id": assembly_id,
        "rows": rows,
        "baseline_ids": [aid for aid, _ in baseline_rows],
        "usernames": usernames,
    }


class Desk:
    """One desk operator: a keep-alive HTTP connection with the log-in cookie and CSRF token."""

    def __init__(self, base_url: str, cookie: str = "", csrf: str = ""):
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if cookie:
            self.headers["Cookie"] = cookie
        if csrf:
            self.headers["X-CSRFToken"] = csrf

    def post(self, path: str, body: dict) -> tuple[int, dict, float]:
        payload = json.dumps(body)
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request("POST", path, body=payload, headers=self.headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # the server closed an idle keep-alive connection: reconnect, as a browser does
                self.connection.close()
                if attempt == 2:
                    raise
        elapsed = time.perf_counter() - start
        return response.status, json.loads(data or b"{}"), elapsed

    def close(self) -> None:
        self.connection.close()


def run_desks(desks: list[Desk], jobs: list[list[tuple[str, dict]]], check) -> tuple[list, float]:
    """Every desk works its job list at once; returns (latencies in s, wall time in s)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(desks) + 1)

    def work(desk: Desk, job: list[tuple[str, dict]]) -> None:
        mine = []
        barrier.wait()
        for path, body in job:
            try:
                status, data, elapsed = desk.post(path, body)
            except Exception as error:  # a crashed desk must fail the run, not shrink n
                errors.append(repr(error))
                continue
            problem = check(status, data)
            if problem:
                errors.append(problem)
            mine.append(elapsed)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(desks, jobs, strict=True)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return latencies, wall


def report(label: str, latencies: list[float], wall: float) -> tuple[float, float]:
    p50 = statistics.median(latencies) * 1000
    p95 = percentile(latencies, 0.95) * 1000
    worst = max(latencies) * 1000
    rate = len(latencies) / wall
    print(
        f"  {label:<9} n={len(latencies)}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
        f"max {worst:6.1f} ms  {rate:6.1f} check-ins/s  ({wall:.2f} s)"
    )
    return p95, rate


def split_jobs(items: list, desks: int) -> list[list]:
    return [items[k::desks] for k in range(desks)]


def open_socket(base_url: str, cookie: str, assembly_id: int, received: list):
    import socketio

    client = socketio.Client(reconnection=False)
    client.on("desk_counters", lambda state: received.append(state))
    client.connect(base_url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    ack = client.call("join_desk", {"assembly_id": assembly_id}, timeout=10)
    if not ack.get("ok"):
        raise SystemExit(f"join_desk refused: {ack}")
    return client


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as tmp:
        workdir = Path(tmp)
        database = workdir / "bench.db"
        url = f"sqlite:///{database}"
        data = prepare_database(url)
        assembly_id = data["assembly_id"]
        print(f"n={N}  desks={DESKS}  gunicorn -k gevent -w 1, SQLite WAL ({database.name})")
        print(
            "  machine load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        )
        print(f"  {ROUNDS} rounds of {N // ROUNDS}, baseline and check-in alternating")

        # Both servers keep idle connections open between rounds, as for a desk's browser.
        keep_alive = {"GUNICORN_CMD_ARGS": "--keep-alive 30"}
        extra = dict(keep_alive)
        if os.environ.get("BENCH_TRACE"):  # the server's own time per request, in its log
            extra["GUNICORN_CMD_ARGS"] += " --access-logfile - --access-logformat ACCESS%(D)s"
        app_server = start_server(
            url, secret_key=secrets.token_hex(16), log_dir=workdir, extra_env=extra
        )
        base_server = start_server(
            url,
            secret_key=secrets.token_hex(16),
            log_dir=workdir,
            wsgi="tests.perf.checkin_baseline_app:app",
            extra_env=keep_alive,
        )
        sockets, desks, base_desks = [], [], []
        received: list[list] = [[] for _ in range(DESKS)]
        try:
            desk_path = f"/assemblies/{assembly_id}/desk"
            for k, username in enumerate(data["usernames"]):
                browser = Browserless(app_server.url)
                browser.login(username, PASSWORD)
                page = browser.get(f"{desk_path}?desk=Mesa+{k + 1}")
                csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
                cookie = browser.cookie_header()
                desks.append(Desk(app_server.url, cookie, csrf))
                if os.environ.get("BENCH_SOCKETS", "1") == "1":
                    sockets.append(open_socket(app_server.url, cookie, assembly_id, received[k]))
                base_desks.append(Desk(base_server.url))
            for desk, base in zip(desks, base_desks, strict=True):  # connect, warm up
                desk.post(f"{desk_path}/checkin", {"ticket": "warm-up", "desk": "warm"})
                base.post("/touch/0", {"desk": "warm"})

            checkins = [
                (
                    f"{desk_path}/checkin",
                    {"ticket": f"{app_server.url}/t/{token}", "desk": f"Mesa {k % DESKS + 1}"},
                )
                for k, (_aid, token) in enumerate(data["rows"])
            ]
            touches = [
                (f"/touch/{aid}", {"desk": f"Mesa {k % DESKS + 1}"})
                for k, aid in enumerate(data["baseline_ids"])
            ]

            def check_app(status, body):
                return None if status == 200 and body.get("result") == "ok" else f"{status} {body}"

            def check_base(status, body):
                return None if status == 200 and body.get("changed") == 1 else f"{status} {body}"

            size = N // ROUNDS
            app_lat, base_lat, app_wall, base_wall = [], [], 0.0, 0.0
            app_cpu, base_cpu = 0.0, 0.0
            for r in range(ROUNDS):
                chunk = slice(r * size, (r + 1) * size)
                order = ("base", "app") if r % 2 == 0 else ("app", "base")
                for which in order:
                    if which == "app":
                        before = worker_cpu_seconds(app_server)
                        lat, wall = run_desks(desks, split_jobs(checkins[chunk], DESKS), check_app)
                        app_cpu += worker_cpu_seconds(app_server) - before
                        app_lat += lat
                        app_wall += wall
                    else:
                        before = worker_cpu_seconds(base_server)
                        lat, wall = run_desks(
                            base_desks, split_jobs(touches[chunk], DESKS), check_base
                        )
                        base_cpu += worker_cpu_seconds(base_server) - before
                        base_lat += lat
                        base_wall += wall

            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not all(
                r and r[-1]["checked_in"] == N for r in received
            ):
                time.sleep(0.05)
            pushed = [len(r) for r in received]
            final = [r[-1]["checked_in"] if r else 0 for r in received]
        finally:
            for client in sockets:
                client.disconnect()
            for desk in desks + base_desks:
                desk.close()
            app_server.stop()
            base_server.stop()
        if os.environ.get("BENCH_TRACE"):
            times = sorted(int(t) / 1000 for t in re.findall(r"ACCESS(\d+)", app_server.log()))
            print(
                f"  server-side ms: p50 {times[len(times) // 2]:.1f} "
                f"p95 {times[int(len(times) * 0.95)]:.1f} max {times[-1]:.1f} (n={len(times)})"
            )

        baseline_p95, _ = report("baseline", base_lat, base_wall)
        p95, rate = report("check-in", app_lat, app_wall)
        print(
            f"  server CPU per request (the worker's user+system time, not the machine's load):"
            f" check-in {app_cpu / N * 1000:.2f} ms, baseline {base_cpu / N * 1000:.2f} ms"
        )
        print(f"  counters pushed to each desk: {pushed}; last snapshot checked_in={final}")
        with sqlite3.connect(database) as connection:
            stored, desks_used = connection.execute(
                "SELECT count(*), count(DISTINCT checked_in_desk) FROM attendees "
                "WHERE checked_in_at IS NOT NULL AND assembly_id = ?",
                (assembly_id,),
            ).fetchone()
        print(f"  stored check-ins: {stored} by {desks_used} desks")
        if stored != N or (sockets and final != [N] * DESKS):
            raise SystemExit("check-ins or broadcasts missing")
        ratio = p95 / baseline_p95 if baseline_p95 else float("inf")
        verdict = "OK" if p95 < TARGET_P95_MS and ratio <= TARGET_RATIO else "OVER TARGET"
        print(
            f"  target p95 < {TARGET_P95_MS} ms and <= {TARGET_RATIO}x baseline: "
            f"{p95:.1f} ms, {ratio:.2f}x -> {verdict}"
        )
        print(
            f"RESULT checkin n={N} desks={DESKS} p95_ms={p95:.1f} per_s={rate:.1f} "
            f"baseline_p95_ms={baseline_p95:.1f}"
        )


if __name__ == "__main__":
    main()
