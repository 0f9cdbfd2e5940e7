"""Time-up means time-up (issue 15 point 5): the server closes a step's input once its time
and the grace run out; a late piece is refused with ``time_up``, held for the facilitator, and
goes through when the step reopens."""

import time
import uuid

import pytest
from sqlalchemy import func, select

from assembly.agenda import services as agenda
from assembly.agenda.domain import ClockState, input_time_up
from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import LatePiece, Piece, PieceVersion

NEEDS_MINUTES = 15  # the template's "Necesidades" step


@pytest.fixture
def room(make_assembly, make_attendee, make_user):
    assembly = make_assembly()
    groups = _db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    table = Table(group_id=groups[0].id, number=1, join_code="TTUP22", capacity=20)
    other = Table(group_id=groups[1].id, number=1, join_code="OTRA33", capacity=20)
    _db.session.add_all([table, other])
    _db.session.commit()
    make_attendee(assembly, group_id=table.group_id, table_id=table.id)
    return {"assembly": assembly, "groups": groups, "table": table, "other": other}


def run_needs_step(assembly, *, overtime_s: float) -> None:
    """The clock on the needs step, started so that it is ``overtime_s`` past 00:00 now."""
    slots = agenda.load_agenda(assembly).slots
    position = next(i for i, s in enumerate(slots) if s.step_kind == "needs")
    started = time.time() - NEEDS_MINUTES * 60 - overtime_s
    agenda.control(None, assembly.id, "jump", position=position, now=started)
    _db.session.commit()


def phone(socket_client, code):
    sio = socket_client(auth={"table_code": code})
    ack = sio.emit("join_table", {"code": code}, callback=True)
    assert ack["ok"], ack
    sio.get_received()
    return sio


def need(text="Falta crédito blando para las asociaciones"):
    return {"id": str(uuid.uuid4()), "kind": "need", "text": text}


def names(sio):
    return [(e["name"], e["args"][0]) for e in sio.get_received()]


# --- the rule itself (pure) ---------------------------------------------------------------


def test_input_closes_only_after_the_grace():
    state = ClockState(status="running", position=0, key="m1.s1", started_at=0.0, duration_s=60)
    assert not input_time_up(state, 60, 30)  # 00:00
    assert not input_time_up(state, 89.9, 30)  # within the grace
    assert input_time_up(state, 90.1, 30)
    assert input_time_up(state, 61, 0)
    paused = ClockState(
        status="paused", position=0, key="m1.s1", started_at=0.0, duration_s=60, paused_at=200
    )
    assert input_time_up(paused, 10_000, 30)  # a pause after time-up does not reopen it
    assert not input_time_up(ClockState(), 10_000, 30)  # no step running: nothing to close


# --- phones --------------------------------------------------------------------------------


def test_within_the_grace_a_piece_is_stored(room, socket_client):
    run_needs_step(room["assembly"], overtime_s=10)
    sio = phone(socket_client, "TTUP22")
    ack = sio.emit("submit_piece", need(), callback=True)
    assert ack["ok"] is True and ack["created"] is True


def test_after_the_grace_the_piece_is_refused_time_up_and_held_for_the_facilitator(
    room, socket_client, auth, make_user
):
    facilitator = make_user("facilitator")
    room["groups"][0].facilitator_id = facilitator.id
    _db.session.commit()
    run_needs_step(room["assembly"], overtime_s=45)
    sio = phone(socket_client, "TTUP22")
    auth.login(facilitator)
    staff = socket_client()
    joined = staff.emit("facilitate_group", {"group_id": room["groups"][0].id}, callback=True)
    assert joined["ok"] and joined["state"]["late"] == []
    staff.get_received()

    piece = need()
    ack = sio.emit("submit_piece", piece, callback=True)
    assert ack["ok"] is False
    assert (ack["code"], ack["retry"]) == ("time_up", False)
    assert "fuera de tiempo" in ack["error"]
    assert _db.session.scalar(select(func.count(Piece.id))) == 0
    held = [p for name, p in names(staff) if name == "late_piece_held"]
    assert [(p["id"], p["text"], p["table_number"]) for p in held] == [
        (piece["id"], piece["text"], 1)
    ]
    again = staff.emit("facilitate_group", {"group_id": room["groups"][0].id}, callback=True)
    assert [p["id"] for p in again["state"]["late"]] == [piece["id"]]
    rejoined = sio.emit("join_table", {}, callback=True)
    assert rejoined["state"]["late"] == [piece["id"]]  # the phone learns what is held

    # a resend updates the one held copy
    piece["text"] = "Falta crédito blando y asesoría"
    assert sio.emit("submit_piece", piece, callback=True)["code"] == "time_up"
    assert [row.text for row in _db.session.scalars(select(LatePiece))] == [piece["text"]]

    # the facilitator accepts it: it is on the board, the copy is gone, the phones are told
    staff.get_received()
    sio.get_received()
    accepted = staff.emit("accept_late_piece", {"id": piece["id"]}, callback=True)
    assert accepted["ok"] is True, accepted
    assert accepted["piece"]["text"] == piece["text"]
    assert _db.session.get(Piece, piece["id"]) is not None
    assert _db.session.scalar(select(func.count(LatePiece.id))) == 0
    told = names(sio)
    cleared = [p for name, p in told if name == "late_piece_cleared"]
    assert cleared[0]["id"] == piece["id"] and cleared[0]["accepted"] is True
    assert [p["id"] for name, p in told if name == "piece_saved"] == [piece["id"]]
    twice = staff.emit("accept_late_piece", {"id": piece["id"]}, callback=True)
    assert twice["ok"] is False and twice["code"] == "not_found"


def test_edits_and_deletes_after_time_up_are_refused_too(room, socket_client):
    run_needs_step(room["assembly"], overtime_s=0)
    sio = phone(socket_client, "TTUP22")
    piece = need()
    assert sio.emit("submit_piece", piece, callback=True)["ok"]
    run_needs_step(room["assembly"], overtime_s=31)
    edit = sio.emit("edit_piece", {"id": piece["id"], "text": "Otro texto"}, callback=True)
    assert edit["code"] == "time_up"
    assert _db.session.get(Piece, piece["id"]).text == piece["text"]
    held = _db.session.get(LatePiece, piece["id"])
    assert (held.op, held.text) == ("edit", "Otro texto")
    delete = sio.emit("delete_piece", {"id": piece["id"]}, callback=True)
    assert delete["code"] == "time_up"
    _db.session.expire_all()
    assert _db.session.get(Piece, piece["id"]) is not None


def test_an_accepted_late_edit_keeps_the_earlier_text_in_the_history(
    room, socket_client, auth, make_user
):
    run_needs_step(room["assembly"], overtime_s=0)
    sio = phone(socket_client, "TTUP22")
    piece = need()
    sio.emit("submit_piece", piece, callback=True)
    run_needs_step(room["assembly"], overtime_s=40)
    sio.emit("edit_piece", {"id": piece["id"], "text": "Texto tardío"}, callback=True)
    auth.login("moderator")
    staff = socket_client()
    ack = staff.emit("accept_late_piece", {"id": piece["id"]}, callback=True)
    assert ack["ok"] and ack["piece"]["text"] == "Texto tardío" and ack["piece"]["version"] == 2
    version = _db.session.scalar(select(PieceVersion).where(PieceVersion.piece_id == piece["id"]))
    assert version.text == piece["text"]
    assert version.reason == "Aceptada fuera de tiempo por la facilitación"


def test_extending_the_step_reopens_it_and_the_phone_resend_clears_the_held_copy(
    room, socket_client, auth, make_user
):
    run_needs_step(room["assembly"], overtime_s=60)
    sio = phone(socket_client, "TTUP22")
    piece = need()
    assert sio.emit("submit_piece", piece, callback=True)["code"] == "time_up"
    assert _db.session.get(LatePiece, piece["id"]) is not None
    agenda.control(None, room["assembly"].id, "extend", minutes=5)
    _db.session.commit()
    ack = sio.emit("submit_piece", piece, callback=True)
    assert ack["ok"] is True and ack["created"] is True
    _db.session.expire_all()
    assert _db.session.get(LatePiece, piece["id"]) is None
    cleared = [p for name, p in names(sio) if name == "late_piece_cleared"]
    assert [(p["id"], p["accepted"]) for p in cleared] == [(piece["id"], False)]


def test_the_grace_is_configurable_and_shown_to_the_phones(room, socket_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TIME_UP_GRACE_SECONDS", 0)
    run_needs_step(room["assembly"], overtime_s=5)
    sio = socket_client(auth={"table_code": "TTUP22"})
    ack = sio.emit("join_table", {}, callback=True)
    assert ack["state"]["clock"]["input_grace_s"] == 0
    assert sio.emit("submit_piece", need(), callback=True)["code"] == "time_up"
    monkeypatch.setitem(app.config, "TIME_UP_GRACE_SECONDS", 60)
    assert sio.emit("submit_piece", need(), callback=True)["ok"] is True


def test_only_the_mesas_facilitator_may_accept_a_late_piece(room, socket_client, auth, make_user):
    run_needs_step(room["assembly"], overtime_s=60)
    sio = phone(socket_client, "TTUP22")
    piece = need()
    sio.emit("submit_piece", piece, callback=True)
    stranger = make_user("facilitator")
    room["groups"][1].facilitator_id = stranger.id
    _db.session.commit()
    auth.login(stranger)
    staff = socket_client()
    ack = staff.emit("accept_late_piece", {"id": piece["id"]}, callback=True)
    assert ack["ok"] is False and ack["code"] == "forbidden"
    assert _db.session.get(Piece, piece["id"]) is None
    bad = staff.emit("accept_late_piece", {"id": "no-es-un-uuid"}, callback=True)
    assert bad["ok"] is False and bad["code"] == "invalid"


def test_no_late_piece_is_accepted_after_closing(room, socket_client, auth):
    run_needs_step(room["assembly"], overtime_s=60)
    sio = phone(socket_client, "TTUP22")
    piece = need()
    sio.emit("submit_piece", piece, callback=True)
    room["assembly"].status = "closed"
    _db.session.commit()
    auth.login("moderator")
    ack = socket_client().emit("accept_late_piece", {"id": piece["id"]}, callback=True)
    assert ack["ok"] is False and ack["code"] == "closed"
    assert _db.session.get(Piece, piece["id"]) is None
