"""The speakers list (issue 15 point 6): the moderator queues turns inside any step, each with
a duration (10 min for a talk, 3 for the floor by default); the current turn and its time go to
every clock screen in the clock's own snapshot, counted from the server's clock."""

import time

import pytest

from assembly.agenda import services
from assembly.agenda.domain import speakers as rules
from assembly.extensions import db


def command(sio, assembly, action, **args):
    return sio.emit(
        "speakers_command", {"assembly_id": assembly.id, "action": action, **args}, callback=True
    )


@pytest.fixture
def moderated(auth, make_assembly, socket_client):
    auth.login("moderator")
    assembly = make_assembly()
    sio = socket_client()
    assert sio.emit("join_clock", {"assembly_id": assembly.id}, callback=True)["ok"]
    sio.get_received()
    return assembly, sio


def test_default_kind_and_minutes_follow_the_step():
    assert rules.default_kind("talk", "momento") == "talk"
    assert rules.default_kind(None, "plenaria") == "spokesperson"
    assert rules.default_kind("needs", "mesas") == "floor"
    assert rules.clean_minutes(None, "talk") == 10
    assert rules.clean_minutes("", "floor") == 3
    assert rules.clean_minutes("2,5", "floor") == 2.5
    for bad in ("0", "61", "x", "nan"):
        assert rules.clean_minutes(bad, "floor") is None


def test_queue_give_the_floor_and_finish_reach_every_clock_screen(
    moderated, socket_client, make_assembly
):
    assembly, sio = moderated
    watcher = socket_client()
    watcher.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    watcher.get_received()

    ack = command(sio, assembly, "add", name="  Cooperativa  La Esperanza ", kind="talk")
    assert ack["ok"], ack
    queue = ack["state"]["speakers"]["queue"]
    assert [(t["name"], t["kind"], t["minutes"]) for t in queue] == [
        ("Cooperativa La Esperanza", "talk", 10)
    ]
    command(sio, assembly, "add", name="Pregunta del público", kind="floor")
    command(sio, assembly, "add", name="Otra persona", kind="floor", minutes="2")
    states = [e["args"][0] for e in watcher.get_received() if e["name"] == "clock_state"]
    assert len(states) == 3
    assert [t["name"] for t in states[-1]["speakers"]["queue"]] == [
        "Cooperativa La Esperanza",
        "Pregunta del público",
        "Otra persona",
    ]

    before = time.time()
    ack = command(sio, assembly, "next")
    current = ack["state"]["speakers"]["current"]
    assert current["name"] == "Cooperativa La Esperanza" and current["duration_s"] == 600
    assert before - 1 <= current["started_at"] <= time.time() + 1
    assert abs(ack["state"]["server_now"] - current["started_at"]) < 5  # one clock for both

    third = ack["state"]["speakers"]["queue"][1]
    ack = command(sio, assembly, "remove", speaker_id=third["id"])
    assert [t["name"] for t in ack["state"]["speakers"]["queue"]] == ["Pregunta del público"]
    ack = command(sio, assembly, "next")
    assert ack["state"]["speakers"]["current"]["name"] == "Pregunta del público"
    assert ack["state"]["speakers"]["done"] == 1
    ack = command(sio, assembly, "finish")
    assert ack["state"]["speakers"]["current"] is None
    assert ack["state"]["speakers"]["done"] == 2
    empty = command(sio, assembly, "next")
    assert empty["ok"] is False and "No hay nadie más" in empty["error"]

    # the join snapshot carries the list too (a reconnecting projector)
    again = watcher.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    assert again["state"]["speakers"]["done"] == 2


def test_bad_turns_are_refused_in_spanish_and_change_nothing(moderated):
    assembly, sio = moderated
    for args, field in (
        ({"name": "  "}, "name"),
        ({"name": "Ana", "kind": "sermon"}, "kind"),
        ({"name": "Ana", "minutes": "90"}, "minutes"),
    ):
        ack = command(sio, assembly, "add", **args)
        assert ack["ok"] is False and ack["code"] == "invalid" and field in ack["fields"], ack
    assert command(sio, assembly, "remove", speaker_id=999)["code"] == "not_found"
    assert command(sio, assembly, "dance")["code"] == "invalid"
    assert services.speakers_view(assembly.id)["queue"] == []


def test_the_default_kind_is_a_talk_during_moment_3(moderated):
    assembly, sio = moderated
    slots = services.load_agenda(assembly).slots
    position = next(i for i, s in enumerate(slots) if s.step_kind == "talk")
    services.control(None, assembly.id, "start", position=position)
    db.session.commit()
    ack = command(sio, assembly, "add", name="Asociación Río")
    turn = ack["state"]["speakers"]["queue"][0]
    assert (turn["kind"], turn["minutes"]) == ("talk", 10)


def test_only_the_moderation_runs_the_list(auth, make_assembly, socket_client):
    assembly = make_assembly()
    auth.login("facilitator")
    sio = socket_client()
    ack = command(sio, assembly, "add", name="Ana")
    assert ack["ok"] is False and ack["code"] == "forbidden"


def test_no_turns_after_closing(moderated):
    assembly, sio = moderated
    assembly.status = "closed"
    db.session.commit()
    ack = command(sio, assembly, "add", name="Ana")
    assert ack["ok"] is False and ack["code"] == "closed"
