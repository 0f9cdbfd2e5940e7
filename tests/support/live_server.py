"""Start the real production server (gunicorn, gevent worker) for browser, Redis and perf tests."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


#: ``ASSEMBLY_TEST_PORTS=5630-5649``: servers a run starts take ports from this range only (a
#: machine shared by several runs gives each its own); unset, any free port
_PORT_RANGE = os.environ.get("ASSEMBLY_TEST_PORTS", "")
_handed_out: set[int] = set()


def free_port() -> int:
    if not _PORT_RANGE:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    low, high = map(int, _PORT_RANGE.split("-"))
    for port in range(low, high + 1):
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)  # not again in this run, even before its server binds it
        return port
    raise RuntimeError(f"no free port left in ASSEMBLY_TEST_PORTS={_PORT_RANGE}")


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        # SIGINT: gunicorn's quick shutdown (SIGTERM waits out --graceful-timeout for the
        # keep-alive connections a test leaves open: ~2 s a server, for nothing)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_server(
    database_url: str,
    *,
    secret_key: str,
    redis_url: str = "",
    log_dir: Path,
    extra_env: dict | None = None,
    wsgi: str = "wsgi:app",
    worker: tuple[str, ...] = ("-k", "gevent", "--worker-connections", "2000"),
    port: int | None = None,
) -> LiveServer:
    """Run ``gunicorn -k gevent wsgi:app`` (or the ``worker`` and ``wsgi`` given) on a free
    port and wait until /healthz answers."""
    port = port or free_port()  # a given port: a restart where the clients reconnect
    env = {
        **os.environ,
        "ASSEMBLY_DATABASE_URL": database_url,
        "ASSEMBLY_SECRET_KEY": secret_key,
        "ASSEMBLY_REDIS_URL": redis_url,
        "ASSEMBLY_ENV": "production",
        "ASSEMBLY_DB_POOL_SIZE": "1",
        **(extra_env or {}),
    }
    log_path = log_dir / f"server-{port}.log"
    command = [
        sys.executable, "-m", "gunicorn", *worker, "-w", "1",
        "--no-control-socket", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "2", wsgi,
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the server did not answer within 30 s:\n{server.log()}")


class Browserless:
    """A tiny HTTP client with cookies and CSRF tokens, for tests that log in without a browser."""

    def __init__(self, base_url: str):
        import http.cookiejar

        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=10) as response:
            return response.read().decode()

    def post_form(self, path: str, data: dict, token_from: str | None = None) -> int:
        from urllib.parse import urlencode

        page = self.get(token_from or path)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        payload = {**data, "csrf_token": token.group(1) if token else ""}
        request = urllib.request.Request(
            self.base_url + path, data=urlencode(payload).encode(), method="POST"
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status

    def login(self, username: str, password: str) -> None:
        self.post_form("/login", {"username": username, "password": password})
        assert "/login" not in self.opener.open(self.base_url + "/assemblies/", timeout=10).url, (
            "log-in failed"
        )

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)
