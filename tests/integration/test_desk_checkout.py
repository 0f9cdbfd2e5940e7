"""The desk's optional "salida": present = checked in and not checked out."""

from datetime import datetime

import pytest

from assembly.board.services import rules
from assembly.desk import services as checkin
from assembly.extensions import db as _db
from assembly.registration.models import Attendee

NOW = datetime(2026, 3, 14, 12, 40)  # naive UTC = 07:40 in Bogotá


@pytest.fixture(autouse=True)
def immediate_counters(app, monkeypatch):
    monkeypatch.setitem(app.config, "DESK_COUNTERS_DELAY_MS", 0)


def _post(client, assembly_id, path, body):
    return client.post(
        f"/assemblies/{assembly_id}/desk/{path}", json=body, headers={"Accept": "application/json"}
    )


def _reload(attendee_id):
    _db.session.expire_all()
    return _db.session.get(Attendee, attendee_id)


def test_check_out_stops_counting_the_person_and_a_new_scan_brings_them_back(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly, checked_in_at=NOW, checked_in_desk="Mesa 2")
    make_attendee(assembly, checked_in_at=NOW, checked_in_desk="Mesa 1")
    assert rules.checked_in_now(assembly.id) == 2

    response = _post(client, assembly.id, "checkout", {"attendee_id": person.id})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["message"] == (f"Salida registrada: {person.full_name} ya no cuenta como presente.")
    assert body["person"]["checked_out"] is True
    assert body["person"]["checked_out_time"]  # venue time, HH:MM
    stored = _reload(person.id)
    assert stored.checked_out_at is not None
    assert stored.checked_in_at == NOW  # the arrival stays on record
    assert rules.checked_in_now(assembly.id) == 1
    state = checkin.counters(assembly, NOW)
    assert (state["checked_in"], state["left"], state["present"]) == (2, 1, 1)

    twice = _post(client, assembly.id, "checkout", {"attendee_id": person.id})
    assert twice.status_code == 409
    assert twice.get_json()["error"] == f"La salida de {person.full_name} ya estaba registrada."

    back = _post(client, assembly.id, "checkin", {"ticket": person.ticket_token, "desk": "Mesa 3"})
    answer = back.get_json()
    assert (answer["result"], answer["returned"]) == ("ok", True)
    assert answer["message"] == "Regreso registrado: vuelve a contar como presente."
    assert answer["person"]["checked_out"] is False
    stored = _reload(person.id)
    assert (stored.checked_out_at, stored.checked_in_at, stored.checked_in_desk) == (
        None,
        NOW,
        "Mesa 2",
    )
    assert rules.checked_in_now(assembly.id) == 2
    # once back, another scan is the usual amber "already"
    again = _post(client, assembly.id, "checkin", {"ticket": person.ticket_token, "desk": "Mesa 3"})
    assert (again.get_json()["result"], again.get_json()["returned"]) == ("already", False)


def test_check_out_needs_an_arrival_and_the_same_assembly(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly, other = make_assembly(), make_assembly()
    waiting = make_attendee(assembly)
    stranger = make_attendee(other, checked_in_at=NOW, checked_in_desk="Mesa 9")
    response = _post(client, assembly.id, "checkout", {"attendee_id": waiting.id})
    assert response.status_code == 409
    assert response.get_json()["error"] == (
        f"{waiting.full_name} no tiene una llegada registrada: no puede salir."
    )
    assert _post(client, assembly.id, "checkout", {"attendee_id": stranger.id}).status_code == 404
    assert _reload(stranger.id).checked_out_at is None
    assert _post(client, assembly.id, "checkout", {"attendee_id": "x"}).status_code == 422


def test_undo_of_an_arrival_also_forgets_its_salida(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(
        assembly, checked_in_at=NOW, checked_in_desk="Mesa 1", checked_out_at=NOW
    )
    assert _post(client, assembly.id, "undo", {"attendee_id": person.id}).status_code == 200
    stored = _reload(person.id)
    assert (stored.checked_in_at, stored.checked_out_at) == (None, None)


def test_check_out_pushes_the_present_count_to_every_desk(
    client, auth, socket_client, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly, checked_in_at=NOW, checked_in_desk="Mesa 1")
    desk = socket_client()
    ack = desk.emit("join_desk", {"assembly_id": assembly.id}, callback=True)
    assert ack["state"]["present"] == 1
    desk.get_received()
    _post(client, assembly.id, "checkout", {"attendee_id": person.id})
    events = desk.get_received()
    assert [(e["name"], e["args"][0]["present"]) for e in events] == [("desk_counters", 0)]


@pytest.mark.parametrize("role", ["facilitator", "supervisor"])
def test_check_out_follows_the_desk_permission(role, client, auth, make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(assembly, checked_in_at=NOW, checked_in_desk="Mesa 1")
    auth.login(role)
    response = _post(client, assembly.id, "checkout", {"attendee_id": person.id})
    assert response.status_code == 403
    assert _reload(person.id).checked_out_at is None
