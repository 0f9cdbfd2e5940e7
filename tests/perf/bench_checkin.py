"""Benchmark of the registration desk after the split: late arrivals checked in by 4 desks at
once, each seated by the check-in, in a SPLIT room of 5,000 and of 50,000 people, through the
real HTTP endpoint of a running server, against a bare-UPDATE baseline in the same run.

Run from the project root:  .venv/bin/python tests/perf/bench_checkin.py [--sizes 5000,50000]

Set-up, as on the day: gunicorn with one gevent worker, SQLite (WAL) in a temporary folder.
The room: N people already checked in (over the last three hours, at four desks) and split
into mesas and sub-mesas by the real split (``grouping.services.run_split``), plus ``LATE``
pre-registered people who arrive after the split.  Four desk operators log in, open a
Socket.IO connection each and join ``desk:<assembly>`` (so every check-in also pays for its
share of the live counters), then check in their quarter of the late arrivals as fast as the
server answers, each with its own keep-alive connection: POST /assemblies/<id>/desk/checkin
{"ticket": "<ticket URL>", "desk"}.  Every one of them is seated at a table by the check-in
(the late-arrival placement), so this is the expensive path, not a bare flag.
Baseline, same run, same gunicorn set-up, same database: tests/perf/checkin_baseline_app.py,
a bare Flask route doing one conditional UPDATE by primary key and committing.
A second baseline, the floor of any desk request of the real app: the same desks POST
/desk/undo for a late arrival not checked in yet, so the request pays what every desk write
pays (session cookie, account and grant load, CSRF, JSON body validation, the assembly and
the person read, one conditional UPDATE that changes nothing) and answers the 409 refusal;
no seat, no audit line, no broadcast.  The bare route has no log-in at all: the target is
read against it (the issue's "bare UPDATE route"), the second shows how much of a check-in
is that floor (auth_baseline_* at the end of the RESULT line).
CPU is the worker's own user+system time per request (not the machine's load).
The last line is machine-readable (the baseline is the 5,000 room's):
RESULT checkin n=5000 split=1 p95_ms=… cpu_ms=… baseline_p95_ms=… baseline_cpu_ms=… p95_ms_50k=… cpu_ms_50k=…
auth_baseline_p95_ms=… auth_baseline_cpu_ms=… (one line)
"""

import argparse
import http.client
import json
import os
import random
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

from tests.support import socket_events
from tests.support.live_server import Browserless, start_server
from tests.support.perf import percentile, worker_cpu_seconds

LATE = 400
DESKS = 4
PASSWORD = "clave-de-banco-123"
TARGET_P95_MS = 50
TARGET_CPU_RATIO = 3
ROUNDS = 10


def _person(rng: random.Random, n: int, assembly_id: int, themes: list[int], **extra) -> dict:
    """One attendee row shaped like a real room: skewed themes, a big organisation and a long
    tail, Zipf-like municipalities, some leader candidates."""
    from assembly.registration.domain import normalize_name

    first, last = f"Persona {n}", "Banco Pruebas"
    r = rng.random()
    org = "huge" if r < 0.1 else None if r < 0.4 else f"org{int(rng.paretovariate(1.2)) % 900}"
    return {
        "assembly_id": assembly_id,
        "ticket_token": secrets.token_urlsafe(32),
        "document_type": "CC",
        "document_number": str(20_000_000 + n),
        "first_names": first,
        "last_names": last,
        "name_key": normalize_name(f"{first} {last}"),
        "sex": rng.choices(["mujer", "hombre", "intersexual"], [55, 43, 2])[0],
        "age_range": rng.choice(["18-28", "29-40", "41-59", "60+"]),
        "ethnicity": "ninguno",
        "department_code": "81",
        "municipality_code": f"{81001 + int(rng.paretovariate(1.0)) % 30:05d}",
        "organization_name": org,
        "organization_key": org,
        "knows_pit": rng.random() < 0.3,
        "took_part_before": rng.random() < 0.3,
        "preferred_theme_id": None if rng.random() < 0.15 else rng.choice(themes),
        "consent_data": True,
        "source": "preregistro",
        "extra_answers": {},
        **extra,
    }


def prepare_database(url: str, n: int, *, split: bool = True) -> dict:
    """Schema, 4 desk accounts; the bench assembly with n people checked in and split (not
    split with ``split=False``), then LATE more registered after the split; a second
    assembly with LATE rows for the baseline."""
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from assembly import create_app
    from assembly.assemblies import services as assemblies
    from assembly.assemblies.models import Theme
    from assembly.auth import services as auth
    from assembly.extensions import db
    from assembly.grouping import services as grouping
    from assembly.helpers import utcnow
    from assembly.registration.models import Attendee

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(16),
            "TESTING": True,
            "SOCKETIO_ASYNC_MODE": "threading",
        }
    )
    rng = random.Random(n)
    with app.app_context():
        db.create_all()
        ids = []
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
            ids.append(assemblies.create_from_template(None, raw).id)
        assembly_id, other_id = ids
        usernames = [f"mesa{k}" for k in range(1, DESKS + 1)]
        for name in usernames:
            user = auth.create_user(
                username=name, display_name=name, password=PASSWORD, role="organizer"
            )
            auth.grant(user, assembly_id, True)
        themes = list(db.session.scalars(select(Theme.id).where(Theme.assembly_id == assembly_id)))
        now = utcnow()
        arrived = [
            _person(
                rng,
                k,
                assembly_id,
                themes,
                checked_in_at=now - timedelta(seconds=rng.randrange(3 * 3600)),
                checked_in_desk=f"Mesa {k % DESKS + 1}",
            )
            for k in range(n)
        ]
        db.session.execute(insert(Attendee), arrived)
        db.session.commit()
        started = time.perf_counter()
        if split:
            report = grouping.run_split(None, assembly_id, population="checked_in", seed=1)
            db.session.commit()
            print(
                f"  split of {n}: {report.quality.tables_count} tables "
                f"in {time.perf_counter() - started:.1f} s (set-up, not measured)"
            )
        late = [_person(rng, n + k, assembly_id, themes) for k in range(LATE)]
        base = [_person(rng, 10_000_000 + k, other_id, themes) for k in range(LATE)]
        db.session.execute(insert(Attendee), late + base)
        db.session.commit()
        rows = db.session.execute(
            select(Attendee.id, Attendee.ticket_token, Attendee.assembly_id).where(
                Attendee.table_id.is_(None), Attendee.checked_in_at.is_(None)
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    return {
        "assembly_id": assembly_id,
        "tokens": [r.ticket_token for r in rows if r.assembly_id == assembly_id],
        "late_ids": [r.id for r in rows if r.assembly_id == assembly_id],
        "baseline_ids": [r.id for r in rows if r.assembly_id == other_id],
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
    socket_events.on(client, "desk_counters", received.append)
    client.connect(base_url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    ack = client.call("join_desk", {"assembly_id": assembly_id}, timeout=10)
    if not ack.get("ok"):
        raise SystemExit(f"join_desk refused: {ack}")
    return client


def measure_room(n: int) -> dict:
    """Prepare a split room of n, start both servers, check the late arrivals in."""
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as tmp:
        workdir = Path(tmp)
        database = workdir / "bench.db"
        url = f"sqlite:///{database}"
        print(f"n={n} split, {LATE} late arrivals, {DESKS} desks; gunicorn -k gevent -w 1, SQLite")
        data = prepare_database(url, n)
        assembly_id = data["assembly_id"]
        print(
            "  machine load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        )
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
        expected = n + LATE
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
                for k, token in enumerate(data["tokens"])
            ]
            touches = [
                (f"/touch/{aid}", {"desk": f"Mesa {k % DESKS + 1}"})
                for k, aid in enumerate(data["baseline_ids"])
            ]

            def check_app(status, body):
                seated = body.get("result") == "ok" and (body.get("person") or {}).get("table")
                return None if status == 200 and seated else f"{status} {body}"

            def check_base(status, body):
                return None if status == 200 and body.get("changed") == 1 else f"{status} {body}"

            undos = [
                (f"{desk_path}/undo", {"attendee_id": attendee_id})
                for attendee_id in data["late_ids"]
            ]

            def check_auth(status, body):  # refused: the person has not arrived yet
                return None if status == 409 and body.get("ok") is False else f"{status} {body}"

            size = LATE // ROUNDS
            app_lat, base_lat, app_wall, base_wall = [], [], 0.0, 0.0
            app_cpu, base_cpu = 0.0, 0.0
            auth_lat, auth_wall, auth_cpu = [], 0.0, 0.0
            for r in range(ROUNDS):
                chunk = slice(r * size, (r + 1) * size)
                # the undo baseline before the chunk's check-ins (they must not have arrived)
                order = ("auth", "base", "app") if r % 2 == 0 else ("auth", "app", "base")
                for which in order:
                    if which == "auth":
                        before = worker_cpu_seconds(app_server)
                        lat, wall = run_desks(desks, split_jobs(undos[chunk], DESKS), check_auth)
                        auth_cpu += worker_cpu_seconds(app_server) - before
                        auth_lat += lat
                        auth_wall += wall
                    elif which == "app":
                        before = worker_cpu_seconds(app_server)
                        lat, wall = run_desks(desks, split_jobs(checkins[chunk], DESKS), check_app)
                        time.sleep(0.4)  # the debounced counters broadcast lands in this round
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
                r and r[-1]["checked_in"] == expected for r in received
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
        auth_p95, _ = report("auth-base", auth_lat, auth_wall)
        p95, _ = report("check-in", app_lat, app_wall)
        cpu_ms, base_cpu_ms = app_cpu / LATE * 1000, base_cpu / LATE * 1000
        auth_cpu_ms = auth_cpu / LATE * 1000
        print(
            f"  server CPU per request: check-in {cpu_ms:.2f} ms, baseline {base_cpu_ms:.2f} ms, "
            f"authenticated desk floor (undo refused) {auth_cpu_ms:.2f} ms"
        )
        print(f"  counters pushed to each desk: {pushed}; last snapshot checked_in={final}")
        with sqlite3.connect(database) as connection:
            stored, seated = connection.execute(
                "SELECT count(checked_in_at), count(table_id) FROM attendees WHERE assembly_id = ?",
                (assembly_id,),
            ).fetchone()
        print(f"  stored check-ins: {stored}, seated: {seated} (expected {expected} each)")
        if stored != expected or seated != expected or (sockets and final != [expected] * DESKS):
            raise SystemExit("check-ins, seats or broadcasts missing")
        ratio = cpu_ms / base_cpu_ms if base_cpu_ms else float("inf")
        verdict = "OK" if p95 < TARGET_P95_MS and ratio <= TARGET_CPU_RATIO else "OVER TARGET"
        print(
            f"  target p95 < {TARGET_P95_MS} ms and CPU <= {TARGET_CPU_RATIO}x baseline: "
            f"{p95:.1f} ms, {ratio:.2f}x -> {verdict} "
            f"({cpu_ms / auth_cpu_ms if auth_cpu_ms else float('inf'):.2f}x the authenticated floor)"
        )
        return {
            "p95": p95,
            "cpu": cpu_ms,
            "base_p95": baseline_p95,
            "base_cpu": base_cpu_ms,
            "auth_p95": auth_p95,
            "auth_cpu": auth_cpu_ms,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000", help="room sizes, the first is n=")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {n: measure_room(n) for n in sizes}
    first, last = results[sizes[0]], results[sizes[-1]]
    print(
        f"RESULT checkin n={sizes[0]} split=1 p95_ms={first['p95']:.1f} cpu_ms={first['cpu']:.2f} "
        f"baseline_p95_ms={first['base_p95']:.1f} baseline_cpu_ms={first['base_cpu']:.2f} "
        f"p95_ms_50k={last['p95']:.1f} cpu_ms_50k={last['cpu']:.2f} "
        f"auth_baseline_p95_ms={first['auth_p95']:.1f} auth_baseline_cpu_ms={first['auth_cpu']:.2f}"
    )


if __name__ == "__main__":
    main()
