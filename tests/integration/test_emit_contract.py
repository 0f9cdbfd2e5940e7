"""Emit after commit, with revisions (ARCHITECTURE.md, contract 3), and declared socket inputs.

Every broadcast carries the assembly's revision and its room's sequence number, bumped in
the same transaction as the change; a failed write sends nothing; join replies carry the marks
so a client can tell exactly whether it missed a message.
"""

import logging

import pytest
from sqlalchemy import select

from assembly.assemblies import broadcasts
from assembly.assemblies.models import Assembly, RoomSequence
from assembly.assemblies.realtime import broadcast, broadcast_resync, broadcasting, queue
from assembly.core.sockets import EVENTS
from assembly.errors import Conflict
from assembly.extensions import db


@pytest.fixture
def watcher(auth, socket_client, make_assembly):
    auth.login("admin")
    assembly = make_assembly()
    sio = socket_client()
    ack = sio.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)
    assert ack["rev"] == 0 and ack["seq"] == {f"assembly:{assembly.id}": 0}
    sio.get_received()
    return assembly, sio


def payloads(sio, name="assembly_changed"):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def stored_revision(assembly_id):
    return db.session.scalar(select(Assembly.revision).where(Assembly.id == assembly_id))


def test_each_message_has_the_revision_and_its_rooms_sequence(watcher):
    assembly, sio = watcher
    with broadcasting() as out:
        out.add(broadcasts.assembly_changed(assembly))
        out.add(broadcasts.assembly_changed(assembly))
    with broadcasting() as out:
        out.add(broadcasts.assembly_changed(assembly))
    got = payloads(sio)
    assert [(p["rev"], p["room"], p["seq"]) for p in got] == [
        (1, f"assembly:{assembly.id}", 1),
        (1, f"assembly:{assembly.id}", 2),  # one revision per write, one seq per message
        (2, f"assembly:{assembly.id}", 3),
    ]
    assert stored_revision(assembly.id) == 2
    room = db.session.get(RoomSequence, f"assembly:{assembly.id}")
    assert room.seq == 3 and room.assembly_id == assembly.id


def test_a_failed_write_sends_nothing_and_bumps_nothing(watcher):
    assembly, sio = watcher
    with pytest.raises(Conflict), broadcasting() as out:
        assembly.name = "Cambiada"
        out.add(broadcasts.assembly_changed(assembly))
        raise Conflict("no")
    assert payloads(sio) == []
    db.session.expire_all()
    assert stored_revision(assembly.id) == 0
    assert db.session.get(Assembly, assembly.id).name != "Cambiada"


def test_a_message_to_several_rooms_counts_in_each(app, watcher, socket_client, auth):
    assembly, sio = watcher
    with broadcasting() as out:
        out.add(
            broadcast(
                "assembly_changed",
                {"assembly_id": assembly.id},
                rooms=[f"assembly:{assembly.id}", f"desk:{assembly.id}"],
                assembly_id=assembly.id,
            )
        )
    (one,) = payloads(sio)
    assert (one["room"], one["seq"]) == (f"assembly:{assembly.id}", 1)
    assert db.session.get(RoomSequence, f"desk:{assembly.id}").seq == 1


def test_a_join_after_changes_reports_the_marks_it_saw(watcher, socket_client):
    assembly, _sio = watcher
    with broadcasting() as out:
        out.add(broadcasts.assembly_changed(assembly))
        out.touch(assembly.id)  # a change whose message comes later: revision only
    late = socket_client()
    ack = late.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)
    assert ack["rev"] == 1 and ack["seq"] == {f"assembly:{assembly.id}": 1}


def test_queue_needs_a_write_in_progress(app):
    with pytest.raises(RuntimeError, match="broadcasting"):
        queue()
    with broadcasting(), pytest.raises(RuntimeError, match="nest"), broadcasting():
        pass


def test_resync_reaches_every_socket(watcher):
    assembly, sio = watcher
    broadcast_resync(assembly.id)
    assert payloads(sio, "resync") == [{"assembly_id": assembly.id}]
    broadcast_resync()
    assert payloads(sio, "resync") == [{}]


# --- declared inputs: every event refuses garbage cleanly -----------------------------------


GARBAGE = ["texto", 12, [1, 2, 3], {"assembly_id": 10**30, "group_id": [1]}, {"id": {"a": 1}}]


def test_every_event_refuses_garbage_without_a_traceback(auth, socket_client, caplog):
    """Every registered event (EVENTS is filled as create_app imports the handlers)."""
    assert len(EVENTS) >= 20
    auth.login("admin")
    sio = socket_client()
    caplog.set_level(logging.WARNING)
    for name in sorted(EVENTS):
        for payload in GARBAGE:
            ack = sio.emit(name, payload, callback=True)
            assert ack["ok"] is False, (name, payload, ack)
            assert ack["code"] in {"invalid", "not_found", "forbidden"}, (name, payload, ack)
            assert ack["retry"] is False and ack["error"]
    assert "Traceback" not in caplog.text and not [
        r for r in caplog.records if r.levelno >= logging.ERROR
    ]


def test_every_event_declares_a_schema():
    assert {name for name, spec in EVENTS.items() if spec.schema is None} == set()
