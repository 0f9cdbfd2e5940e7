"""Our stack against the bare stack: the same broadcast to many websocket clients, in one run.

Starts gunicorn ``-k gevent`` (what we ship, one worker) twice: on the real app
(tests/perf/async_app.py: create_app, credentials, the real Socket.IO set-up) and on a bare
Flask-SocketIO gevent echo of the same broadcast (tests/perf/bare_echo_app.py: no database,
no log-in, nothing of ours), the stack's own limit.  N clients join one room; the server
emits 20 events of ~330 bytes; each client records when each event arrives.  Prints p50/p95
delivery latency and how many deliveries arrived, at 1,000 and 2,000 clients, and ends with

    RESULT async clients=1000 gevent_p95_ms=… bare_p95_ms=… ratio=… clients_2k=2000
    gevent_p95_ms_2k=… bare_p95_ms_2k=… ratio_2k=… delivered=… delivered_2k=…

(one line; ``ratio`` is ours over bare, goal <= 1.5; ``delivered`` is ours delivered/expected).
Usage: ``.venv/bin/python tests/perf/bench_async.py [--clients 1000,2000] [--events 20]``
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


MODES = {
    # label: (WSGI app, environment)
    "gevent": ("tests.perf.async_app:app", {"ASYNC_MODE": "gevent"}),
    "bare": ("tests.perf.bare_echo_app:app", {}),
}
TARGET_RATIO = 1.5


def run_mode(mode: str, clients: int, events: int, workdir: Path) -> dict:
    database = f"sqlite:///{workdir / f'{mode}-{clients}.db'}"
    print(f"{mode}: {clients} clients…", flush=True)
    wsgi, env = MODES[mode]
    server = start_server(
        database,
        secret_key=secrets.token_hex(16),
        log_dir=workdir,
        extra_env=env,
        wsgi=wsgi,
        worker=("-k", "gevent", "--worker-connections", str(clients + 500)),
    )
    try:
        return measure(server.url, clients, events)
    finally:
        server.stop()


def _suffix(clients: int) -> str:
    return f"_{clients // 1000}k" if clients % 1000 == 0 else f"_{clients}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1000,2000", help="room sizes, comma-separated")
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(n) for n in args.clients.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for clients in sizes:
            for mode in ("bare", "gevent"):
                results[clients, mode] = run_mode(mode, clients, args.events, Path(tmp))
    print(f"{args.events} broadcasts of ~330 bytes to N websocket clients, one gunicorn worker")
    print(
        f"{'clients':>7} {'server':<8} {'joined':>7} {'delivered':>16} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'failed POST':>12}"
    )
    for (clients, mode), r in results.items():
        label = "ours" if mode == "gevent" else "bare"
        print(
            f"{clients:>7} {label:<8} {r['joined']:>7} {r['delivered']:>7}/{r['expected']:<8} "
            f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['failed_requests']:>12}"
        )
    fields = []
    for k, clients in enumerate(sizes):
        ours, bare = results[clients, "gevent"], results[clients, "bare"]
        ratio = ours["p95_ms"] / bare["p95_ms"] if bare["p95_ms"] else float("inf")
        verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
        print(
            f"  {clients} clients: ours/bare p95 {ratio:.2f}x (goal <= {TARGET_RATIO}) -> {verdict}"
        )
        suffix = "" if k == 0 else _suffix(clients)
        if k:
            fields.append(f"clients{suffix}={clients}")
        else:
            fields.append(f"clients={clients}")
        fields += [
            f"gevent_p95_ms{suffix}={ours['p95_ms']:.1f}",
            f"bare_p95_ms{suffix}={bare['p95_ms']:.1f}",
            f"ratio{suffix}={ratio:.2f}",
        ]
    for k, clients in enumerate(sizes):
        ours = results[clients, "gevent"]
        suffix = "" if k == 0 else _suffix(clients)
        fields.append(f"delivered{suffix}={ours['delivered'] / ours['expected']:.3f}")
    print("RESULT async " + " ".join(fields))


if __name__ == "__main__":
    main()
