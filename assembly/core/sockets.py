"""Socket.IO events, declared once: name, payload schema, acknowledgement.

    @event("hide_piece", HidePiece)
    def on_hide_piece(data: HidePiece) -> dict:
        ...                       # return the acknowledgement's data (``{"ok": true, ...}``)

The decorator registers the handler with Flask-SocketIO, validates the payload with the schema
(:func:`assembly.core.schemas.parse`; ``schema=None`` for events without one) and wraps the
handler in :func:`assembly.errors.acknowledge`, so a refusal is always
:func:`assembly.errors.refusal` and never a traceback. :data:`EVENTS` lists every event with
its schema and handler, for tests that walk them all (authorization, fuzzing).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from assembly.core import retry
from assembly.core.schemas import Payload, parse
from assembly.errors import acknowledge
from assembly.extensions import socketio


@dataclass(frozen=True)
class EventSpec:
    name: str
    schema: type[Payload] | None
    handler: Callable


#: every client-to-server event of the app, by name
EVENTS: dict[str, EventSpec] = {}
#: checks run on every parsed payload before its handler (a higher package registers them:
#: auth scopes staff sockets to their assemblies); each raises an AssemblyError to refuse
GUARDS: list[Callable[[str, Payload | None], None]] = []


def guard(check: Callable[[str, Payload | None], None]) -> Callable:
    """Register ``check(event_name, payload)`` for every event."""
    GUARDS.append(check)
    return check


def event(name: str, schema: type[Payload] | None = None):
    """Register a Socket.IO event handler taking the parsed payload (or nothing)."""

    def decorator(handler: Callable) -> Callable:
        if name in EVENTS:
            raise RuntimeError(f"the Socket.IO event {name!r} is declared twice")

        @functools.wraps(handler)
        def run(data=None, *_extra):
            payload = None if schema is None else parse(schema, data)
            for check in GUARDS:
                check(name, payload)
            return handler() if schema is None else handler(payload)

        if retry.idempotent_event(name):

            @functools.wraps(handler)
            def validated(data=None, *_extra):
                return retry.once_more(run, data)  # a dropped connection: one more try
        else:
            validated = run

        wrapped = acknowledge(validated)
        socketio.on(name)(wrapped)
        EVENTS[name] = EventSpec(name, schema, handler)
        return wrapped

    return decorator
