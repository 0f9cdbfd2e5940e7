"""A plenary decision that stands (issue 15.1/15.2): the rules per assembly, the people present
stored with each vote, "sin quórum", tallies checked against the room, logged corrections."""

import secrets
from datetime import datetime

import pytest
from flask_babel import refresh
from sqlalchemy import select

from assembly.assemblies import services as assemblies
from assembly.board import services
from assembly.board.models import Approval
from assembly.errors import InvalidInput
from assembly.extensions import db
from assembly.registration.models import Attendee
from assembly.reports.domain import approval_parts
from tests.support.board_seed import seed_pieces


def crowd(assembly, n, *, checked_in=True):
    """n attendees in one commit (make_attendee commits each one)."""
    people = [
        Attendee(
            assembly_id=assembly.id,
            ticket_token=secrets.token_urlsafe(24),
            document_type="CC",
            document_number=str(50_000_000 + i),
            first_names=f"Votante{i}",
            last_names="De Prueba",
            name_key=f"votante{i} de prueba",
            sex="mujer",
            ethnicity="ninguno",
            department_code="81",
            municipality_code="81001",
            consent_data=True,
            checked_in_at=datetime(2026, 3, 14, 8) if checked_in else None,
        )
        for i in range(n)
    ]
    db.session.add_all(people)
    db.session.commit()
    return people


@pytest.fixture
def hall(make_assembly):
    assembly = make_assembly()
    seed_pieces(assembly, 3, per_group=1)
    people = crowd(assembly, 280)
    return {"assembly": assembly, "groups": services.board_groups(assembly.id), "people": people}


def test_four_of_280_present_cannot_approve_by_phone(hall):
    assembly, group = hall["assembly"], hall["groups"][0]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    assert approval.present_open == 280 and approval.rule["quorum_needed"] == 141
    sentence = services.approval_rule_text(services.approval_dict(approval))
    assert "más de la mitad de las 280 personas presentes (141)" in sentence
    for person in hall["people"][:4]:
        services.cast_vote(person.ticket_token, approval.id, "for")
    db.session.commit()
    services.close_vote(None, assembly.id, group.id)
    db.session.commit()
    assert (approval.outcome, approval.approved, approval.present_close) == (
        "no_quorum",
        False,
        280,
    )
    assert not services.is_frozen(group.id)  # the mesa's agenda is still open to a new vote
    result = services.approval_results(assembly.id)[group.id]
    assert (result["outcome"], result["for"], result["cast"]) == ("no_quorum", 4, 4)


def test_a_vote_without_quorum_reads_sin_quorum_on_the_agenda_and_its_workbook(hall, auth, client):
    """The printed agenda and the agenda workbook say what the acta says: «Sin quórum», not a
    plain «No aprobada» (the room never reached the count that decides)."""
    assembly, group = hall["assembly"], hall["groups"][0]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    services.cast_vote(hall["people"][0].ticket_token, approval.id, "for")
    services.close_vote(None, assembly.id, group.id)
    db.session.commit()
    result = services.approval_results(assembly.id)[group.id]
    assert approval_parts(result)[:2] == ["Sin quórum", "Votación por teléfono"]
    auth.login("supervisor")
    refresh()
    page = client.get(f"/assemblies/{assembly.id}/agenda-consolidada?lang=es").get_data(
        as_text=True
    )
    assert "<strong>Sin quórum</strong>" in page and "No aprobada" not in page
    refresh()
    english = client.get(f"/assemblies/{assembly.id}/agenda-consolidada?lang=en").get_data(
        as_text=True
    )
    assert "<strong>No quorum</strong>" in english


def test_a_phone_vote_with_quorum_decides_by_the_majority_stored_when_it_opened(hall, auth):
    assembly, group = hall["assembly"], hall["groups"][1]
    services.set_rules(None, assembly.id, {"quorum_kind": "share", "quorum_value": "50",
                                           "majority": "two_thirds"})  # fmt: skip
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    services.set_rules(None, assembly.id, {"majority": "simple"})  # too late for this vote
    db.session.commit()
    for i, person in enumerate(hall["people"][:150]):
        services.cast_vote(person.ticket_token, approval.id, "for" if i < 99 else "against")
    db.session.commit()
    services.close_vote(None, assembly.id, group.id)
    db.session.commit()
    assert approval.rule["majority"] == "two_thirds"
    assert approval.outcome == "rejected"  # 99 of 150 is less than two thirds


def test_hands_cannot_exceed_the_room_and_nothing_changes(hall, auth, socket_client):
    assembly, group = hall["assembly"], hall["groups"][0]
    auth.login("moderator")
    moderator = socket_client()
    command = {"assembly_id": assembly.id, "group_id": group.id, "action": "hands"}
    ack = moderator.emit("approval_command", {**command, "for": 900, "against": 0}, callback=True)
    assert ack["ok"] is False and ack["code"] == "invalid"
    assert "suma 900 votos y solo hay 280 personas presentes" in ack["error"]
    mismatch = {**command, "for": 150, "against": 10, "abstain": 0, "total": 200}
    ack = moderator.emit("approval_command", mismatch, callback=True)
    assert ack["ok"] is False and "no los 200 contados" in ack["fields"]["total"]
    assert db.session.scalar(select(Approval)) is None
    few = moderator.emit("approval_command", {**command, "for": 4}, callback=True)
    assert few["ok"] and few["approval"]["outcome"] == "no_quorum"  # hands: the declared count
    assert few["approval"]["present_open"] == 280


def test_a_corrected_tally_is_logged_with_who_corrected_it(hall, make_user):
    assembly, group = hall["assembly"], hall["groups"][0]
    moderator = make_user("moderator")
    services.record_hands(moderator, assembly.id, group.id, {"for": 70, "against": 80})
    db.session.commit()
    with pytest.raises(InvalidInput, match="por qué corrige"):
        services.correct_hands(moderator, assembly.id, group.id, {"for": 140, "against": 20})
    with pytest.raises(InvalidInput, match="solo hay 280"):
        services.correct_hands(
            moderator, assembly.id, group.id, {"for": 400, "reason": "Mal contado"}
        )
    approval = services.correct_hands(
        moderator, assembly.id, group.id, {"for": 160, "against": 20, "reason": "Mal contado"}
    )
    db.session.commit()
    assert (approval.votes_for, approval.outcome) == (160, "approved")
    (log,) = [i for i in assemblies.incidents(assembly.id) if i.kind == "correction"]
    assert log.user_id == moderator.id and log.reason == "Mal contado"
    assert log.detail["before"] == {"for": 70, "against": 80, "abstain": 0, "outcome": "rejected"}


def test_the_headcount_override_needs_a_reason_and_is_logged(hall, make_user):
    assembly = hall["assembly"]
    with pytest.raises(InvalidInput, match="por qué corrige las personas presentes"):
        services.set_headcount(None, assembly.id, "250", "")
    for bad in ("-3", "muchos", "0"):
        with pytest.raises(InvalidInput):
            services.set_headcount(None, assembly.id, bad, "Conteo")
    moderator = make_user("moderator")
    view = services.set_headcount(moderator, assembly.id, "250", "30 salieron al almuerzo")
    db.session.commit()
    assert (view["present"], view["checked_in"], view["quorum_needed"]) == (250, 280, 126)
    back = services.set_headcount(moderator, assembly.id, "", "")
    assert back["present"] == 280
    logs = [i for i in assemblies.incidents(assembly.id) if i.kind == "headcount"]
    assert [(i.detail["before"], i.detail["after"]) for i in logs] == [(None, 250), (250, None)]


def test_a_checked_out_person_is_not_present_and_cannot_vote(hall):
    assembly, group = hall["assembly"], hall["groups"][0]
    gone = hall["people"][0]
    gone.checked_out_at = datetime(2026, 3, 14, 12)
    db.session.commit()
    assert services.present_count(assembly.id) == 279
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    with pytest.raises(Exception, match="salida quedó registrada"):
        services.cast_vote(gone.ticket_token, approval.id, "for")


def test_results_can_hide_until_the_vote_closes(hall):
    assembly, group = hall["assembly"], hall["groups"][0]
    services.set_rules(None, assembly.id, {"hide_results": "on"})
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    for person in hall["people"][:3]:
        services.cast_vote(person.ticket_token, approval.id, "against")
    db.session.commit()
    live = services.board_snapshot(assembly.id)["approvals"][str(group.id)]
    assert (live["for"], live["against"], live["cast"], live["hidden"]) == (None, None, 3, True)
    services.close_vote(None, assembly.id, group.id)
    db.session.commit()
    after = services.board_snapshot(assembly.id)["approvals"][str(group.id)]
    assert (after["against"], after["hidden"], after["outcome"]) == (3, False, "no_quorum")
