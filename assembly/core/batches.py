"""Messages to one room sent together: at most one frame per screen per room and window.

A burst of writes to one room (25 tables sending their first need at the same moment, with
500 boards in ``board:<id>``) cost one websocket frame per screen per message: 12,500 sends,
each through the socket's own writer, the rest of the room waiting behind them.  So a room's
first message goes out at once (no delay when the room is quiet), and the messages that follow
within ``window_ms`` wait for the end of that window and go out together, in order, as one
``batch`` event: ``["batch", [[event, payload], ...]]``.  The screens' shared client
(static/js/shared/socket.js) hands each one to its handlers as if it had come alone; a window
that gathered a single message sends it as it is.  With several processes a batch is also one
message on the Redis queue instead of one per piece.

``window_ms`` 0 (the tests' default): every message goes out at once, alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from time import monotonic

from flask import Flask

from assembly.extensions import socketio

log = logging.getLogger(__name__)

_EXTENSION = "assembly.batches"
#: rooms remembered before the quiet ones are forgotten (a quiet room sends at once anyway)
_PRUNE_FROM = 1000


@dataclass
class _Room:
    #: monotonic time of the room's last send
    sent_at: float
    #: (event, payload) waiting for the end of the window, in order
    pending: list[tuple[str, dict]] = field(default_factory=list)


@dataclass
class _Batches:
    # a gevent lock under the gevent worker (monkey-patched before this is created)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rooms: dict[str, _Room] = field(default_factory=dict)


def _batches(app: Flask) -> _Batches:
    return app.extensions.setdefault(_EXTENSION, _Batches())


def send(app: Flask, messages: Iterable[tuple[str, dict, str]], window_ms: int) -> None:
    """Send ``(event, payload, room)`` messages, those to a room that sent less than
    ``window_ms`` ago at the end of its window, together (see the module's docstring)."""
    if not window_ms:
        for event, payload, room in messages:
            socketio.emit(event, payload, to=room)
        return
    per_room: dict[str, list[tuple[str, dict]]] = {}
    for event, payload, room in messages:
        per_room.setdefault(room, []).append((event, payload))
    window = window_ms / 1000
    batches = _batches(app)
    now_out = []
    with batches.lock:
        now = monotonic()
        if len(batches.rooms) > _PRUNE_FROM:
            _forget_quiet(batches, now - window)
        for room, items in per_room.items():
            state = batches.rooms.get(room)
            if state is None or (not state.pending and now - state.sent_at >= window):
                batches.rooms[room] = _Room(sent_at=now)
                now_out.append((room, items))
                continue
            if not state.pending:  # the first to wait: it sends the window's batch
                delay = max(0.0, state.sent_at + window - now)
                socketio.start_background_task(_send_later, batches, room, delay)
            state.pending.extend(items)
    for room, items in now_out:
        _emit(room, items)


def _send_later(batches: _Batches, room: str, delay: float) -> None:
    socketio.sleep(delay)
    with batches.lock:
        state = batches.rooms[room]
        items, state.pending = state.pending, []
        state.sent_at = monotonic()
    try:
        _emit(room, items)
    except Exception:  # a background task: say it, the screens resync on the gap
        log.exception("a batch of %d messages to %s was not sent", len(items), room)


def _emit(room: str, items: list[tuple[str, dict]]) -> None:
    if len(items) == 1:
        socketio.emit(items[0][0], items[0][1], to=room)
    else:
        socketio.emit("batch", [[event, payload] for event, payload in items], to=room)


def _forget_quiet(batches: _Batches, before: float) -> None:
    quiet = [r for r, s in batches.rooms.items() if not s.pending and s.sent_at < before]
    for room in quiet:
        del batches.rooms[room]
