"""A change committed while a screen joins (issue 13/18): its message must show on that screen
exactly once — either the join's state has it, or its ``seq`` is above the reply's and the
client applies it (static/js/shared/socket.js).  The writer runs in the middle of the join,
after the state was read and before the rooms' counters were (the window a second projector
hit when the moderator gave the floor while it joined), in an app context of its own: a
session and a connection of its own, as another greenlet's would be."""

from assembly.agenda import services as agenda
from assembly.assemblies import realtime
from assembly.assemblies.realtime import broadcasting
from assembly.board import services as board
from assembly.extensions import db, socketio
from assembly.puzzle import broadcasts as puzzle_broadcasts
from assembly.puzzle.models import Piece
from tests.support.board_seed import seed_pieces


def _after_first_read(monkeypatch, module, name, write):
    """``module.name`` reads its state as before; the first time, ``write()`` commits right
    after that read.  Answers the list of reads."""
    reads = []
    original = getattr(module, name)

    def hooked(*args):
        state = original(*args)
        reads.append(state)
        if len(reads) == 1:
            write()
        return state

    monkeypatch.setattr(module, name, hooked)
    return reads


def _shown(reply, messages, room, pick):
    """What a screen shows: the join's state, then the messages the client applies (a seq
    above the reply's).  Also answers how many of them it applied."""
    applied = [m for m in messages if m["room"] == room and m["seq"] > reply["seq"][room]]
    shown = pick(reply["state"])
    for message in applied:
        shown = pick(message)
    return shown, len(applied)


def _messages(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def _current(state):
    current = state["speakers"]["current"]
    return current and current["name"]


def test_the_floor_given_while_a_projector_joins_shows_on_it(
    app, auth, make_assembly, socket_client, monkeypatch
):
    auth.login("moderator")
    assembly = make_assembly()
    console = socket_client()
    speaker = "Asociación Río Arauca"
    added = console.emit(
        "speakers_command",
        {"assembly_id": assembly.id, "action": "add", "name": speaker},
        callback=True,
    )
    assert added["ok"], added

    def give_the_floor():
        with app.app_context():
            ack = console.emit(
                "speakers_command", {"assembly_id": assembly.id, "action": "next"}, callback=True
            )
        assert ack["ok"] and _current(ack["state"]) == speaker

    reads = _after_first_read(monkeypatch, agenda, "clock_with_speakers", give_the_floor)
    projector = socket_client()
    reply = projector.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    assert reply["ok"], reply
    assert _current(reads[0]) is None  # the first read was before the floor was given

    room = f"clock:{assembly.id}"
    states = _messages(projector, "clock_state")
    assert [_current(s) for s in states] == [speaker]  # the message reached the joined room
    shown, applied = _shown(reply, states, room, _current)
    assert shown == speaker
    # once: the state has it and the message is old, or the state lacks it and it is newer
    assert (_current(reply["state"]) == speaker) == (applied == 0)


def test_a_piece_changed_while_a_board_joins_shows_on_it(app, make_assembly, monkeypatch):
    assembly = make_assembly()
    piece = seed_pieces(assembly, 2, per_group=1)[0]
    piece_id = piece.id

    def change_the_piece():
        with app.app_context(), broadcasting() as out:
            changed = db.session.get(Piece, piece_id)
            changed.text = "Cambiada mientras se une"
            out.add(puzzle_broadcasts.piece_saved(changed))

    reads = _after_first_read(monkeypatch, board, "board_snapshot", change_the_piece)
    screen = socketio.test_client(app, auth={"board": assembly.board_token})
    reply = screen.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    assert reply["ok"], reply

    def text(state):
        if "pieces" not in state:  # a piece_saved message is the piece itself
            return state["text"] if state["id"] == piece_id else None
        return {p["id"]: p["text"] for p in state["pieces"]}[piece_id]

    assert text(reads[0]) != "Cambiada mientras se une"
    room = f"board:{assembly.id}"
    saved = _messages(screen, "piece_saved")
    assert [p["text"] for p in saved] == ["Cambiada mientras se une"]
    shown, applied = _shown(reply, saved, room, text)
    assert shown == "Cambiada mientras se une"
    assert (text(reply["state"]) == "Cambiada mientras se une") == (applied == 0)
    # what is stored for the next screens is what the marks say (read again after the write)
    again = socketio.test_client(app, auth={"board": assembly.board_token})
    later = again.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    assert text(later["state"]) == "Cambiada mientras se une"
    assert later["seq"][room] >= saved[0]["seq"]


def test_a_join_under_writes_on_every_read_stops_and_loses_nothing(app, make_assembly, monkeypatch):
    assembly = make_assembly()
    piece_id = seed_pieces(assembly, 2, per_group=1)[0].id
    written = []

    def change_the_piece():
        written.append(f"Versión {len(written) + 1}")
        with app.app_context(), broadcasting() as out:
            changed = db.session.get(Piece, piece_id)
            changed.text = written[-1]
            out.add(puzzle_broadcasts.piece_saved(changed))

    reads = []
    original = board.board_snapshot

    def always(assembly_id):
        reads.append(original(assembly_id))
        change_the_piece()  # every read is overtaken
        return reads[-1]

    monkeypatch.setattr(board, "board_snapshot", always)
    screen = socketio.test_client(app, auth={"board": assembly.board_token})
    reply = screen.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    assert reply["ok"], reply
    assert len(reads) == realtime.SNAPSHOT_TRIES

    def text(state):
        if "pieces" not in state:
            return state["text"]
        return {p["id"]: p["text"] for p in state["pieces"]}[piece_id]

    saved = _messages(screen, "piece_saved")
    assert [p["text"] for p in saved] == written
    shown, _applied = _shown(reply, saved, f"board:{assembly.id}", text)
    assert shown == written[-1]
