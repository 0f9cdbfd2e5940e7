"""Where one late-arrival check-in's CPU goes: the bench's split room (tests/perf/bench_checkin.py)
built in a temporary SQLite file, then ``--count`` check-ins through the real route with Flask's
test client (log-in, session, CSRF, audit, broadcast scheduling: everything but the HTTP
server), timed per phase by SQLAlchemy's statement events and profiled with pyinstrument when
it is installed (it is not a dependency: ``pip install pyinstrument`` into the venv).

Run from the project root:  .venv/bin/python tests/perf/profile_checkin.py --size 5000
"""

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.bench_checkin import PASSWORD, prepare_database


class _CProfiler:
    """cProfile behind pyinstrument's four calls (start, stop, output_text, output_html)."""

    def __init__(self):
        import cProfile

        self._profile = cProfile.Profile()

    def start(self) -> None:
        self._profile.enable()

    def stop(self) -> None:
        self._profile.disable()

    def output_text(self, **_options) -> str:
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(self._profile, stream=out).sort_stats("cumulative")
        only = os.environ.get("PROFILE_FILTER")  # e.g. "assembly/": the project's own frames
        stats.print_stats(*((only, 60) if only else (45,)))
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(30)
        return out.getvalue()

    def output_html(self) -> str:
        return "<pre>" + self.output_text() + "</pre>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--html", help="write pyinstrument's HTML report here")
    parser.add_argument("--no-profiler", action="store_true", help="phase times only")
    parser.add_argument(
        "--cprofile",
        action="store_true",
        help="profile with the standard library's cProfile (PROFILE_FILTER=assembly/ to keep "
        "the project's own functions)",
    )
    args = parser.parse_args()

    from sqlalchemy import event

    from assembly import create_app
    from assembly.extensions import db

    with tempfile.TemporaryDirectory(prefix="profile-checkin-") as tmp:
        url = f"sqlite:///{tmp}/profile.db"
        data = prepare_database(url, args.size)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "profile", "ENV": "production"})
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        client.post(
            "/login",
            data={"username": data["usernames"][0], "password": PASSWORD, "csrf_token": token},
        )
        path = f"/assemblies/{data['assembly_id']}/desk"
        page = client.get(f"{path}?desk=Mesa+1").get_data(as_text=True)
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}
        statements = []
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, params, context, executemany):
            conn.info["started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, params, context, executemany):
            statements.append((time.perf_counter() - conn.info["started"], statement))

        tokens = data["tokens"][: args.count]
        profiler = None
        if args.cprofile and not args.no_profiler:
            profiler = _CProfiler()
        else:
            try:
                from pyinstrument import Profiler

                profiler = None if args.no_profiler else Profiler(interval=0.0005)
            except ImportError:
                print("(pyinstrument not installed: phase times only; --cprofile for cProfile)")
        # the floor of a desk write: the undo of someone not arrived yet (refused, 409)
        floor = time.process_time()
        for attendee_id in data["late_ids"][-args.count :]:
            reply = client.post(f"{path}/undo", json={"attendee_id": attendee_id}, headers=headers)
            assert reply.status_code == 409, reply.json
        floor = (time.process_time() - floor) / args.count
        print(f"authenticated desk floor (undo refused): {floor * 1000:.2f} ms CPU each")
        statements.clear()
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.start()
        for ticket in tokens:
            reply = client.post(
                f"{path}/checkin", json={"ticket": ticket, "desk": "Mesa 1"}, headers=headers
            )
            assert reply.status_code == 200 and reply.json["result"] == "ok", reply.json
            assert reply.json["person"]["table"], reply.json
        if profiler:
            profiler.stop()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        n = len(tokens)
        print(
            f"n={args.size}: {n} check-ins, {cpu / n * 1000:.2f} ms CPU, {wall / n * 1000:.2f} ms wall each"
        )
        per_statement: dict[str, list[float]] = {}
        for seconds, statement in statements:
            key = " ".join(statement.split())[:110]
            per_statement.setdefault(key, []).append(seconds)
        print(
            f"SQL: {len(statements) / n:.1f} statements, {sum(s for s, _ in statements) / n * 1000:.2f} ms each check-in"
        )
        for key, times in sorted(per_statement.items(), key=lambda kv: -sum(kv[1]))[:30]:
            print(f"  {sum(times) / n * 1000:6.2f} ms  x{len(times) / n:4.1f}  {key}")
        if profiler:
            print(profiler.output_text(unicode=False, color=False, show_all=False)[:20000])
            if args.html:
                Path(args.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
