"""The room reaches the vote (issue 15.3): the board's QR leads to /votar/<assembly>, the
phone identifies with its ticket, one vote per ticket, a phone voting with several tickets is
flagged (not blocked), and the ticket page shows the open vote (a board panel)."""

from datetime import datetime

import pytest
from flask_babel import refresh
from sqlalchemy import select

from assembly.board import services
from assembly.board.models import Vote
from assembly.extensions import db
from assembly.puzzle.models import Piece
from tests.support.board_seed import seed_pieces


@pytest.fixture
def room(make_assembly, make_attendee):
    assembly = make_assembly()
    seed_pieces(assembly, 3, per_group=1)
    people = [make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8)) for _ in range(3)]
    return {"assembly": assembly, "groups": services.board_groups(assembly.id), "people": people}


def test_the_projector_shows_a_vote_qr_and_the_vote_page_asks_for_the_ticket(room, auth, client):
    assembly = room["assembly"]
    auth.login("moderator")
    board = client.get(f"/assemblies/{assembly.id}/board").get_data(as_text=True)
    shown = board.replace("<wbr>", "")  # the address may break after each «/» on the projector
    assert "data-vote-qr" in board and f"/votar/{assembly.id}" in shown
    auth.logout()
    page = client.get(f"/votar/{assembly.id}")
    assert page.status_code == 200 and "Identifíquese con su tiquete" in page.get_data(as_text=True)
    wrong = client.post(f"/votar/{assembly.id}", data={"ticket": "no-existe"})
    assert wrong.status_code == 422 and "No encontramos ese tiquete" in wrong.get_data(as_text=True)
    assert 'value="no-existe"' in wrong.get_data(as_text=True)  # what was pasted stays to correct
    person = room["people"][0]
    pasted = client.post(
        f"/votar/{assembly.id}",
        data={"ticket": f"https://lan.example:8443/t/{person.ticket_token}"},
    )
    assert pasted.status_code == 302 and pasted.location.endswith(f"/t/{person.ticket_token}/votar")


def test_a_phone_that_opened_its_ticket_goes_straight_to_its_vote(room, client, make_assembly):
    assembly, person = room["assembly"], room["people"][1]
    assert client.get(f"/t/{person.ticket_token}").status_code == 200  # the badge's QR
    straight = client.get(f"/votar/{assembly.id}")
    assert straight.status_code == 302 and person.ticket_token in straight.location
    other = make_assembly()
    assert client.get(f"/votar/{other.id}").status_code == 200  # its cookie is per assembly


def test_the_ticket_page_shows_the_open_vote(room, client):
    assembly, group, person = room["assembly"], room["groups"][0], room["people"][0]
    before = client.get(f"/t/{person.ticket_token}").get_data(as_text=True)
    assert "Votación abierta en la plenaria" not in before
    services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    after = client.get(f"/t/{person.ticket_token}").get_data(as_text=True)
    assert "Votación abierta en la plenaria" in after and f"{person.ticket_token}/votar" in after


def test_one_phone_voting_with_several_tickets_is_flagged_not_blocked(room, client):
    assembly, group = room["assembly"], room["groups"][0]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    for person in room["people"][:2]:  # one phone, two tickets (the cookie stays)
        answer = client.post(
            f"/t/{person.ticket_token}/votar", data={"approval_id": approval.id, "choice": "for"}
        )
        assert answer.status_code == 302
    again = client.post(
        f"/t/{room['people'][0].ticket_token}/votar",
        data={"approval_id": approval.id, "choice": "against"},
    )
    assert again.status_code == 302
    votes = db.session.scalars(db.select(Vote).where(Vote.approval_id == approval.id)).all()
    assert len(votes) == 2  # one vote per ticket, changed, not added
    assert len({v.device for v in votes}) == 1 and votes[0].device
    assert services.json_approval(approval)["shared_devices"] == 1


def test_the_vote_page_says_the_rule_the_vote_is_decided_under(room, client, auth):
    """A short projector shows the vote without its rule's sentence: the phone says it, from
    the rule stored when the vote opened (3 people present), in the reader's language."""
    assembly, group, person = room["assembly"], room["groups"][0], room["people"][0]
    services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    page = client.get(f"/t/{person.ticket_token}/votar").get_data(as_text=True)
    assert "Regla: Quórum: más de la mitad de las 3 personas presentes (2); mayoría simple" in page
    # the headcount changes after the opening: the vote keeps the rule it opened with
    auth.login("moderator")
    services.set_headcount(None, assembly.id, "40", "Conteo en la sala")
    db.session.commit()
    again = client.get(f"/t/{person.ticket_token}/votar").get_data(as_text=True)
    assert "de las 3 personas presentes (2)" in again
    refresh()
    english = client.get(f"/t/{person.ticket_token}/votar?lang=en").get_data(as_text=True)
    assert "Rule:" in english and "Quórum" not in english


def test_the_vote_page_and_the_amend_page_speak_english(room, client, auth):
    """The vote's choices and a piece's kind are catalog labels (they showed «A favor» and
    «Necesidad» on English pages: the labels never went through the catalog)."""
    assembly, group, person = room["assembly"], room["groups"][0], room["people"][0]
    approval = services.open_vote(None, assembly.id, group.id)
    db.session.commit()
    refresh()  # the test's app context cached the locale the service used (Spanish)
    page = client.get(f"/t/{person.ticket_token}/votar?lang=en").get_data(as_text=True)
    assert all(word in page for word in ("For", "Against", "Abstain"))
    assert "A favor" not in page and "Abstención" not in page
    client.post(
        f"/t/{person.ticket_token}/votar?lang=en",
        data={"approval_id": approval.id, "choice": "abstain"},
    )
    voted = client.get(f"/t/{person.ticket_token}/votar?lang=en").get_data(as_text=True)
    assert "<strong>Abstain</strong>" in voted
    auth.login("moderator")
    refresh()
    piece = db.session.scalar(select(Piece).where(Piece.kind == "need"))
    amend = client.get(f"/assemblies/{assembly.id}/piezas/{piece.id}/enmendar?lang=en")
    assert amend.status_code == 200 and "Need" in amend.get_data(as_text=True)
    assert "Necesidad" not in amend.get_data(as_text=True)
