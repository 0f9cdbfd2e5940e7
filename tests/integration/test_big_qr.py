"""A QR full height on the board, for the back of the hall (issue 19): the moderator shows the
survey's (``survey_qr``) or the phone vote's (``vote_qr``) QR big on every board screen; the
choice is part of the board's state (its join snapshot, so a reloaded screen keeps it), one
QR at a time, and it goes back to its corner when the survey or the vote closes. Refused
without the moderator's right, without anything to scan, or with a malformed payload."""

from datetime import datetime

import pytest

from assembly.board import services as board
from assembly.extensions import db
from assembly.followup import survey
from tests.support.board_seed import tables_for


@pytest.fixture
def plenary(make_assembly, make_attendee):
    assembly = make_assembly()
    tables_for(assembly, per_group=1)
    make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8))
    db.session.commit()
    return assembly


def _states(sio) -> list[dict]:
    return [e["args"][0] for e in sio.get_received() if e["name"] == "plenary_state"]


def _big(assembly_id) -> str | None:
    db.session.expire_all()
    return board.plenary_state(assembly_id)["big_qr"]


def test_the_survey_qr_goes_big_on_every_board_and_back_when_the_survey_closes(
    plenary, client, auth, socket_client
):
    auth.login("moderator")
    console = socket_client()
    screen = socket_client()
    assert screen.emit("join_board", {"assembly_id": plenary.id}, callback=True)["ok"]
    screen.get_received()

    # nothing to scan yet: refused, nothing changes
    ack = console.emit("survey_qr", {"assembly_id": plenary.id, "shown": True}, callback=True)
    assert ack["ok"] is False and ack["error"] == "La encuesta no está abierta."
    assert _big(plenary.id) is None and _states(screen) == []

    survey.open_survey(None, plenary.id)
    db.session.commit()
    ack = console.emit("survey_qr", {"assembly_id": plenary.id, "shown": True}, callback=True)
    assert ack["ok"] and ack["big"] is True and ack["state"]["big_qr"] == "survey"
    assert [s["big_qr"] for s in _states(screen)] == ["survey"]  # live on the board screens
    # a screen that reloads (or reconnects) gets it in the board's snapshot
    again = socket_client()
    snapshot = again.emit("join_board", {"assembly_id": plenary.id}, callback=True)["state"]
    assert snapshot["plenary"]["big_qr"] == "survey"
    assert client.get(f"/assemblies/{plenary.id}/encuesta/estado").get_json()["big"] is True

    # «Ocultar»: back to its corner
    ack = console.emit("survey_qr", {"assembly_id": plenary.id, "shown": False}, callback=True)
    assert ack["ok"] and ack["big"] is False
    assert [s["big_qr"] for s in _states(screen)] == [None]
    console.emit("survey_qr", {"assembly_id": plenary.id, "shown": True}, callback=True)
    screen.get_received()

    # the survey closes: every screen puts the QR back, on its own
    response = client.post(f"/assemblies/{plenary.id}/encuesta", data={"action": "close"})
    assert response.status_code == 302
    assert [s["big_qr"] for s in _states(screen)] == [None]
    assert _big(plenary.id) is None
    assert client.get(f"/assemblies/{plenary.id}/encuesta/estado").get_json()["big"] is False


def test_only_the_moderation_and_only_a_sane_payload(plenary, auth, socket_client):
    survey.open_survey(None, plenary.id)
    db.session.commit()
    auth.login("facilitator")
    facilitator = socket_client()
    for event in ("survey_qr", "vote_qr"):
        ack = facilitator.emit(event, {"assembly_id": plenary.id, "shown": True}, callback=True)
        assert ack["ok"] is False and ack["code"] == "forbidden", (event, ack)
    auth.logout()
    auth.login("moderator")
    console = socket_client()
    for bad in ({"assembly_id": plenary.id, "shown": "quizá"}, {"shown": True}, ["survey"]):
        ack = console.emit("survey_qr", bad, callback=True)
        assert ack["ok"] is False and ack["code"] == "invalid", (bad, ack)
    ack = console.emit("survey_qr", {"assembly_id": plenary.id, "shown": "quizá"}, callback=True)
    assert ack["fields"]["shown"]  # a Spanish field message, not a traceback
    assert _big(plenary.id) is None


def test_the_vote_qr_goes_big_while_a_phone_vote_is_open_one_qr_at_a_time(
    plenary, auth, socket_client
):
    group_id = board.board_groups(plenary.id)[0].id
    survey.open_survey(None, plenary.id)
    db.session.commit()
    auth.login("moderator")
    console = socket_client()
    screen = socket_client()
    screen.emit("join_board", {"assembly_id": plenary.id}, callback=True)

    ack = console.emit("vote_qr", {"assembly_id": plenary.id, "shown": True}, callback=True)
    assert ack["ok"] is False and ack["error"] == "No hay una votación por teléfono abierta."

    console.emit("survey_qr", {"assembly_id": plenary.id, "shown": True}, callback=True)
    opened = console.emit(
        "approval_command",
        {"assembly_id": plenary.id, "action": "open", "group_id": group_id},
        callback=True,
    )
    assert opened["ok"], opened
    assert _big(plenary.id) == "survey"  # a vote opening leaves the survey's QR as it was
    screen.get_received()
    ack = console.emit("vote_qr", {"assembly_id": plenary.id, "shown": True}, callback=True)
    assert ack["ok"] and ack["state"]["big_qr"] == "vote"  # the vote's replaces the survey's
    # hiding the survey's QR now changes nothing: it is not the one shown big
    console.emit("survey_qr", {"assembly_id": plenary.id, "shown": False}, callback=True)
    assert _big(plenary.id) == "vote"
    screen.get_received()

    closed = console.emit(
        "approval_command",
        {"assembly_id": plenary.id, "action": "close", "group_id": group_id},
        callback=True,
    )
    assert closed["ok"], closed
    assert [s["big_qr"] for s in _states(screen)] == [None]  # the vote ended: back to normal
    assert _big(plenary.id) is None
