"""With several server processes, a broadcast made by one reaches clients of another through
the Redis message queue (ASSEMBLY_REDIS_URL)."""

import secrets
import threading

import pytest
import socketio as socketio_client

from tests.conftest import TEST_PASSWORD
from tests.support import socket_events
from tests.support.live_server import Browserless, start_server
from tests.support.services import require_redis


@pytest.mark.redis
def test_event_from_one_process_reaches_a_client_of_another(
    app, database_url, make_user, make_assembly, tmp_path
):
    redis_url = require_redis()
    admin = make_user("admin")
    assembly = make_assembly()
    key = secrets.token_hex(16)
    server_a = start_server(database_url, secret_key=key, redis_url=redis_url, log_dir=tmp_path)
    server_b = start_server(database_url, secret_key=key, redis_url=redis_url, log_dir=tmp_path)
    received = threading.Event()
    payloads = []
    client = socketio_client.Client(reconnection=False)
    try:
        web = Browserless(server_a.url)
        web.login(admin.username, TEST_PASSWORD)

        def on_changed(data):
            payloads.append(data)
            received.set()

        socket_events.on(client, "assembly_changed", on_changed)

        # The same session cookie is valid on B: both processes share the secret key.
        client.connect(
            server_b.url, headers={"Cookie": web.cookie_header()}, transports=["websocket"]
        )
        ack = client.call("join_assembly", {"assembly_id": assembly.id}, timeout=10)
        assert ack["ok"], ack
        web.post_form(
            f"/assemblies/{assembly.id}/status",
            {"status": "live"},
            token_from=f"/assemblies/{assembly.id}",
        )
        assert received.wait(10), f"no event on B.\nA:\n{server_a.log()}\nB:\n{server_b.log()}"
        assert payloads == [
            {
                "assembly_id": assembly.id,
                "status": "live",
                "rev": 1,
                "room": f"assembly:{assembly.id}",
                "seq": 1,
            }
        ]
    finally:
        client.disconnect()
        server_a.stop()
        server_b.stop()
