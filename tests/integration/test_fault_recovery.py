"""Faults healed without a person, on real servers (gunicorn gevent, loopback only; slow).

- the test's own Redis killed and restarted under two processes: no 500, /healthz degraded
  meanwhile, every screen gets a ``resync`` when it is back, broadcasts flow again;
- PostgreSQL backends terminated again and again during a load: no 500.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
import socketio as socketio_client
from sqlalchemy import create_engine, text

from tests.conftest import TEST_PASSWORD
from tests.support import socket_events
from tests.support.cluster import OwnRedis
from tests.support.live_server import PROJECT_ROOT, Browserless, start_server
from tests.support.services import require, require_postgres

pytestmark = pytest.mark.slow


def _status(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_redis_killed_and_restarted_no_500_and_every_screen_resyncs(
    app, database_url, make_user, make_assembly, tmp_path
):
    require(OwnRedis.installed(), "redis-server no está instalado")
    redis = OwnRedis(tmp_path)
    redis.start()
    admin = make_user("admin")
    assembly = make_assembly()
    key = secrets.token_hex(16)
    servers = [
        start_server(database_url, secret_key=key, redis_url=redis.url, log_dir=tmp_path)
        for _ in range(2)
    ]
    a, b = servers
    events = {"changed": [], "resync": []}
    arrived = threading.Condition()
    client = socketio_client.Client(reconnection=False)

    def record(kind):
        def handler(data):
            with arrived:
                events[kind].append(data)
                arrived.notify_all()

        return handler

    def wait_for(kind, count, timeout):
        with arrived:
            ok = arrived.wait_for(lambda: len(events[kind]) >= count, timeout=timeout)
        assert ok, f"no {kind} on B.\nA:\n{a.log()[-3000:]}\nB:\n{b.log()[-3000:]}"

    socket_events.on(client, "assembly_changed", record("changed"))
    client.on("resync", record("resync"))
    try:
        web = Browserless(a.url)
        web.login(admin.username, TEST_PASSWORD)
        client.connect(b.url, headers={"Cookie": web.cookie_header()}, transports=["websocket"])
        assert client.call("join_assembly", {"assembly_id": assembly.id}, timeout=10)["ok"]

        def change_status(status):
            return web.post_form(
                f"/assemblies/{assembly.id}/status",
                {"status": status},
                token_from=f"/assemblies/{assembly.id}",
            )

        change_status("live")
        wait_for("changed", 1, 10)

        redis.kill()
        status, body = _status(f"{a.url}/healthz")
        assert status == 200 and json.loads(body)["status"] == "degraded"
        # HTTP keeps working: pages, a write, the rate-limited log-in (memory fallback)
        assert change_status("draft") in {200, 302}
        for _ in range(3):
            code, _body = _status(
                f"{b.url}/login", data=b"username=nadie&password=mal&csrf_token=x"
            )
            assert code < 500, _body[:300]
        assert _status(f"{b.url}/login")[0] == 200

        # the same port, at once: a restart shorter than the watchers' interval between looks
        # (seen by the server's new run_id); both processes reconnect by themselves
        redis.start()
        wait_for("resync", 1, 90)
        assert json.loads(_status(f"{a.url}/healthz")[1])["status"] == "ok"
        before = len(events["changed"])
        change_status("live")
        wait_for("changed", before + 1, 15)
        for server in servers:
            assert "Traceback" not in server.log(), server.log()[-3000:]
    finally:
        client.disconnect()
        for server in servers:
            server.stop()
        redis.kill()


def _flask(url: str, *args: str) -> None:
    env = {**os.environ, "ASSEMBLY_DATABASE_URL": url, "ASSEMBLY_ENV": "development"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


def test_postgres_backends_terminated_during_a_load_never_give_a_500(tmp_path):
    base_url = require_postgres()
    name = f"asamblea_fault_{secrets.token_hex(4)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base_url.rsplit("/", 1)[0] + f"/{name}"
    server = None
    try:
        _flask(url, "db", "upgrade")
        _flask(url, "assembly", "seed-demo", "--people", "60")
        seeded = create_engine(url)
        with seeded.connect() as connection:
            assembly_id = connection.execute(text("SELECT min(id) FROM assemblies")).scalar()
        seeded.dispose()
        server = start_server(
            url,
            secret_key=secrets.token_hex(16),
            log_dir=tmp_path,
            extra_env={"ASSEMBLY_DEMO_ADMIN_PASSWORD": "asamblea-demo"},
        )
        web = Browserless(server.url)
        web.login("admin", "asamblea-demo")
        paths = [
            f"/assemblies/{assembly_id}",
            f"/assemblies/{assembly_id}/desk/search?q=a",
            "/assemblies/",
            "/healthz",
        ]
        statuses: dict[int, int] = {}
        stop = threading.Event()
        killed = [0]

        def killer():
            while not stop.is_set():
                with admin.connect() as connection:
                    killed[0] += connection.execute(
                        text(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = :name AND pid <> pg_backend_pid()"
                        ),
                        {"name": name},
                    ).scalar()
                stop.wait(0.4)

        def load(offset):
            opener = web.opener
            for i in range(60):
                path = paths[(i + offset) % len(paths)]
                try:
                    with opener.open(server.url + path, timeout=15) as response:
                        code = response.status
                except urllib.error.HTTPError as error:
                    code = error.code
                statuses[code] = statuses.get(code, 0) + 1

        thread = threading.Thread(target=killer)
        thread.start()
        workers = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stop.set()
        thread.join()
        assert killed[0] > 0, "the test never terminated a backend"
        assert 500 not in statuses, (statuses, server.log()[-4000:])
        assert set(statuses) <= {200, 503}, statuses
        # most reads survive a dropped connection by their one retry (a page of many queries may
        # lose two connections in a row: that one is a 503, retryable)
        assert statuses.get(200, 0) >= 0.6 * sum(statuses.values()), statuses
    finally:
        if server:
            server.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
