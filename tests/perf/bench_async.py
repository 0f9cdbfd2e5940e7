"""gevent against threading: the same broadcast to many websocket clients, in one run.

Starts gunicorn twice on the real app (tests/perf/async_app.py): ``-k gevent`` (what we ship)
and ``-k gthread`` with as many threads as clients (threading's best case; with fewer threads
than clients it cannot even hold the sockets).  N clients join one room; the server emits 20
events of ~330 bytes; each client records when each event arrives.  Prints p50/p95 delivery
latency and how many deliveries arrived, and ends with

    RESULT async clients=1000 gevent_p95_ms=… threading_p95_ms=… delivered=…

(``delivered`` is gevent's delivered/expected).  Usage:
``.venv/bin/python tests/perf/bench_async.py [--clients 1000] [--events 20]``
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import websocket  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.live_server import start_server  # noqa: E402
from tests.support.perf import percentile  # noqa: E402


class RawClient:
    """A minimal Socket.IO-over-websocket client (Engine.IO 4), cheap enough for 1,000 greenlets."""

    def __init__(self, url: str):
        self.url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.arrivals: dict[int, float] = {}
        self.ready = gevent.event.Event()
        self.joined = False
        self.ws = None

    def run(self) -> None:
        try:
            self.ws = websocket.create_connection(self.url, timeout=60)
            self.ws.recv()  # engine.io open packet
            self.ws.send('40{"bench":"1"}')
            while True:
                message = self.ws.recv()
                if message == "2":
                    self.ws.send("3")
                elif message.startswith("40"):
                    self.ws.send('421["join_bench"]')
                elif message.startswith("431"):
                    self.joined = True
                    self.ready.set()
                elif message.startswith("42"):
                    name, payload = json.loads(message[2:])
                    if name == "bench":
                        self.arrivals[payload["seq"]] = time.time() - payload["sent"]
        except Exception:  # a closed socket ends the client; missing arrivals are counted
            self.ready.set()

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.close()


def measure(server_url: str, clients: int, events: int) -> dict:
    pool = [RawClient(server_url) for _ in range(clients)]
    greenlets = []
    for index, client in enumerate(pool):
        greenlets.append(gevent.spawn(client.run))
        if index % 50 == 49:
            gevent.sleep(0.05)  # connect in waves, as a room fills
    joined_by = time.monotonic() + 60
    for client in pool:
        client.ready.wait(timeout=max(0.0, joined_by - time.monotonic()))
    joined = sum(1 for c in pool if c.joined)
    failed_requests = 0
    for seq in range(events):
        request = urllib.request.Request(
            f"{server_url}/_bench/broadcast?seq={seq}", method="POST", data=b""
        )
        try:
            urllib.request.urlopen(request, timeout=30).read()
        except OSError:  # the server could not even answer: the broadcast counts as undelivered
            failed_requests += 1
        gevent.sleep(0.1)
    gevent.sleep(3)
    latencies = sorted(ms * 1000 for c in pool for ms in c.arrivals.values())
    for client in pool:
        client.close()
    gevent.killall(greenlets, timeout=5)
    delivered = len(latencies)
    return {
        "joined": joined,
        "failed_requests": failed_requests,
        "delivered": delivered,
        "expected": clients * events,
        # nothing delivered is infinitely slow, not "no figure"
        "p50_ms": statistics.median(latencies) if latencies else float("inf"),
        "p95_ms": percentile(latencies, 0.95) if latencies else float("inf"),
    }


def run_mode(mode: str, clients: int, events: int, workdir: Path) -> dict:
    database = f"sqlite:///{workdir / f'{mode}.db'}"
    print(f"{mode}: {clients} clients…", flush=True)
    worker = (
        ("-k", "gevent", "--worker-connections", "2000")
        if mode == "gevent"
        else ("-k", "gthread", "--threads", str(clients + 50))
    )
    server = start_server(
        database,
        secret_key=secrets.token_hex(16),
        log_dir=workdir,
        extra_env={"ASYNC_MODE": mode},
        wsgi="tests.perf.async_app:app",
        worker=worker,
    )
    try:
        return measure(server.url, clients, events)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--small", type=int, default=200, help="a second, smaller room (0: skip)")
    args = parser.parse_args()
    sizes = [n for n in (args.small, args.clients) if n]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for clients in sizes:
            for mode in ("gevent", "threading"):
                results[clients, mode] = run_mode(mode, clients, args.events, Path(tmp))
    print(f"{args.events} broadcasts of ~330 bytes to N websocket clients, one gunicorn worker")
    print(
        f"{'clients':>7} {'mode':<10} {'joined':>7} {'delivered':>16} {'p50 ms':>8} {'p95 ms':>8} {'failed POST':>12}"
    )
    for (clients, mode), r in results.items():
        print(
            f"{clients:>7} {mode:<10} {r['joined']:>7} {r['delivered']:>7}/{r['expected']:<8} "
            f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['failed_requests']:>12}"
        )
    gevent_result, threading_result = (
        results[args.clients, "gevent"],
        results[args.clients, "threading"],
    )
    print(
        f"RESULT async clients={args.clients} gevent_p95_ms={gevent_result['p95_ms']:.1f} "
        f"threading_p95_ms={threading_result['p95_ms']:.1f} "
        f"delivered={gevent_result['delivered'] / gevent_result['expected']:.3f}"
    )


if __name__ == "__main__":
    main()
