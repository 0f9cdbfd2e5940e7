"""The socket layer as a stranger meets it: guessing join codes, another origin, proxies."""

import secrets
import urllib.error

import pytest
import socketio as sio_client

from assembly.auth import throttle
from assembly.core import web
from assembly.extensions import socketio
from tests.conftest import TEST_PASSWORD
from tests.support.live_server import Browserless, start_server


@pytest.fixture
def tight_limits(app):
    """Low credential limits for one test (the suite's own are high), counts forgotten."""
    saved = {
        k: app.config[k] for k in ("CREDENTIAL_FAILURE_LIMIT", "CREDENTIAL_VALUE_FAILURE_LIMIT")
    }
    app.config.update(
        CREDENTIAL_FAILURE_LIMIT="5 per minute", CREDENTIAL_VALUE_FAILURE_LIMIT="3 per minute"
    )
    with app.test_request_context():
        throttle.reset()
    yield
    app.config.update(saved)
    with app.test_request_context():
        throttle.reset()


@pytest.fixture
def table(make_assembly, db):
    from assembly.grouping.models import Group, Table

    assembly = make_assembly()
    group = db.session.scalars(db.select(Group).where(Group.assembly_id == assembly.id)).first()
    row = Table(group_id=group.id, number=1, join_code="K7P2QX")
    db.session.add(row)
    db.session.commit()
    return row


def _connect(app, client=None, **auth):
    return socketio.test_client(app, flask_test_client=client or app.test_client(), auth=auth)


def _guesses(n: int) -> list[str]:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return ["".join(secrets.choice(alphabet) for _ in range(6)) for _ in range(n)]


def test_guessing_join_codes_over_the_socket_is_stopped(app, table, tight_limits):
    for guess in _guesses(5):
        assert not _connect(app, table_code=guess).is_connected()
    # the sixth attempt from this address is refused even with the right code: the address
    # is blocked for the window, whatever it tries
    assert not _connect(app, table_code="K7P2QX").is_connected()


def test_a_phone_reconnecting_with_its_valid_code_is_never_throttled(app, table, tight_limits):
    for _ in range(12):  # more than twice the failure limit
        phone = _connect(app, table_code="k7p2qx")
        assert phone.is_connected()
        ack = phone.emit("join_table", {}, callback=True)
        assert ack["ok"] and ack["state"]["table"]["id"] == table.id
        phone.disconnect()


def test_one_code_tried_from_many_addresses_is_blocked(app, table, tight_limits):
    """A code is counted by itself too: a botnet cannot spread one guess over addresses."""
    for n in range(3):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        assert not _connect(app, client, table_code="ZZZZZZ").is_connected()
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    assert not _connect(app, other, table_code="ZZZZZZ").is_connected()
    # that address may still enter its own valid code
    assert _connect(app, other, table_code="K7P2QX").is_connected()


def test_a_staff_socket_guessing_codes_through_join_table_is_stopped(
    app, table, tight_limits, auth, client, socket_client
):
    auth.login("facilitator")
    staff = socket_client()
    for guess in _guesses(5):
        ack = staff.emit("join_table", {"code": guess}, callback=True)
        assert ack["ok"] is False and ack["code"] != "rate_limited"
    ack = staff.emit("join_table", {"code": "K7P2QX"}, callback=True)
    assert ack["ok"] is False and ack["code"] == "rate_limited" and ack["retry"] is True
    assert "Demasiados intentos" in ack["error"]


def test_without_redis_the_throttle_still_counts_in_memory(app, table, tight_limits):
    """Redis down (or unreachable): phones still connect and guesses are still limited."""
    saved = app.config["RATELIMIT_STORAGE_URI"], app.extensions.pop("assembly.credential_throttle")
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        assert _connect(app, table_code="K7P2QX").is_connected()
        for guess in _guesses(5):
            assert not _connect(app, table_code=guess).is_connected()
        assert not _connect(app, table_code="K7P2QX").is_connected()
    finally:
        app.config["RATELIMIT_STORAGE_URI"] = saved[0]
        app.extensions["assembly.credential_throttle"] = saved[1]


def test_a_wrong_ticket_or_board_credential_counts_as_well(app, make_assembly, tight_limits):
    make_assembly()
    for n in range(5):
        assert not _connect(app, ticket=f"not-a-ticket-{n}").is_connected()
    assert not _connect(app, ticket="another").is_connected()


def test_the_origin_check_accepts_own_public_and_configured_origins(app):
    check = web.origin_check(app)
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "192.168.1.10:5000"}
    saved = (app.config["PUBLIC_URL"], app.config["ALLOWED_ORIGINS"])
    try:
        app.config.update(PUBLIC_URL="", ALLOWED_ORIGINS="")
        assert check("http://192.168.1.10:5000", environ)  # a phone on the LAN address
        assert check("http://127.0.0.1:5000", {**environ, "HTTP_HOST": "127.0.0.1:5000"})
        assert not check("http://192.168.1.10:8080", environ)  # another port of the same host
        assert not check("https://evil.example", environ)
        assert not check("null", environ)  # a sandboxed frame or a file:// page
        assert check(None, environ)  # no Origin: not a browser (Engine.IO does not ask)
        app.config.update(
            PUBLIC_URL="https://asamblea.example/", ALLOWED_ORIGINS="http://kiosk.local:81"
        )
        assert check("https://asamblea.example", environ)
        assert check("http://kiosk.local:81", environ)
        assert not check("http://kiosk.local", environ)
    finally:
        app.config.update(PUBLIC_URL=saved[0], ALLOWED_ORIGINS=saved[1])


@pytest.fixture
def server(app, database_url, tmp_path):
    server = start_server(
        database_url,
        secret_key=secrets.token_hex(16),
        log_dir=tmp_path,
        extra_env={"ASSEMBLY_TRUSTED_PROXIES": "1", "ASSEMBLY_LOGIN_RATE_LIMIT": "3 per minute"},
    )
    yield server
    server.stop()


def _socket_refused(url: str, headers: dict, auth: dict) -> bool:
    """Connect over long-polling (the first transport a browser uses), sending exactly the
    ``Origin`` header given (the websocket client would add its own)."""
    client = sio_client.Client(reconnection=False)
    try:
        client.connect(url, headers=headers, auth=auth, transports=["polling"], wait_timeout=5)
    except sio_client.exceptions.ConnectionError:
        return True
    client.disconnect()
    return False


def test_a_page_on_another_origin_cannot_open_the_socket(server, table):
    own = server.url.rstrip("/")
    other_port = own.rsplit(":", 1)[0] + ":1"
    assert not _socket_refused(own, {"Origin": own}, {"table_code": "K7P2QX"})
    assert _socket_refused(own, {"Origin": other_port}, {"table_code": "K7P2QX"})
    assert _socket_refused(own, {"Origin": "https://evil.example"}, {"table_code": "K7P2QX"})
    # behind the trusted proxy the public origin (its Host and scheme) is the page's own
    proxied = {"X-Forwarded-Host": "asamblea.example", "X-Forwarded-Proto": "https"}
    assert not _socket_refused(
        own, {"Origin": "https://asamblea.example", **proxied}, {"table_code": "K7P2QX"}
    )


def _post_status(web: Browserless, path: str, data: dict) -> int:
    try:
        return web.post_form(path, data)
    except urllib.error.HTTPError as error:
        return error.code


def test_behind_the_trusted_proxy_log_in_limits_key_on_the_real_client(server, make_user):
    """One attacker behind nginx must not lock every staff log-in: the limit is per client."""
    user = make_user("organizer")
    attacker = Browserless(server.url)
    attacker.opener.addheaders = [("X-Forwarded-For", "203.0.113.7")]
    wrong = {"username": user.username, "password": "no-es-la-clave"}
    statuses = [_post_status(attacker, "/login", wrong) for _ in range(4)]
    assert statuses == [401, 401, 401, 429], server.log()[-2000:]
    colleague = Browserless(server.url)
    colleague.opener.addheaders = [("X-Forwarded-For", "198.51.100.20")]
    colleague.login(user.username, TEST_PASSWORD)  # same proxy address, another client


def test_a_connect_the_database_cannot_answer_in_time_is_told_to_come_back(app, monkeypatch):
    """A full pool in a reconnect storm: the screen gets a retryable refusal (it connects again
    by itself), never silence; an unexpected error is not dressed up as one."""
    from flask_socketio import ConnectionRefusedError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from assembly.auth import events

    def busy(_value):
        raise PoolTimeout("QueuePool limit of size 10 overflow 15 reached")

    monkeypatch.setitem(events._CHECKERS, "board", busy)
    with app.test_request_context("/socket.io/"), pytest.raises(ConnectionRefusedError) as refused:
        events.on_connect({"board": "un-token"})
    assert refused.value.error_args["data"] == {"code": "unavailable", "retry": True}
    assert refused.value.error_args["message"]

    def broken(_value):
        raise ValueError("a bug")

    monkeypatch.setitem(events._CHECKERS, "board", broken)
    with app.test_request_context("/socket.io/"), pytest.raises(ValueError):
        events.on_connect({"board": "un-token"})
