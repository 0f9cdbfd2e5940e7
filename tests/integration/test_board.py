"""The plenary: board snapshot and deltas, reveal/zoom stored in the DB, approvals (hands and
phone votes), frozen agendas, amendments with history, consolidated agenda and acta."""

from datetime import datetime

import pytest
from sqlalchemy import select

from assembly.assemblies.realtime import broadcasting
from assembly.board import services
from assembly.board.models import Acta, Approval, PlenaryState, Vote
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db, socketio
from assembly.puzzle import broadcasts as puzzle_broadcasts
from assembly.puzzle import services as puzzle
from assembly.puzzle.models import PieceVersion
from tests.support.board_seed import seed_pieces


@pytest.fixture
def room(make_assembly, make_attendee):
    """An assembly with 5 mesas of 2 sub-tables, 6 pieces and three checked-in people."""
    assembly = make_assembly()
    pieces = seed_pieces(assembly, 6, per_group=2)
    people = [make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8)) for _ in range(3)]
    late = make_attendee(assembly)  # registered but never checked in
    groups = services.board_groups(assembly.id)
    return {
        "assembly": assembly,
        "pieces": pieces,
        "people": people,
        "late": late,
        "groups": groups,
    }


def events_named(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


# --- the board ------------------------------------------------------------------------------


def test_staff_board_gets_a_full_snapshot_then_piece_deltas(room, auth, socket_client):
    auth.login("facilitator")
    sio = socket_client()
    ack = sio.emit("join_board", {"assembly_id": room["assembly"].id}, callback=True)
    assert ack["ok"]
    state = ack["state"]
    assert [g["number"] for g in state["groups"]] == [1, 2, 3, 4, 5]
    assert {p["id"] for p in state["pieces"]} == {p.id for p in room["pieces"]}
    assert state["plenary"]["mode"] == "live"
    assert state["electorate"] == 3
    piece = room["pieces"][0]
    with broadcasting() as out:
        piece.text = "Cambiada"
        out.add(puzzle_broadcasts.piece_saved(piece))
    saved = events_named(sio, "piece_saved")
    assert [p["text"] for p in saved] == ["Cambiada"]


def test_public_board_connects_with_the_board_credential_only_for_its_assembly(
    app, room, make_assembly
):
    other = make_assembly()
    sio = socketio.test_client(app, auth={"board": room["assembly"].board_token})
    assert sio.is_connected()
    assert sio.emit("join_board", {"assembly_id": room["assembly"].id}, callback=True)["ok"]
    refused = sio.emit("join_board", {"assembly_id": other.id}, callback=True)
    assert refused["ok"] is False
    # read-only: it cannot drive the plenary
    command = {"assembly_id": room["assembly"].id, "action": "whole"}
    assert sio.emit("plenary_command", command, callback=True)["ok"] is False
    assert not socketio.test_client(app, auth={"board": 99999}).is_connected()
    sio.disconnect()


def test_the_board_names_each_mesas_spokesperson_as_the_facilitator_changes_it(
    room, make_attendee, make_user
):
    """The snapshot carries the spokesperson in group_changed's shape (the reveal and the
    whole puzzle name it on the mesa's block)."""
    group = room["groups"][0]
    speaker = make_attendee(room["assembly"], group_id=group.id, first_names="Ana")
    assert [g["spokesperson"] for g in services.board_snapshot(room["assembly"].id)["groups"]] == [
        None
    ] * 5
    info = puzzle.group_info(
        puzzle.set_group_spokesperson(make_user("moderator"), group.id, speaker.id)
    )
    db.session.commit()
    first = services.board_snapshot(room["assembly"].id)["groups"][0]
    assert (
        first["spokesperson"]
        == info["spokesperson"]
        == {
            "id": speaker.id,
            "name": speaker.full_name,
        }
    )


def test_hidden_pieces_stay_off_the_board(room):
    """A hidden need takes its solution and plan with it (issue 14.4)."""
    room["pieces"][0].hidden = True
    db.session.commit()
    ids = {p["id"] for p in services.board_snapshot(room["assembly"].id)["pieces"]}
    assert ids == {p.id for p in room["pieces"][3:]}


# --- plenary mode ---------------------------------------------------------------------------


def test_moderator_reveals_one_mesa_at_a_time_and_every_screen_follows(
    app, room, auth, socket_client
):
    assembly = room["assembly"]
    screen = socketio.test_client(app, auth={"board": assembly.board_token})
    screen.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    screen.get_received()
    auth.login("moderator")
    moderator = socket_client()
    first, second = room["groups"][0], room["groups"][1]
    for group in (first, second):
        ack = moderator.emit(
            "plenary_command",
            {"assembly_id": assembly.id, "action": "reveal", "group_id": group.id},
            callback=True,
        )
        assert ack["ok"] and ack["state"]["group_id"] == group.id
    states = events_named(screen, "plenary_state")
    assert [s["group_id"] for s in states] == [first.id, second.id]
    assert states[-1]["revealed"] == [first.id, second.id]
    # stored: a restarted server (a new session) still knows whose turn it is
    db.session.expire_all()
    stored = db.session.get(PlenaryState, assembly.id)
    assert (stored.mode, stored.group_id, stored.revealed) == (
        "reveal",
        second.id,
        [first.id, second.id],
    )
    piece = room["pieces"][0]
    zoom = {"assembly_id": assembly.id, "action": "zoom", "piece_id": piece.id}
    assert moderator.emit("plenary_command", zoom, callback=True)["state"]["piece_id"] == piece.id
    whole = {"assembly_id": assembly.id, "action": "whole"}
    state = moderator.emit("plenary_command", whole, callback=True)["state"]
    assert (state["mode"], state["group_id"], state["piece_id"]) == ("whole", None, None)
    assert services.board_snapshot(assembly.id)["plenary"]["mode"] == "whole"
    screen.disconnect()


def test_plenary_commands_need_run_clock_and_valid_targets(
    room, auth, socket_client, make_assembly
):
    assembly = room["assembly"]
    auth.login("facilitator")
    ack = socket_client().emit(
        "plenary_command", {"assembly_id": assembly.id, "action": "whole"}, callback=True
    )
    assert ack == {
        "ok": False,
        "error": "Solo la moderación dirige la plenaria.",
        "code": "forbidden",
        "retry": False,
        "fields": {},
    }
    other = make_assembly()
    foreign_group = services.board_groups(other.id)[0]
    with pytest.raises(NotFound):
        services.plenary_command(None, assembly.id, "reveal", foreign_group.id)
    with pytest.raises(NotFound):
        services.plenary_command(None, assembly.id, "zoom", piece_id="nope")
    with pytest.raises(InvalidInput):
        services.plenary_command(None, assembly.id, "dance")
    db.session.rollback()
    assert db.session.get(PlenaryState, assembly.id) is None  # bad input changed nothing


# --- approval -------------------------------------------------------------------------------


def test_show_of_hands_is_recorded_closed_and_decided(app, room, auth, socket_client):
    assembly, group = room["assembly"], room["groups"][0]
    screen = socketio.test_client(app, auth={"board": assembly.board_token})
    screen.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    screen.get_received()
    auth.login("moderator")
    moderator = socket_client()
    # three people checked in: the room was counted by hand (the override is logged)
    counted = moderator.emit(
        "plenary_headcount",
        {"assembly_id": assembly.id, "headcount": "150", "reason": "Conteo en la sala"},
        callback=True,
    )
    assert counted["ok"] and counted["rules"]["present"] == 150
    ack = moderator.emit(
        "approval_command",
        {"assembly_id": assembly.id, "group_id": group.id, "action": "hands",
         "for": "120", "against": "7", "abstain": "3"},
        callback=True,
    )  # fmt: skip
    assert ack["ok"]
    assert (ack["approval"]["method"], ack["approval"]["approved"]) == ("manos", True)
    changed = events_named(screen, "approval_changed")
    assert changed[0]["approval"]["for"] == 120
    result = services.approval_results(assembly.id)[group.id]
    assert {k: result[k] for k in ("method", "for", "against", "abstain", "approved")} == {
        "method": "manos", "for": 120, "against": 7, "abstain": 3, "approved": True,
    }  # fmt: skip
    assert isinstance(result["closed_at"], datetime)
    assert services.is_frozen(group.id)
    # a second decision on the same mesa is refused until it is annulled
    again = moderator.emit(
        "approval_command",
        {"assembly_id": assembly.id, "group_id": group.id, "action": "open"},
        callback=True,
    )
    assert again["ok"] is False and "ya tiene una decisión" in again["error"]
    reset = {"assembly_id": assembly.id, "group_id": group.id, "action": "reset"}
    assert moderator.emit("approval_command", reset, callback=True)["ok"]
    assert not services.is_frozen(group.id)
    screen.disconnect()


def test_tie_or_bad_tallies_do_not_approve(room):
    assembly, groups = room["assembly"], room["groups"]
    tie = services.record_hands(None, assembly.id, groups[0].id, {"for": 1, "against": 1})
    assert tie.approved is False
    assert not services.is_frozen(groups[0].id)
    for raw in ({"for": "-1"}, {"for": "diez"}, {"for": 0, "against": 0}):
        with pytest.raises(InvalidInput):
            services.record_hands(None, assembly.id, groups[1].id, raw)


def test_phone_vote_one_vote_per_ticket_changeable_until_closed(room):
    assembly, group = room["assembly"], room["groups"][0]
    a, b, c = room["people"]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    services.cast_vote(a.ticket_token, approval.id, "for")
    services.cast_vote(b.ticket_token, approval.id, "against")
    services.cast_vote(b.ticket_token, approval.id, "for")  # changed, not added
    services.cast_vote(c.ticket_token, approval.id, "abstain")
    db.session.commit()
    assert db.session.scalar(select(db.func.count(Vote.id))) == 3
    live = services.approval_results(assembly.id, live=True)[group.id]
    assert (live["for"], live["against"], live["abstain"], live["status"]) == (2, 0, 1, "open")
    assert not services.is_frozen(group.id)  # not until it closes
    closed = services.close_vote(None, assembly.id, group.id)
    db.session.commit()
    assert (closed.votes_for, closed.votes_against, closed.votes_abstain) == (2, 0, 1)
    assert closed.approved is True and closed.closed_at is not None
    assert services.is_frozen(group.id)
    with pytest.raises(Conflict, match="ya se cerró"):
        services.cast_vote(a.ticket_token, approval.id, "against")
    with pytest.raises(Conflict):
        services.close_vote(None, assembly.id, group.id)
    db.session.rollback()
    assert db.session.scalar(select(Vote.choice).where(Vote.attendee_id == a.id)) == "for"


def test_only_checked_in_tickets_of_the_same_assembly_vote(room, make_assembly, make_attendee):
    assembly, group = room["assembly"], room["groups"][0]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    with pytest.raises(PermissionDenied, match="registradas hoy"):
        services.cast_vote(room["late"].ticket_token, approval.id, "for")
    stranger = make_attendee(make_assembly(), checked_in_at=datetime(2026, 3, 14, 8))
    with pytest.raises(NotFound):
        services.cast_vote(stranger.ticket_token, approval.id, "for")
    with pytest.raises(InvalidInput):
        services.cast_vote(room["people"][0].ticket_token, approval.id, "maybe")
    with pytest.raises(NotFound):
        services.cast_vote("no-such-ticket", approval.id, "for")
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Vote.id))) == 0


def test_hands_tally_takes_no_phone_votes(room):
    assembly, group = room["assembly"], room["groups"][0]
    approval = services.record_hands(None, assembly.id, group.id, {"for": 2, "against": 1})
    db.session.commit()
    with pytest.raises(Conflict, match="mano alzada"):
        services.cast_vote(room["people"][0].ticket_token, approval.id, "for")


def test_vote_page_votes_changes_and_refuses_after_closing(room, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "VOTE_TURNOUT_DELAY_MS", 0)  # one broadcast per vote
    assembly, group = room["assembly"], room["groups"][0]
    person = room["people"][0]
    url = f"/t/{person.ticket_token}/votar"
    assert "No hay ninguna votación abierta" in client.get(url).get_data(as_text=True)
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    board = socketio.test_client(app, auth={"board": assembly.board_token})
    board.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    board.get_received()
    page = client.get(url).get_data(as_text=True)
    assert "¿Aprueba la agenda" in page and group.theme.title in page
    response = client.post(url, data={"approval_id": approval.id, "choice": "against"})
    assert response.status_code == 302
    client.post(url, data={"approval_id": approval.id, "choice": "for"})
    assert "Su voto:" in client.get(url).get_data(as_text=True)
    tallies = events_named(board, "approval_changed")
    assert [(t["approval"]["for"], t["approval"]["against"]) for t in tallies] == [(0, 1), (1, 0)]
    services.close_vote(None, assembly.id, group.id)
    db.session.commit()
    refused = client.post(url, data={"approval_id": approval.id, "choice": "against"})
    assert refused.status_code == 409
    assert db.session.scalar(select(Vote.choice).where(Vote.attendee_id == person.id)) == "for"
    assert client.get("/t/unknown-token/votar").status_code == 404
    board.disconnect()


def test_ticket_socket_follows_votes_opening(app, room, auth, socket_client):
    assembly, group = room["assembly"], room["groups"][1]
    assert not socketio.test_client(app, auth={"ticket": "wrong"}).is_connected()
    phone = socketio.test_client(app, auth={"ticket": room["people"][0].ticket_token})
    assert phone.is_connected()
    assert phone.emit("join_votes", {"assembly_id": assembly.id}, callback=True) == {
        "ok": True, "open": [], "state": {"open": []}, "rev": 0, "seq": {f"vote:{assembly.id}": 0},
    }  # fmt: skip
    auth.login("moderator")
    socket_client().emit(
        "approval_command",
        {"assembly_id": assembly.id, "group_id": group.id, "action": "open"},
        callback=True,
    )
    changed = events_named(phone, "approval_changed")
    assert changed[0]["approval"]["status"] == "open"
    phone.disconnect()


# --- frozen agendas and amendments ----------------------------------------------------------


def test_frozen_agenda_rejects_edits_and_amendments_keep_history(room, auth, client):
    assembly, group = room["assembly"], room["groups"][0]
    services.record_hands(None, assembly.id, group.id, {"for": 2, "against": 1})
    db.session.commit()
    with pytest.raises(Conflict, match="ya aprobó") as frozen:
        puzzle.ensure_editable(group.tables[0])
    assert frozen.value.code == "frozen"
    puzzle.ensure_editable(room["groups"][1].tables[0])  # another mesa is still open
    plan = next(p for p in room["pieces"] if p.kind == "plan" and p.table.group_id == group.id)
    auth.login("moderator")
    url = f"/assemblies/{assembly.id}/piezas/{plan.id}/enmendar"
    assert (
        client.post(url, data={"text": "Nuevo", "who": "UNAD", "due": "2025-T4"}).status_code == 422
    )
    response = client.post(
        url, data={"text": "Nuevo texto", "who": "UNAD", "due": "2025-T4", "reason": "Plenaria"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    history = puzzle.piece_history(plan.id)
    assert [(v.version, v.text, v.reason) for v in history] == [
        (1, "Diseñar el reglamento del fondo", "Plenaria")
    ]
    assert (plan.version, plan.text, plan.due) == (2, "Nuevo texto", "2025-T4")
    assert "(enmendada)" in client.get(f"/assemblies/{assembly.id}/agenda-consolidada").get_data(
        as_text=True
    )
    assert db.session.scalar(select(db.func.count(PieceVersion.id))) == 1


def test_facilitator_cannot_amend(room, auth, client):
    piece = room["pieces"][0]
    auth.login("facilitator")
    url = f"/assemblies/{room['assembly'].id}/piezas/{piece.id}/enmendar"
    assert client.post(url, data={"text": "x", "reason": "y"}).status_code == 403


# --- documents ------------------------------------------------------------------------------


def test_consolidated_agenda_reads_need_solution_who_when(room, auth, client):
    auth.login("supervisor")
    page = client.get(f"/assemblies/{room['assembly'].id}/agenda-consolidada").get_data(
        as_text=True
    )
    assert room["assembly"].agreement_line in page
    for piece in room["pieces"]:
        assert piece.text in page
    assert "Cooperativas de Arauca" in page and "2025-T1" in page
    assert "Enmendar" not in page  # a supervisor only reads


def test_closing_stores_the_acta_snapshot(room, auth, client):
    assembly, groups = room["assembly"], room["groups"]
    services.record_hands(None, assembly.id, groups[0].id, {"for": 1, "against": 0, "abstain": 1})
    services.record_hands(None, assembly.id, groups[1].id, {"for": 0, "against": 2})
    db.session.commit()
    auth.login("moderator")
    assert "Cerrar la asamblea" in client.get(f"/assemblies/{assembly.id}/acta").get_data(
        as_text=True
    )
    reason = {"reason": "Las mesas 3 a 5 no alcanzaron a votar"}
    assert client.post(f"/assemblies/{assembly.id}/acta", data=reason).status_code == 302
    db.session.expire_all()
    acta = db.session.scalar(select(Acta))
    assert acta.snapshot["attendance"]["checked_in"] == 3
    assert acta.snapshot["attendance"]["registered"] == 4
    approvals = {s["number"]: s["approval"] for s in acta.snapshot["agenda"]}
    assert approvals[1]["approved"] is True and approvals[2]["approved"] is False
    assert approvals[3] is None
    assert db.session.get(type(assembly), assembly.id).status == "closed"
    # the snapshot does not follow later changes
    room["pieces"][0].text = "Cambiada después"
    db.session.commit()
    page = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert "Acta de la asamblea" in page and "Cambiada después" not in page
    need_of_mesa_2 = next(p for p in room["pieces"] if p.table.group_id == groups[1].id)
    assert need_of_mesa_2.text not in page.split("Agenda aprobada")[1]  # not approved


def test_an_open_vote_blocks_closing(room, auth, client):
    services.open_vote(None, room["assembly"].id, room["groups"][0].id)
    db.session.commit()
    auth.login("moderator")
    response = client.post(f"/assemblies/{room['assembly'].id}/acta", follow_redirects=True)
    assert "Cierre primero las votaciones abiertas" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Acta.id))) == 0


def test_board_pages_render(room, auth, client):
    assembly = room["assembly"]
    assert client.get(f"/tablero/{assembly.board_token}").status_code == 200
    assert client.get(f"/tablero/{assembly.board_token}/qr.svg").mimetype == "image/svg+xml"
    assert client.get("/tablero/99999").status_code == 404
    auth.login("moderator")
    board = client.get(f"/assemblies/{assembly.id}/board").get_data(as_text=True)
    assert f"/tablero/{assembly.board_token}" in board and "<svg" in board
    console = client.get(f"/assemblies/{assembly.id}/plenaria").get_data(as_text=True)
    assert "Revelar" in console
    assert db.session.scalar(select(db.func.count(Approval.id))) == 0


def test_admin_closing_the_assembly_stores_the_acta(room, auth, client):
    auth.login("admin")
    closing = {"status": "closed", "reason": "Cierre de prueba"}
    client.post(f"/assemblies/{room['assembly'].id}/status", data=closing)
    acta = db.session.scalar(select(Acta))
    assert acta is not None and acta.snapshot["attendance"]["checked_in"] == 3
    client.post(f"/assemblies/{room['assembly'].id}/status", data={"status": "closed"})
    assert db.session.scalar(select(db.func.count(Acta.id))) == 1  # already closed: no new one
