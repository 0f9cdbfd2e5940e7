"""Table codes can be rotated (issue 15 point 8): a new code for one table; phones on the old
one are told «el código cambió, pida el nuevo» (code ``code_changed``), are not counted as
guessers, and write again once they enter with the new code."""

import uuid

import pytest
from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.extensions import socketio
from assembly.grouping import codes
from assembly.grouping.models import Group, RetiredCode, Table
from assembly.puzzle.models import Piece
from tests.conftest import TEST_LAN_ADDRESS
from tests.support.qr_read import decode_png

OLD = "RTAB22"


@pytest.fixture
def room(make_assembly, make_attendee, make_user):
    assembly = make_assembly()
    groups = _db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    table = Table(group_id=groups[0].id, number=1, join_code=OLD, capacity=20)
    _db.session.add(table)
    _db.session.commit()
    make_attendee(assembly, group_id=table.group_id, table_id=table.id)
    facilitator = make_user("facilitator")
    groups[0].facilitator_id = facilitator.id
    _db.session.commit()
    return {"assembly": assembly, "groups": groups, "table": table, "facilitator": facilitator}


@pytest.fixture
def needs_open(monkeypatch):
    monkeypatch.setattr("assembly.agenda.services.open_piece_kinds", lambda assembly_id: {"need"})
    monkeypatch.setattr("assembly.agenda.services.piece_window", lambda a_id: ({"need"}, False))


def need(text="Falta crédito blando"):
    return {"id": str(uuid.uuid4()), "kind": "need", "text": text}


def _table(room):
    _db.session.expire_all()
    return _db.session.get(Table, room["table"].id)


def test_the_facilitator_rotates_and_old_phones_are_told_and_refused(
    room, socket_client, auth, needs_open, app
):
    phone = socket_client(auth={"table_code": OLD})
    assert phone.emit("join_table", {}, callback=True)["ok"]
    phone.get_received()
    auth.login(room["facilitator"])
    staff = socket_client()
    joined = staff.emit("facilitate_group", {"group_id": room["groups"][0].id}, callback=True)
    assert joined["state"]["tables"][0]["join_code"] == OLD
    staff.get_received()

    ack = staff.emit("rotate_table_code", {"table_id": room["table"].id}, callback=True)
    assert ack["ok"] is True, ack
    new = ack["join_code"]
    assert new != OLD and _table(room).join_code == new
    assert codes.normalize(new) == new
    assert _db.session.get(RetiredCode, OLD).table_id == room["table"].id

    told = phone.get_received()
    assert [e["name"] for e in told] == ["code_changed"]
    assert new not in str(told)  # the old code's holders never learn the new one
    rotated = [e["args"][0] for e in staff.get_received() if e["name"] == "table_code_rotated"]
    assert [(r["table_id"], r["join_code"]) for r in rotated] == [(room["table"].id, new)]

    # the connected phone on the old code can no longer write (its identity remembers it)
    refused = phone.emit("submit_piece", need(), callback=True)
    assert (refused["ok"], refused["code"], refused["retry"]) == (False, "code_changed", False)
    assert "pida el nuevo" in refused["error"]
    assert _db.session.scalar(select(Piece)) is None

    # a new connection with the old code is refused with the reason, not as a wrong guess
    again = socketio.test_client(app, flask_test_client=app.test_client(), auth={"table_code": OLD})
    assert not again.is_connected()
    fresh = socketio.test_client(
        app, flask_test_client=app.test_client(), auth={"table_code": new.lower()}
    )
    assert fresh.emit("join_table", {}, callback=True)["ok"]
    assert fresh.emit("submit_piece", need(), callback=True)["ok"]


def test_old_codes_refusals_are_not_counted_as_guesses(room, socket_client, app, monkeypatch):
    from assembly.auth import throttle

    counted = []
    monkeypatch.setattr(throttle, "failed", lambda kind, value: counted.append(value))
    from assembly.grouping import services as grouping
    from assembly.helpers import utcnow

    grouping.rotate_join_code(None, room["assembly"].id, room["table"].id, utcnow())
    _db.session.commit()
    for _ in range(3):
        assert not socket_client(auth={"table_code": OLD}).is_connected()
    assert counted == []
    assert not socket_client(auth={"table_code": "ZZZZ99"}).is_connected()
    assert counted == ["ZZZZ99"]


def test_the_old_codes_page_says_the_code_changed(room, client):
    from assembly.grouping import services as grouping
    from assembly.helpers import utcnow

    grouping.rotate_join_code(None, room["assembly"].id, room["table"].id, utcnow())
    _db.session.commit()
    page = client.get(f"/mesa/{OLD}")
    assert page.status_code == 410
    body = page.get_data(as_text=True)
    assert "ya no abre la mesa: la facilitación lo cambió" in body
    assert client.get(f"/mesa?code={OLD.lower()}").status_code == 410
    assert client.get(f"/mesa/{_table(room).join_code}").status_code == 200


def test_an_organizer_rotates_from_the_groups_screen_and_gets_the_card(room, client, auth):
    auth.login("organizer")
    url = f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/code"
    response = client.post(url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/assemblies/{room['assembly'].id}/groups/cards?table={room['table'].id}"
    )
    new = _table(room).join_code
    assert new != OLD
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert new in card and card.count('class="join-card"') == 1
    flashed = client.get(f"/assemblies/{room['assembly'].id}/groups").get_data(as_text=True)
    assert new in flashed


def test_only_the_mesas_facilitator_or_organizers_rotate(
    room, socket_client, auth, make_user, client
):
    stranger = make_user("facilitator")
    auth.login(stranger)
    staff = socket_client()
    ack = staff.emit("rotate_table_code", {"table_id": room["table"].id}, callback=True)
    assert ack["ok"] is False and ack["code"] == "forbidden"
    assert (
        client.post(f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/code").status_code
        == 403
    )
    card = client.get(f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/card")
    assert card.status_code == 403
    assert _table(room).join_code == OLD


def test_the_facilitator_prints_the_new_card(room, client, auth):
    auth.login(room["facilitator"])
    base = f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}"
    page = client.get(f"{base}/card")
    assert page.status_code == 200 and OLD in page.get_data(as_text=True)
    qr = client.get(f"{base}/card-qr.png")
    assert qr.status_code == 200 and qr.mimetype == "image/png"
    assert qr.headers["Cache-Control"] == "private, no-store"  # the code may rotate again
    auth.logout()
    auth.login("organizer")  # the organizers' join cards: the same QR of the same address
    organizers = client.get(f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/qr.png")
    assert organizers.status_code == 200 and organizers.get_data() == qr.get_data()
    assert organizers.headers["Cache-Control"] == "private, no-store"
    assert decode_png(qr.get_data()).text == f"http://{TEST_LAN_ADDRESS}/mesa/{OLD}"
    # rotated: the card's QR is the new code's (the image kept for the old one is never served)
    client.post(f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/code")
    new = _table(room).join_code
    assert new != OLD
    after = client.get(f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/qr.png")
    assert decode_png(after.get_data()).text == f"http://{TEST_LAN_ADDRESS}/mesa/{new}"


def test_a_new_code_never_reuses_a_retired_one(room, monkeypatch):
    values = iter([OLD, OLD, "NUEV44"])
    from assembly.grouping import services as grouping
    from assembly.helpers import utcnow

    grouping.rotate_join_code(None, room["assembly"].id, room["table"].id, utcnow())
    _db.session.commit()
    monkeypatch.setattr(codes, "random_code", lambda: next(values))
    assert codes.new_join_code() == "NUEV44"
    assert OLD in codes.taken_codes()


def test_no_rotation_after_closing(room, client, auth):
    room["assembly"].status = "closed"
    _db.session.commit()
    auth.login("organizer")
    page = client.post(
        f"/assemblies/{room['assembly'].id}/tables/{room['table'].id}/code", follow_redirects=True
    ).get_data(as_text=True)
    assert "cerrada" in page
    assert _table(room).join_code == OLD
