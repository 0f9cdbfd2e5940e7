"""The national set-up on loopback: nginx with the config of docs/deploy.md, several gunicorn
gevent processes, PostgreSQL and a Redis of the test's own (slow tests and bench_room).

The nginx server block is read from docs/deploy.md itself (only the listen line and the upstream
ports change), so the sticky routing a test checks is the one the operators copy.
"""

import http.cookiejar
import json
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.support.live_server import (
    PROJECT_ROOT,
    Browserless,
    LiveServer,
    free_port,
    start_server,
)

DEPLOY_DOC = PROJECT_ROOT / "docs" / "deploy.md"
#: the nginx variables each access-log line records: which browser went to which process
LOG_FORMAT = "$cookie_asamblea_node $upstream_addr $status $request_uri"


def _wait_until(ready, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


class OwnRedis:
    """A redis-server of the test's own, on a free port, that the test can kill."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.tmp_path = tmp_path
        self.process = None

    @staticmethod
    def installed() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def pong() -> bool:
            out = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            return out.stdout.strip() == "PONG"

        _wait_until(pong, "redis-server")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def documented_nginx_block() -> str:
    """The ```nginx block of docs/deploy.md (upstream, map and server)."""
    match = re.search(r"```nginx\n(.*?)```", DEPLOY_DOC.read_text(), re.S)
    assert match, "docs/deploy.md has no nginx block"
    return match.group(1)


def nginx_config(block: str, upstream_ports: list[int], port: int, tmp: Path) -> str:
    """A whole nginx.conf around the documented block: loopback port instead of 443 with TLS,
    our processes as the upstream servers, every path in ``tmp`` (runs without root)."""
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    block, count = re.subn(r"(?:    server 127\.0\.0\.1:\d+;\n)+", servers, block, count=1)
    assert count == 1, "the documented upstream block changed shape"
    block, count = re.subn(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", block)
    assert count == 1, "the documented listen line changed shape"
    temp = "\n".join(
        f"    {kind}_temp_path {tmp}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    log_format routing '{LOG_FORMAT}';
    access_log {tmp}/access.log routing;
{temp}
{block}
}}
"""


class Nginx:
    """nginx as our own process (non-root port, generated config in a temporary folder)."""

    def __init__(self, tmp_path: Path, upstream_ports: list[int]):
        self.dir = tmp_path / "nginx"
        self.dir.mkdir(exist_ok=True)
        self.port = free_port()
        self.upstream_ports = upstream_ports
        self.config = self.dir / "nginx.conf"
        self.config.write_text(
            nginx_config(documented_nginx_block(), upstream_ports, self.port, self.dir)
        )
        self.process = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [self.binary(), "-p", str(self.dir), "-c", str(self.config), "-e",
                   str(self.dir / "error.log")]  # fmt: skip
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    return response.status == 200
            except OSError:
                return False

        _wait_until(answers, "nginx")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def routes(self) -> list[tuple[str, int, str]]:
        """Every request logged so far: (asamblea_node cookie or "-", upstream port, uri)."""
        path = self.dir / "access.log"
        found = []
        for line in path.read_text().splitlines() if path.exists() else []:
            cookie, upstream, _status, uri = line.split(" ", 3)
            port = upstream.rsplit(":", 1)[-1]
            found.append((cookie, int(port) if port.isdigit() else 0, uri))
        return found

    def upstream_of(self, cookie: str, timeout: float = 5) -> int:
        """The process port nginx sends the browser with this ``asamblea_node`` cookie to
        (a request with it is made, then read back from the access log)."""
        marker = f"/healthz?probe={secrets.token_hex(4)}"
        request = urllib.request.Request(
            self.url + marker, headers={"Cookie": f"asamblea_node={cookie}"}
        )
        with urllib.request.urlopen(request, timeout=10):
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # nginx writes the line once the answer is out
            for logged, port, uri in self.routes():
                if uri == marker:
                    assert logged == cookie, (logged, cookie)
                    return port
            time.sleep(0.05)
        raise AssertionError(f"nginx never logged {marker}")

    def cookies_per_process(self, count: int = 1) -> dict[int, list[str]]:
        """``count`` browser cookies that nginx routes to each process."""
        found: dict[int, list[str]] = {port: [] for port in self.upstream_ports}
        for _ in range(200 * count * len(found)):
            if all(len(v) >= count for v in found.values()):
                return found
            cookie = secrets.token_hex(16)
            port = self.upstream_of(cookie)
            if len(found[port]) < count:
                found[port].append(cookie)
        raise AssertionError(f"the cookie hash never reached every process: {found}")


def fresh_postgres_database(base_url: str) -> tuple[str, callable]:
    """A new empty database next to ``base_url``; returns its URL and a function dropping it."""
    name = f"asamblea_cluster_{secrets.token_hex(4)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base_url.rsplit("/", 1)[0] + f"/{name}", drop


def build_room(url: str, tables: int, people: int) -> dict:
    """The room of tests/support/room.py, built in its own process (it creates its own app)."""
    built = subprocess.run(
        [sys.executable, "-m", "tests.support.room", url, str(tables), str(people)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    return json.loads(built.stdout.strip().splitlines()[-1])


def start_processes(
    database_url: str,
    redis_url: str,
    ports: list[int],
    log_dir: Path,
    secret_key: str,
    public_url: str,
) -> list[LiveServer]:
    """One gunicorn gevent process per port on one database and one queue, with the env of
    docs/deploy.md (the public URL is nginx's: the websocket Origin check accepts it)."""
    env = {"ASSEMBLY_TRUSTED_PROXIES": "1", "ASSEMBLY_PUBLIC_URL": public_url}
    return [
        start_server(
            database_url,
            secret_key=secret_key,
            redis_url=redis_url,
            log_dir=log_dir,
            extra_env=env,
            port=port,
        )
        for port in ports
    ]


def browser_on(base_url: str, node: str) -> Browserless:
    """A browser that already holds nginx's ``asamblea_node`` cookie ``node`` (so the test
    knows which process serves it: see ``Nginx.cookies_per_process``)."""
    browser = Browserless(base_url)
    browser.cookies.set_cookie(
        http.cookiejar.Cookie(
            0, "asamblea_node", node, None, False, "127.0.0.1", False, False, "/", True,
            False, None, True, None, None, {},
        )
    )  # fmt: skip
    return browser
