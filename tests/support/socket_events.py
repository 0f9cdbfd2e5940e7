"""Python Socket.IO clients of the tests listening as the screens do: a ``batch`` (a room's
messages sent together, assembly/core/batches.py) is unpacked into its messages, in order."""

import weakref

#: client -> {event: [handler, ...]} (the batch handler is registered once per client)
_handlers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def on(client, event: str, handler) -> None:
    """``client.on(event, handler)``, and ``handler`` also for each ``event`` in a batch."""
    client.on(event, handler)
    table = _handlers.get(client)
    if table is None:
        table = _handlers[client] = {}

        def unpack(items):
            for name, payload in items:
                for each in table.get(name, []):
                    each(payload)

        client.on("batch", unpack)
    table.setdefault(event, []).append(handler)
