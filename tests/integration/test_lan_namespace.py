"""No loopback address in any printed page when the server runs on a LAN address (issue 13.8).

The test makes its own network: a namespace with a veth pair (never another address of the
host). ``asamblea serve --demo=plenaria`` runs inside it, where the only address besides
loopback is the test's 10.213.13.2 on an interface named like a laptop's (``lan0``); the
room's address comes from the real interface reading (ifaddr), nothing is patched. Pages are
asked for as the laptop's own browser would (Host: 127.0.0.1) and as a phone on the LAN."""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.services import require

pytestmark = pytest.mark.slow  # a real server, seeded with the demo, in its own namespace

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HOST_SIDE, LAN = "10.213.13.1", "10.213.13.2"
PORT = 5813


def _ip(*args, ns=None):
    command = ["ip", "netns", "exec", ns, "ip", *args] if ns else ["ip", *args]
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture
def lan_namespace():
    can = shutil.which("ip") is not None and os.geteuid() == 0
    require(can, "network namespaces need `ip` and root")
    tag = os.getpid() % 100_000
    ns, outside = f"asamblea{tag}", f"asv{tag}"
    try:
        _ip("netns", "add", ns)
    except subprocess.CalledProcessError as error:  # a container without CAP_NET_ADMIN
        require(False, f"cannot create a network namespace: {error.stderr.decode()}")
    try:
        _ip("link", "add", outside, "type", "veth", "peer", "name", f"{outside}b")
        _ip("link", "set", f"{outside}b", "netns", ns)
        _ip("link", "set", f"{outside}b", "name", "lan0", ns=ns)
        _ip("addr", "add", f"{LAN}/24", "dev", "lan0", ns=ns)
        _ip("link", "set", "lan0", "up", ns=ns)
        _ip("link", "set", "lo", "up", ns=ns)
        _ip("addr", "add", f"{HOST_SIDE}/24", "dev", outside)
        _ip("link", "set", outside, "up")
        yield ns
    finally:
        subprocess.run(["ip", "link", "del", outside], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


@pytest.fixture
def served_in_namespace(lan_namespace, tmp_path):
    database = tmp_path / "lan.db"
    env = {
        **os.environ,
        "ASSEMBLY_DATABASE_URL": f"sqlite:///{database}",
        "ASSEMBLY_SECRET_KEY": "lan-namespace-test",
        "ASSEMBLY_REDIS_URL": "",
        "ASSEMBLY_PUBLIC_URL": "",
        "ASSEMBLY_WORKER_CONNECTIONS": "200",
    }
    log_path = tmp_path / "serve.log"
    asamblea = str(Path(sys.executable).parent / "asamblea")
    serve = [asamblea, "serve", "--demo=plenaria", "--port", str(PORT)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["ip", "netns", "exec", lan_namespace, *serve],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://{LAN}:{PORT}"
    try:
        deadline = time.monotonic() + 120  # migrations and the demo's seed come first
        while True:
            assert process.poll() is None, log_path.read_text(errors="replace")
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                assert time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.5)
        yield base, database, log_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server this test started, and its worker
        process.wait(timeout=20)


def _logged_in(base: str, host: str) -> requests.Session:
    session = requests.Session()
    session.headers["Host"] = host
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/login",
        data={"username": "admin", "password": "asamblea-demo", "csrf_token": token},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def test_no_printed_page_carries_a_loopback_address_on_a_lan(served_in_namespace):
    base, database, log_path = served_in_namespace
    printed = log_path.read_text(errors="replace")
    assert f"Teléfonos de la sala: http://{LAN}:{PORT}/" in printed  # what serve says first
    with sqlite3.connect(database) as con:
        (assembly_id,) = con.execute("SELECT id FROM assemblies ORDER BY id LIMIT 1").fetchone()
        (token,) = con.execute(
            "SELECT ticket_token FROM attendees WHERE assembly_id = ? LIMIT 1", (assembly_id,)
        ).fetchone()
    a = f"/assemblies/{assembly_id}"
    printouts = [
        f"{a}/poster", f"{a}/groups/cards", f"{a}/badges?all=1", f"{a}/board",
        f"{a}/plenaria", "/assemblies/red", f"/t/{token}", f"{a}",
    ]  # fmt: skip
    room = f"http://{LAN}:{PORT}"
    # the laptop's own browser (Host 127.0.0.1), and a phone or desk that came in on the LAN
    for host in (f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"{LAN}:{PORT}"):
        session = _logged_in(base, host)
        for path in printouts:
            page = session.get(f"{base}{path}")
            assert page.status_code == 200, (host, path, page.status_code)
            html = page.text
            assert "127.0.0.1" not in html and "localhost" not in html, (host, path)
            assert "data-room-warning" not in html, (host, path)
        poster = session.get(f"{base}{a}/poster").text
        assert f"{room}/inscripcion/{assembly_id}" in poster, host
        board = session.get(f"{base}{a}/board").text
        assert f"{room}/tablero/" in board, host
