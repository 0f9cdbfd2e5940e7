"""One way to close an assembly, and nothing of the day written after it (issue 18.2 / 15.4).

The status form and the plenary button both run assemblies.services.close_assembly: the board
refuses while a vote is open, and stores the acta once closed. After closing, every write of
the day that exists today is refused with the code ``closed``: pieces (phones and
facilitators), votes and approvals, amendments, the clock, check-in and undo, grouping.
"""

import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from assembly.assemblies import services as assemblies
from assembly.board import services as board
from assembly.board.models import Acta
from assembly.errors import Conflict, PermissionDenied
from assembly.extensions import db
from tests.support.board_seed import seed_pieces

CLOSED_MESSAGE = "La asamblea está cerrada: ya no se registran cambios del día."


@pytest.fixture
def room(make_assembly, make_attendee, make_user):
    assembly = make_assembly()
    pieces = seed_pieces(assembly, 6, per_group=1)
    groups = board.board_groups(assembly.id)
    table = groups[0].tables[0]
    here = make_attendee(
        assembly,
        checked_in_at=datetime(2026, 3, 14, 8),
        group_id=table.group_id,
        table_id=table.id,
    )
    waiting = make_attendee(assembly)
    facilitator = make_user("facilitator")
    groups[0].facilitator_id = facilitator.id
    db.session.commit()
    return {
        "assembly": assembly,
        "groups": groups,
        "table": table,
        "pieces": pieces,
        "here": here,
        "waiting": waiting,
        "facilitator": facilitator,
    }


def close(room):
    assemblies.close_assembly(None, room["assembly"], reason="Fin de la jornada")
    db.session.commit()


def refused_closed(ack):
    assert ack["ok"] is False, ack
    assert (ack["code"], ack["retry"], ack["error"]) == ("closed", False, CLOSED_MESSAGE)


def test_the_status_form_and_the_plenary_button_share_one_close(room, auth, client):
    board.open_vote(None, room["assembly"].id, room["groups"][0].id)
    db.session.commit()
    auth.login("admin")
    page = client.post(
        f"/assemblies/{room['assembly'].id}/status",
        data={"status": "closed"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Cierre primero las votaciones abiertas (mesa 1)" in page  # the status form too
    assert "Hay mesas sin decisión (mesa 2, 3, 4, 5)" in page
    assert db.session.get(type(room["assembly"]), room["assembly"].id).status != "closed"
    board.close_vote(None, room["assembly"].id, room["groups"][0].id)
    db.session.commit()
    refused = client.post(f"/assemblies/{room['assembly'].id}/acta", follow_redirects=True)
    assert "Hay mesas sin decisión" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Acta.id))) == 0
    client.post(f"/assemblies/{room['assembly'].id}/acta", data={"reason": "Se acabó el tiempo"})
    assert db.session.scalar(select(func.count(Acta.id))) == 1
    again = client.post(f"/assemblies/{room['assembly'].id}/acta", follow_redirects=True)
    assert "ya está cerrada" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Acta.id))) == 1
    acta = board.latest_acta(room["assembly"].id)
    assert acta.snapshot["close_reason"] == "Se acabó el tiempo"
    forced = [i for i in acta.snapshot["incidents"] if i["kind"] == "close_forced"]
    assert forced and forced[0]["detail"] == {"open_votes": [], "undecided": [2, 3, 4, 5]}


def test_a_forced_close_counts_the_open_vote_into_the_acta(room):
    assembly, group = room["assembly"], room["groups"][0]
    approval = board.open_vote(None, assembly.id, group.id)
    db.session.commit()
    board.cast_vote(room["here"].ticket_token, approval.id, "for")
    db.session.commit()
    assemblies.close_assembly(None, assembly, reason="La sala debe desocuparse")
    db.session.commit()
    assert approval.status == "closed" and approval.votes_for == 1
    section = next(
        s for s in board.latest_acta(assembly.id).snapshot["agenda"] if s["group_id"] == group.id
    )
    assert section["approval"]["for"] == 1 and section["approval"]["outcome"] == "approved"


def test_reopening_needs_an_admin_and_a_reason_and_closing_again_makes_a_new_version(
    room, auth, client, make_user
):
    assembly = room["assembly"]
    close(room)
    first = board.latest_acta(assembly.id)
    first_snapshot = dict(first.snapshot)
    with pytest.raises(PermissionDenied):
        assemblies.set_status(make_user("moderator"), assembly.id, "live", "Un error")
    auth.login("admin")
    page = client.post(
        f"/assemblies/{assembly.id}/status", data={"status": "live"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Diga por qué se reabre la asamblea" in page
    assert db.session.get(type(assembly), assembly.id).status == "closed"
    client.post(
        f"/assemblies/{assembly.id}/status",
        data={"status": "live", "reason": "Faltó votar la mesa 3"},
    )
    db.session.expire_all()
    assert db.session.get(type(assembly), assembly.id).status == "live"
    logged = [i for i in assemblies.incidents(assembly.id) if i.kind == "reopened"]
    assert logged[0].reason == "Faltó votar la mesa 3" and logged[0].user_id is not None
    client.post(f"/assemblies/{assembly.id}/acta", data={"reason": "Segunda vez"})
    versions = db.session.scalars(select(Acta).order_by(Acta.version)).all()
    assert [a.version for a in versions] == [1, 2]
    assert versions[0].snapshot == first_snapshot  # the stored acta never changes
    assert versions[1].snapshot["close_reason"] == "Segunda vez"
    assert any(i["kind"] == "reopened" for i in versions[1].snapshot["incidents"])


def test_closing_twice_through_the_service_is_refused(room):
    close(room)
    with pytest.raises(Conflict) as refused:
        assemblies.close_assembly(None, room["assembly"])
    assert refused.value.code == "closed"


def test_phones_cannot_write_after_closing(room, socket_client, monkeypatch):
    monkeypatch.setattr(
        "assembly.agenda.services.open_piece_kinds", lambda assembly_id: {"need", "solution"}
    )
    monkeypatch.setattr(
        "assembly.agenda.services.piece_window", lambda a_id: ({"need", "solution"}, False)
    )
    phone = socket_client(auth={"table_code": room["table"].join_code})
    assert phone.emit("join_table", {}, callback=True)["ok"]
    own = next(p for p in room["pieces"] if p.table_id == room["table"].id and p.kind == "need")
    close(room)
    new = {"id": str(uuid.uuid4()), "kind": "need", "text": "Una más"}
    refused_closed(phone.emit("submit_piece", new, callback=True))
    refused_closed(phone.emit("edit_piece", {"id": own.id, "text": "Otra"}, callback=True))
    refused_closed(phone.emit("delete_piece", {"id": own.id}, callback=True))
    refused_closed(phone.emit("set_spokesperson", {"attendee_id": room["here"].id}, callback=True))


def test_facilitators_cannot_moderate_after_closing(room, auth, socket_client):
    auth.login(room["facilitator"])
    staff = socket_client()
    piece = next(p for p in room["pieces"] if p.table.group_id == room["groups"][0].id)
    close(room)
    refused_closed(staff.emit("hide_piece", {"id": piece.id}, callback=True))
    refused_closed(staff.emit("fix_piece", {"id": piece.id, "text": "Corregida"}, callback=True))
    refused_closed(
        staff.emit(
            "set_group_spokesperson",
            {"group_id": room["groups"][0].id, "attendee_id": room["here"].id},
            callback=True,
        )
    )


def test_the_clock_and_the_plenary_votes_stop_after_closing(room, auth, socket_client, client):
    auth.login("moderator")
    sio = socket_client()
    assembly, group = room["assembly"], room["groups"][1]
    close(room)
    refused_closed(
        sio.emit("clock_control", {"assembly_id": assembly.id, "action": "start"}, callback=True)
    )
    for action in ("open", "hands", "reset"):
        refused_closed(
            sio.emit(
                "approval_command",
                {"assembly_id": assembly.id, "group_id": group.id, "action": action, "for": 3},
                callback=True,
            )
        )
    piece = room["pieces"][0]
    response = client.post(
        f"/assemblies/{assembly.id}/piezas/{piece.id}/enmendar",
        data={"text": "Enmendada", "reason": "Plenaria"},
    )
    assert response.status_code == 422 and CLOSED_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(piece), piece.id).text == piece.text


def test_a_ticket_cannot_vote_after_closing(room, client):
    approval = board.open_vote(None, room["assembly"].id, room["groups"][1].id)
    db.session.commit()
    room["assembly"].status = "closed"  # closed by hand: the vote stays open in the data
    db.session.commit()
    response = client.post(
        f"/t/{room['here'].ticket_token}/votar",
        data={"approval_id": approval.id, "choice": "for"},
    )
    assert response.status_code == 409
    assert CLOSED_MESSAGE in response.get_data(as_text=True)
    assert board.votes_of(room["here"]) == {}


def test_the_desk_and_the_groups_screen_stop_after_closing(room, auth, client):
    auth.login("organizer")
    assembly = room["assembly"]
    close(room)
    checkin = client.post(
        f"/assemblies/{assembly.id}/desk/checkin",
        json={"ticket": room["waiting"].ticket_token, "desk": "Mesa 1"},
        headers={"Accept": "application/json"},
    )
    assert checkin.status_code == 409
    refused_closed(checkin.get_json())
    undo = client.post(
        f"/assemblies/{assembly.id}/desk/undo",
        json={"attendee_id": room["here"].id},
        headers={"Accept": "application/json"},
    )
    assert undo.status_code == 409
    refused_closed(undo.get_json())
    leave = client.post(
        f"/assemblies/{assembly.id}/desk/checkout",
        json={"attendee_id": room["here"].id},
        headers={"Accept": "application/json"},
    )
    assert leave.status_code == 409
    refused_closed(leave.get_json())
    other_table = room["groups"][1].tables[0]
    page = client.post(
        f"/assemblies/{assembly.id}/groups/move",
        data={"attendee_id": room["here"].id, "table_id": other_table.id},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert CLOSED_MESSAGE in page
    page = client.post(
        f"/assemblies/{assembly.id}/groups/split",
        data={"population": "registered", "seed": "1", "confirm": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert CLOSED_MESSAGE in page
    db.session.expire_all()
    assert db.session.get(type(room["here"]), room["here"].id).table_id == room["table"].id
    assert db.session.get(type(room["waiting"]), room["waiting"].id).checked_in_at is None
