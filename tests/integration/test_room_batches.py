"""A room's messages close together go out as one frame per screen (assembly/core/batches.py).

The window's end is driven by hand: the background task that would send the batch is kept
and run when the test says, and the clock is the test's."""

import pytest

from assembly.core import batches
from assembly.extensions import socketio

WINDOW_MS = 200


@pytest.fixture
def window(app, monkeypatch):
    """Batching on; ``window.now`` is the clock; ``window.end()`` runs the batches waiting."""

    class Window:
        now = 1000.0
        waiting: list = []

        def end(self):
            self.now += WINDOW_MS / 1000
            tasks, self.waiting[:] = list(self.waiting), []
            for fn, args in tasks:
                fn(*args)

    state = Window()
    monkeypatch.setitem(app.config, "BROADCAST_BATCH_MS", WINDOW_MS)
    monkeypatch.setattr(batches, "monotonic", lambda: state.now)
    monkeypatch.setattr(
        socketio, "start_background_task", lambda fn, *a: state.waiting.append((fn, a))
    )
    monkeypatch.setattr(socketio, "sleep", lambda seconds: None)
    app.extensions.pop("assembly.batches", None)
    yield state
    app.extensions.pop("assembly.batches", None)


def _watch(socket_client, assembly):
    watcher = socket_client()
    assert watcher.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)["ok"]
    watcher.get_received()
    return watcher


def _set_status(client, assembly, status):
    assert (
        client.post(f"/assemblies/{assembly.id}/status", data={"status": status}).status_code < 400
    )


def test_a_quiet_room_sends_at_once_and_what_follows_waits_for_the_window(
    window, socket_client, auth, client, make_assembly
):
    auth.login("admin")
    assembly = make_assembly()
    watcher = _watch(socket_client, assembly)
    _set_status(client, assembly, "open")
    first = watcher.get_received()
    assert [(e["name"], e["args"][0]["status"], e["args"][0]["seq"]) for e in first] == [
        ("assembly_changed", "open", 1)
    ]
    _set_status(client, assembly, "live")
    _set_status(client, assembly, "draft")
    assert watcher.get_received() == []  # within the window of the first: they wait
    window.end()
    (batch,) = watcher.get_received()
    assert batch["name"] == "batch"
    assert [(event, payload["status"], payload["seq"]) for event, payload in batch["args"][0]] == [
        ("assembly_changed", "live", 2),
        ("assembly_changed", "draft", 3),
    ]


def test_a_window_with_one_message_sends_it_alone_and_rooms_do_not_wait_for_each_other(
    window, socket_client, auth, client, make_assembly
):
    auth.login("admin")
    assembly, other = make_assembly(), make_assembly()
    watcher, other_watcher = _watch(socket_client, assembly), _watch(socket_client, other)
    _set_status(client, assembly, "open")
    _set_status(client, assembly, "live")
    _set_status(client, other, "open")  # another room: its first message goes at once
    assert [e["args"][0]["status"] for e in other_watcher.get_received()] == ["open"]
    assert [e["args"][0]["status"] for e in watcher.get_received()] == ["open"]
    window.end()
    assert [(e["name"], e["args"][0]["status"]) for e in watcher.get_received()] == [
        ("assembly_changed", "live")
    ]
    window.end()  # a window later the room is quiet again: the next goes at once
    _set_status(client, assembly, "draft")
    assert [e["args"][0]["status"] for e in watcher.get_received()] == ["draft"]
