"""A storm of board screens: ``count`` raw websockets open at the same moment, each connects
with the board's token and asks ``join_board`` once (no second try), as 500 projectors and TVs
do when the server comes back.  Runs in its own process (gevent sockets, so hundreds are cheap
and the test process's threads stay out of it):

    python -m tests.support.board_storm URL BOARD_TOKEN ASSEMBLY_ID COUNT   # prints one JSON line

The line: ``{"joined": n, "refused": {message: n}, "join_errors": {code: n}, "broken": n}``
(joined: an acknowledgement ``ok`` carrying the board's state; broken: no answer at all).
"""

import base64
import collections
import json
import os
import sys
from urllib.parse import urlsplit

import gevent
import gevent.event
from gevent import socket

from tests.support.ws_frames import client_frame

#: seconds a screen waits for each answer before it counts as broken
ANSWER_SECONDS = 60


class _Stream:
    """The server's side of one websocket: unmasked frames, read one at a time."""

    def __init__(self, sock: socket.socket, buffered: bytes):
        self.sock, self.buffer = sock, buffered

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the socket")
            self.buffer += chunk
        taken, self.buffer = self.buffer[:size], self.buffer[size:]
        return taken

    def text(self) -> str:
        head = self._take(2)
        size = head[1] & 0x7F
        if size == 126:
            size = int.from_bytes(self._take(2), "big")
        elif size == 127:
            size = int.from_bytes(self._take(8), "big")
        return self._take(size).decode()


def _open(url: str) -> tuple[socket.socket, _Stream]:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=ANSWER_SECONDS)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("no upgrade")
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode())
    return sock, _Stream(sock, rest)


def _answer(sock: socket.socket, stream: _Stream, prefixes: tuple[str, ...]) -> str:
    """The next Socket.IO packet starting with one of ``prefixes`` (pings answered)."""
    while True:
        packet = stream.text()
        if packet == "2":
            sock.sendall(client_frame("3"))
        elif packet.startswith(prefixes):
            return packet


def screen(url: str, token: str, assembly_id: int) -> tuple[str, str]:
    """One board screen: ``("joined", "")``, ``("refused", message)`` at connect,
    ``("join_error", code)`` or ``("broken", why)``."""
    try:
        sock, stream = _open(url)
    except OSError as error:
        return "broken", repr(error)
    try:
        sock.sendall(client_frame("40" + json.dumps({"board": token})))
        connected = _answer(sock, stream, ("40", "44"))
        if connected.startswith("44"):
            refusal = json.loads(connected[2:])
            return "refused", f"{refusal.get('message')} {refusal.get('data') or ''}".strip()
        join = ["join_board", {"assembly_id": assembly_id}]
        sock.sendall(client_frame("420" + json.dumps(join)))
        reply = json.loads(_answer(sock, stream, ("430",))[3:])[0]
        if reply.get("ok") and isinstance(reply.get("state"), dict):
            return "joined", ""
        return "join_error", str(reply.get("code"))
    except (OSError, ValueError) as error:
        return "broken", repr(error)
    finally:
        sock.close()


def storm(url: str, token: str, assembly_id: int, count: int) -> dict:
    ready = gevent.event.Event()  # every screen opens its socket at the same moment

    def one() -> tuple[str, str]:
        ready.wait()
        return screen(url, token, assembly_id)

    greenlets = [gevent.spawn(one) for _ in range(count)]
    gevent.sleep(0)
    ready.set()
    gevent.joinall(greenlets)
    outcomes = [g.value or ("broken", repr(g.exception)) for g in greenlets]
    counted = collections.Counter(kind for kind, _detail in outcomes)
    return {
        "joined": counted["joined"],
        "refused": dict(collections.Counter(d for k, d in outcomes if k == "refused")),
        "join_errors": dict(collections.Counter(d for k, d in outcomes if k == "join_error")),
        "broken": counted["broken"],
    }


if __name__ == "__main__":
    print(json.dumps(storm(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
