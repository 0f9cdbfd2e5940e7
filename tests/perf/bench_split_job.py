"""The split of a big room over HTTP, as the organiser does it, and how long the rest of the
room waits meanwhile (issue 16.1: a large split runs outside the request, no request waits
more than 100 ms behind it).

Run from the project root:  .venv/bin/python tests/perf/bench_split_job.py [--n 50000]

Set-up: gunicorn with one gevent worker, SQLite (WAL), n people checked in and not split
yet (tests/perf/bench_checkin.py's room).  A desk keeps asking for the live counters (a
request that reads the database) one after another, the whole time; first for a few seconds
of an idle room (the baseline), then while the organiser posts the split and its progress bar
polls the job until it is done.  The figures are the desk's request times.
The last line is machine-readable:
RESULT split_job n=50000 seconds=… post_ms=… p99_ms=… max_ms=… idle_p99_ms=… idle_max_ms=…
"""

import argparse
import json
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.bench_checkin import PASSWORD, prepare_database
from tests.support.live_server import Browserless, start_server
from tests.support.perf import percentile

TARGET_MS = 100
IDLE_SECONDS = 3


def probe(browser: Browserless, path: str, stop: threading.Event, times: list) -> None:
    """Ask for ``path`` again and again until ``stop``; record each answer's time."""
    while not stop.is_set():
        start = time.perf_counter()
        browser.get(path)
        times.append(time.perf_counter() - start)
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-split-job-") as tmp:
        workdir = Path(tmp)
        database = workdir / "bench.db"
        url = f"sqlite:///{database}"
        print(f"n={args.n} checked in, not split; gunicorn -k gevent -w 1, SQLite")
        data = prepare_database(url, args.n, split=False)
        aid = data["assembly_id"]
        server = start_server(url, secret_key=secrets.token_hex(16), log_dir=workdir)
        try:
            desk, organiser = Browserless(server.url), Browserless(server.url)
            desk.login(data["usernames"][0], PASSWORD)
            organiser.login(data["usernames"][1], PASSWORD)
            counters = f"/assemblies/{aid}/desk/counters"
            desk.get(counters)  # warm up

            idle: list[float] = []
            stop = threading.Event()
            thread = threading.Thread(target=probe, args=(desk, counters, stop, idle))
            thread.start()
            time.sleep(IDLE_SECONDS)
            stop.set()
            thread.join()

            busy: list[float] = []
            stop = threading.Event()
            thread = threading.Thread(target=probe, args=(desk, counters, stop, busy))
            thread.start()
            started = time.perf_counter()
            organiser.post_form(
                f"/assemblies/{aid}/groups/split",
                {"population": "checked_in", "seed": "1"},
                token_from=f"/assemblies/{aid}/groups",
            )
            post_ms = (time.perf_counter() - started) * 1000
            with sqlite3.connect(database) as connection:
                job_id = connection.execute("SELECT max(id) FROM jobs").fetchone()[0]
            if job_id is None:
                raise SystemExit("the split answered at once: no background job")
            job = {}
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                job = json.loads(organiser.get(f"/api/jobs/{job_id}"))["job"]
                if job["finished"]:
                    break
                time.sleep(0.7)  # as the progress bar polls
            seconds = time.perf_counter() - started
            stop.set()
            thread.join()
        finally:
            server.stop()
        for line in server.log().splitlines():
            if "split job" in line:
                print("  server:", line.split("INFO", 1)[-1].strip())
        if __import__("os").environ.get("BENCH_DUMP"):
            print(server.log()[-20000:])
        if job.get("status") != "done":
            raise SystemExit(f"the split job did not finish: {job}")
        with sqlite3.connect(database) as connection:
            seated = connection.execute(
                "SELECT count(table_id) FROM attendees WHERE assembly_id = ?", (aid,)
            ).fetchone()[0]
        idle_ms = [t * 1000 for t in idle]
        busy_ms = [t * 1000 for t in busy]
        print(f"  split job: {seconds:.1f} s, {job['result']}, {seated} seated")
        print(f"  the POST answered in {post_ms:.0f} ms (the page with its progress bar)")
        for label, values in (("idle", idle_ms), ("during", busy_ms)):
            print(
                f"  desk counters {label:<6} n={len(values):4d}  p50 {percentile(values, 0.5):6.1f}"
                f"  p99 {percentile(values, 0.99):6.1f}  max {max(values):6.1f} ms"
            )
        worst = max(busy_ms)
        verdict = "OK" if worst - max(idle_ms) <= TARGET_MS else "OVER TARGET"
        print(f"  target: no request waits more than {TARGET_MS} ms behind the job -> {verdict}")
        print(
            f"RESULT split_job n={args.n} seconds={seconds:.1f} post_ms={post_ms:.0f} "
            f"p99_ms={percentile(busy_ms, 0.99):.1f} max_ms={worst:.1f} "
            f"idle_p99_ms={percentile(idle_ms, 0.99):.1f} idle_max_ms={max(idle_ms):.1f}"
        )


if __name__ == "__main__":
    main()
