"""A storm of board screens joining (500 after a restart, on 3 processes) must not empty the
database pool: the board's snapshot is the same for every screen, so a process reads it once
per revision of the assembly (assemblies/realtime.py, ``join(..., shared=...)``) and each
further join reads only the revision and the room's counter."""

from datetime import datetime

import flask_babel
import pytest

from assembly.assemblies import realtime
from assembly.assemblies.realtime import broadcasting
from assembly.board import services
from assembly.extensions import db, socketio
from assembly.puzzle import broadcasts as puzzle_broadcasts
from tests.support.board_seed import seed_pieces


@pytest.fixture
def room(make_assembly, make_attendee):
    assembly = make_assembly()
    pieces = seed_pieces(assembly, 4, per_group=2)
    make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8))
    return assembly, pieces


@pytest.fixture
def snapshots(monkeypatch):
    """How many times the board's snapshot was read from the database, and in which language."""
    reads = []
    original = services.board_snapshot

    def counted(assembly_id):
        reads.append((assembly_id, str(flask_babel.get_locale())))
        return original(assembly_id)

    monkeypatch.setattr(services, "board_snapshot", counted)
    return reads


def _screen(app, assembly, **options):
    screen = socketio.test_client(app, auth={"board": assembly.board_token}, **options)
    assert screen.is_connected()
    return screen


def _join(screen, assembly):
    reply = screen.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    assert reply["ok"], reply
    return reply


def test_many_screens_joining_read_the_snapshot_once_per_revision(app, room, snapshots):
    assembly, pieces = room
    screens = [_screen(app, assembly) for _ in range(6)]
    replies = [_join(screen, assembly) for screen in screens]
    assert len(snapshots) == 1
    assert all(r["state"] == replies[0]["state"] for r in replies)
    board = f"board:{assembly.id}"
    assert {(r["rev"], r["seq"][board]) for r in replies} == {
        (replies[0]["rev"], replies[0]["seq"][board])
    }
    assert {p["id"] for p in replies[0]["state"]["pieces"]} == {p.id for p in pieces}

    with broadcasting() as out:  # a piece changes: the revision grows
        pieces[0].text = "Cambiada"
        out.add(puzzle_broadcasts.piece_saved(pieces[0]))
    late = _join(_screen(app, assembly), assembly)
    assert len(snapshots) == 2
    assert late["rev"] > replies[0]["rev"]
    assert {p["id"]: p["text"] for p in late["state"]["pieces"]}[pieces[0].id] == "Cambiada"
    # the screens that joined before got the change as a message after their snapshot
    for screen in screens:
        saved = [e["args"][0] for e in screen.get_received() if e["name"] == "piece_saved"]
        assert [p["text"] for p in saved] == ["Cambiada"]
        assert saved[0]["seq"] == late["seq"][board]
    assert len(snapshots) == 2


def _join_in(app, assembly, language):
    # each socket event has its own app context in the server; here the test's one is
    # shared, so the locale Flask-Babel keeps in it is forgotten first
    flask_babel.refresh()
    return _join(_screen(app, assembly, headers={"Accept-Language": language}), assembly)


def test_each_language_has_its_own_shared_snapshot(app, room, snapshots):
    assembly, _pieces = room
    spanish = _join_in(app, assembly, "es")
    english = _join_in(app, assembly, "en")
    again = _join_in(app, assembly, "en")
    assert len(snapshots) == 2
    assert [language for _id, language in snapshots] == ["es", "en"]
    assert spanish["state"]["rules"] == english["state"]["rules"]  # parameters, no sentence
    assert again["state"] == english["state"]


def test_a_change_made_without_a_broadcast_shows_once_the_shared_snapshot_expires(
    app, room, snapshots, monkeypatch
):
    assembly, _pieces = room
    assert _join(_screen(app, assembly), assembly)["state"]["assembly"]["name"] == assembly.name
    assembly.name = "Asamblea renombrada"  # as a form does: no broadcast, same revision
    db.session.commit()
    monkeypatch.setattr(realtime, "SHARED_SECONDS", 0.0)
    renamed = _join(_screen(app, assembly), assembly)
    assert renamed["state"]["assembly"]["name"] == "Asamblea renombrada"
    assert len(snapshots) == 2


def test_a_join_that_fails_stores_nothing_and_leaves_the_room(app, room, monkeypatch):
    assembly, _pieces = room

    def broken(_assembly_id):
        raise RuntimeError("the read failed")

    monkeypatch.setattr(services, "board_snapshot", broken)
    screen = _screen(app, assembly)
    assert screen.emit("join_board", {"assembly_id": assembly.id}, callback=True)["ok"] is False
    monkeypatch.undo()
    reply = _join(_screen(app, assembly), assembly)
    assert reply["state"]["assembly"]["id"] == assembly.id
    with broadcasting() as out:
        out.add(puzzle_broadcasts.piece_saved(_pieces[0]))
    assert not [e for e in screen.get_received() if e["name"] == "piece_saved"]
