"""The national set-up of docs/deploy.md, started on loopback (issue 16.5; slow).

nginx (Debian package, our own process, the documented server block) in front of three
gunicorn gevent processes on one PostgreSQL database and one Redis of the test's own:

- the sticky routing is the documented one: nginx gives each browser an ``asamblea_node``
  cookie on its first page and keeps it on one process; a venue behind one address (every
  client here is 127.0.0.1) is spread over every process; Socket.IO long-polling, which needs
  that stickiness, works through it;
- pieces from phones on one process reach the boards on the others exactly once (a phone's
  resend of the same piece is not broadcast again);
- two desks on two processes checking in the same people at once never count one twice.
"""

import json
import secrets
import threading
import time
import urllib.request
import uuid
from types import SimpleNamespace

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from tests.support import socket_events
from tests.support.cluster import (
    Nginx,
    OwnRedis,
    browser_on,
    build_room,
    fresh_postgres_database,
    start_processes,
)
from tests.support.live_server import free_port
from tests.support.services import require, require_postgres

pytestmark = [
    pytest.mark.slow,
    # engine.io's client may leave a socket unclosed when a test's servers stop under it
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

TABLES = 9
PEOPLE = 60


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    require(Nginx.binary() is not None, "nginx no está instalado; en Debian: apt-get install nginx")
    require(OwnRedis.installed(), "redis-server no está instalado")
    base_url = require_postgres()
    tmp = tmp_path_factory.mktemp("national")
    url, drop = fresh_postgres_database(base_url)
    redis = OwnRedis(tmp)
    servers, nginx = [], None
    try:
        room = build_room(url, TABLES + 1, PEOPLE)  # the last table sends the last piece
        redis.start()
        nginx = Nginx(tmp, [free_port() for _ in range(3)])
        servers = start_processes(
            url, redis.url, nginx.upstream_ports, tmp, secrets.token_hex(16), nginx.url
        )
        nginx.start()
        yield SimpleNamespace(room=room, servers=servers, nginx=nginx, database_url=url)
        for server in servers:
            assert "Traceback" not in server.log(), server.log()[-3000:]
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()
        redis.kill()
        drop()


class Recorder:
    """Events a client received, and a way to wait for a condition on them."""

    def __init__(self):
        self.events: list[tuple[str, dict]] = []
        self.changed = threading.Condition()

    def handler(self, name):
        def record(data):
            with self.changed:
                self.events.append((name, data))
                self.changed.notify_all()

        return record

    def of(self, name) -> list[dict]:
        with self.changed:
            return [data for event, data in self.events if event == name]

    def wait(self, condition, timeout=30) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, timeout=timeout)


def _client(nginx: Nginx, node: str, *, transport="websocket", cookie="", **connect):
    """A Socket.IO client holding the browser cookies a page load left (nginx's
    ``asamblea_node``, and the session's when given): long-polling sends them on every
    request, as a browser does."""
    session = requests.Session()
    for pair in filter(None, cookie.split("; ")):
        name, value = pair.split("=", 1)
        session.cookies.set(name, value)
    session.cookies.set("asamblea_node", node)  # this one, not the session's browser's
    client = socketio.Client(reconnection=False, http_session=session)
    client.connect(nginx.url, transports=[transport], wait_timeout=15, **connect)
    return client


def _query(national, sql: str, **params) -> list[tuple]:
    engine = create_engine(national.database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def _ports_logged(nginx: Nginx, node: str, prefix: str, timeout=10) -> set[int]:
    """The processes nginx sent this browser's ``prefix`` requests to (websocket lines are
    written when the connection closes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ports = {p for c, p, uri in nginx.routes() if c == node and uri.startswith(prefix)}
        if ports:
            return ports
        time.sleep(0.1)
    return set()


def test_nginx_keeps_each_browser_on_one_process_and_spreads_a_venue_over_all(national):
    nginx = national.nginx
    with urllib.request.urlopen(f"{nginx.url}/login", timeout=10) as response:
        cookie = next(c for c in response.headers.get_all("Set-Cookie") if "asamblea_node" in c)
    node = cookie.split(";", 1)[0].removeprefix("asamblea_node=")
    assert cookie.startswith("asamblea_node=") and len(node) == 32, cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie

    browser = browser_on(nginx.url, node)
    for path in ["/login", "/healthz", "/login", "/mesa", "/healthz"] * 2:
        browser.get(path)
    assert [c.value for c in browser.cookies if c.name == "asamblea_node"] == [node]
    assert _ports_logged(nginx, node, "/") == {nginx.upstream_of(node)}

    # one NAT address, 30 browsers: every process gets some (ip_hash would send all to one)
    spread = {nginx.upstream_of(secrets.token_hex(16)) for _ in range(30)}
    assert spread == set(nginx.upstream_ports)


def test_long_polling_through_nginx_stays_on_its_process(national):
    nginx, room = national.nginx, national.room
    node = nginx.cookies_per_process()[nginx.upstream_ports[1]][0]
    board = Recorder()
    client = _client(nginx, node, transport="polling", auth={"board": room["board_token"]})
    try:
        socket_events.on(client, "piece_saved", board.handler("piece_saved"))
        reply = client.call("join_board", {"assembly_id": room["assembly_id"]}, timeout=15)
        assert reply["ok"], reply
    finally:
        client.disconnect()
    assert _ports_logged(nginx, node, "/socket.io/") == {nginx.upstream_ports[1]}
    polls = [u for c, _p, u in nginx.routes() if c == node and u.startswith("/socket.io/")]
    assert len(polls) >= 3, polls  # handshake, connect, the join and its answer: all one process


def test_nginx_forwards_the_host_with_its_port_so_the_socket_origin_check_accepts_it(national):
    """The page's own origin is accepted by the websocket Origin check because nginx passes the
    Host the browser sent, port included (``$http_host``; ``$host`` drops a non-default port).
    The name used here is not PUBLIC_URL's, so only the forwarded Host can make it pass."""
    nginx = national.nginx
    handshake = f"{nginx.url}/socket.io/?EIO=4&transport=polling"
    own = f"localhost:{nginx.port}"
    accepted = requests.get(handshake, headers={"Host": own, "Origin": f"http://{own}"}, timeout=10)
    assert accepted.status_code == 200 and '"sid"' in accepted.text, accepted.text[:200]
    foreign = requests.get(
        handshake, headers={"Host": own, "Origin": "http://localhost"}, timeout=10
    )
    assert foreign.status_code == 400  # the check does run: the port-less origin is another


def test_pieces_from_phones_on_one_process_reach_boards_on_the_others_exactly_once(national):
    nginx, room = national.nginx, national.room
    phone_port = nginx.upstream_ports[0]
    nodes = nginx.cookies_per_process(TABLES + 3)
    phone_nodes = nodes[phone_port][2:]
    boards, phones = [], []
    try:
        for port, cookies in nodes.items():
            for node in cookies[:2]:
                recorder = Recorder()
                client = _client(nginx, node, auth={"board": room["board_token"]})
                socket_events.on(client, "piece_saved", recorder.handler("piece_saved"))
                joined = client.call("join_board", {"assembly_id": room["assembly_id"]}, timeout=15)
                assert joined["ok"], joined
                boards.append((port, node, client, recorder))
        for code, node in zip(room["codes"], phone_nodes, strict=True):
            phones.append(_client(nginx, node, auth={"table_code": code}))
        sent: list[str] = []
        lock = threading.Lock()
        problems: list = []

        def write(number, phone):
            for index in range(2):
                piece = {"id": str(uuid.uuid4()), "kind": "need", "text": f"Mesa {number}: {index}"}
                ack = phone.call("submit_piece", piece, timeout=15)
                again = phone.call("submit_piece", piece, timeout=15)  # the ack "was lost"
                if not ack.get("ok") or not again.get("ok") or again.get("created"):
                    problems.append((ack, again))
                with lock:
                    sent.append(piece["id"])

        writers = [
            threading.Thread(target=write, args=(n, phone)) for n, phone in enumerate(phones[:-1])
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        assert not problems, problems[:3]
        # a last piece after every resend: once it is on every board, so is any late copy
        last = {"id": str(uuid.uuid4()), "kind": "need", "text": "La última"}
        assert phones[-1].call("submit_piece", last, timeout=15)["ok"]
        expected = {*sent, last["id"]}
        for port, _node, _board, recorder in boards:

            def complete(recorder=recorder):
                return {d["id"] for d in recorder.of("piece_saved")} >= expected

            assert recorder.wait(complete), (port, len(recorder.of("piece_saved")))
        for port, _node, _board, recorder in boards:
            ids = [d["id"] for d in recorder.of("piece_saved")]
            assert sorted(ids) == sorted(expected), f"board on {port}: {len(ids)} deliveries"
    finally:
        for *_rest, client, _recorder in boards:
            client.disconnect()
        for phone in phones:
            phone.disconnect()
    # the routing the test relied on: phones on one process, boards on all three
    assert {p for n in phone_nodes for p in _ports_logged(nginx, n, "/socket.io/")} == {phone_port}
    for port, node, *_ in boards:
        assert _ports_logged(nginx, node, "/socket.io/") == {port}
    stored = _query(national, "SELECT id FROM pieces WHERE id = ANY(:ids)", ids=list(expected))
    assert sorted(str(row[0]) for row in stored) == sorted(expected)


def test_two_desks_on_two_processes_never_count_a_person_twice(national):
    nginx, room = national.nginx, national.room
    nodes = nginx.cookies_per_process()
    first, second, third = (nodes[port][0] for port in nginx.upstream_ports)
    desk_path = f"/assemblies/{room['assembly_id']}/desk"
    desks = []
    for node in (first, second):
        browser = browser_on(nginx.url, node)
        browser.login(room["admin"], room["password"])
        page = browser.get(desk_path)
        csrf = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
        desks.append((browser, csrf))
    watcher = Recorder()
    screen = _client(nginx, third, cookie=desks[0][0].cookie_header())
    socket_events.on(screen, "desk_counters", watcher.handler("desk_counters"))
    assert screen.call("join_desk", {"assembly_id": room["assembly_id"]}, timeout=15)["ok"]
    tickets = room["tickets"]
    results: dict[str, list[str]] = {ticket: [] for ticket in tickets}
    lock = threading.Lock()
    start = threading.Barrier(2)

    def scan(browser, csrf, order, name):
        start.wait()
        for ticket in order:
            request = urllib.request.Request(
                f"{nginx.url}{desk_path}/checkin",
                data=json.dumps({"ticket": ticket, "desk": name}).encode(),
                headers={"Content-Type": "application/json", "Accept": "application/json",
                         "X-CSRFToken": csrf},
                method="POST",
            )  # fmt: skip
            with browser.opener.open(request, timeout=15) as response:
                reply = json.loads(response.read())
            with lock:
                results[ticket].append(reply["result"])

    # the same people, one desk from the front of the queue, the other from the back
    orders = [tickets, list(reversed(tickets))]
    threads = [
        threading.Thread(target=scan, args=(*desks[k], orders[k], f"Mesa {k + 1}"))
        for k in range(2)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(sorted(r) == ["already", "ok"] for r in results.values()), results
        counts = json.loads(desks[1][0].get(f"{desk_path}/counters"))["state"]
        assert counts["checked_in"] == PEOPLE
        assert watcher.wait(
            lambda: any(d["checked_in"] == PEOPLE for d in watcher.of("desk_counters"))
        ), [d["checked_in"] for d in watcher.of("desk_counters")][-5:]
        assert max(d["checked_in"] for d in watcher.of("desk_counters")) == PEOPLE
    finally:
        screen.disconnect()
    for node, port in ((first, nginx.upstream_ports[0]), (second, nginx.upstream_ports[1])):
        assert _ports_logged(nginx, node, f"{desk_path}/checkin") == {port}
    assert _ports_logged(nginx, third, "/socket.io/") == {nginx.upstream_ports[2]}
    checked = _query(
        national,
        "SELECT count(*) FROM attendees WHERE assembly_id = :a AND checked_in_at IS NOT NULL",
        a=room["assembly_id"],
    )
    assert checked == [(PEOPLE,)]
