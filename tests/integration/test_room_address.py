"""Printed URLs on the room's address (issue 13.1): a laptop opened at 127.0.0.1 prints its LAN
address on tickets, the poster and the table cards; with no LAN address every staff page warns;
«Red de la sala» shows the address, a QR and the phones connected now."""

import time

import pytest

from assembly.core import network
from assembly.extensions import socketio
from tests.conftest import TEST_PASSWORD

LAN = "10.20.30.40"


@pytest.fixture
def open_assembly(make_assembly, db):
    assembly = make_assembly()
    assembly.status = "open"
    db.session.commit()
    return assembly


def log_in_at(client, make_user, base: str, role: str = "admin"):
    """Log in on ``base`` (the cookie belongs to the host the laptop's browser used)."""
    user = make_user(role)
    response = client.post(
        "/login", data={"username": user.username, "password": TEST_PASSWORD}, base_url=base
    )
    assert response.status_code == 302


@pytest.fixture
def lan(monkeypatch):
    monkeypatch.setattr(network, "lan_addresses", lambda: [LAN, "172.17.0.1"])


@pytest.fixture
def no_lan(monkeypatch):
    monkeypatch.setattr(network, "lan_addresses", lambda: [])


def test_pages_opened_on_loopback_print_the_lan_address(client, make_user, open_assembly, lan):
    base = "http://127.0.0.1:5000"
    log_in_at(client, make_user, base)
    page = client.get(f"/assemblies/{open_assembly.id}/poster", base_url=base).get_data(True)
    assert f"http://{LAN}:5000/inscripcion/{open_assembly.id}" in page
    assert "127.0.0.1" not in page and "data-room-warning" not in page


def test_a_phone_on_the_lan_gets_its_own_address_back(client, open_assembly, make_attendee, lan):
    attendee = make_attendee(open_assembly)
    page = client.get(f"/t/{attendee.ticket_token}", base_url="http://192.168.0.50:5000")
    assert page.status_code == 200
    # the ticket page's printable link is the address the phone used, which it can reach
    assert "127.0.0.1" not in page.get_data(as_text=True)


def test_only_loopback_every_staff_page_warns_and_says_where_to_look(
    client, make_user, open_assembly, no_lan
):
    log_in_at(client, make_user, "http://127.0.0.1:5000")
    for path in ("/assemblies/", f"/assemblies/{open_assembly.id}/poster"):
        page = client.get(path, base_url="http://127.0.0.1:5000").get_data(as_text=True)
        assert "data-room-warning" in page and "ningún teléfono podrá abrirlos" in page


def test_room_network_page_shows_address_qr_and_connected_phones(
    client, auth, socket_client, lan, monkeypatch
):
    # this test's own count: sockets of earlier tests in the same process do not show here
    monkeypatch.setattr(network, "presence", network.Presence())
    auth.login("moderator")  # on http://localhost/: loopback, so the LAN address is shown
    staff_socket = socket_client()
    assert staff_socket.is_connected()
    page = client.get("/assemblies/red").get_data(as_text=True)
    assert f"http://{LAN}/" in page and "<svg" in page
    assert "http://172.17.0.1/" in page  # the other addresses, to choose by hand
    assert "Equipo organizador: <strong>1</strong>" in page
    staff_socket.disconnect()
    # the disconnect handler may run as a background task (python-socketio's async handlers
    # once the suite has loaded gevent): wait for it, bounded
    deadline = time.monotonic() + 5
    while network.presence.counts() and time.monotonic() < deadline:
        socketio.sleep(0.01)
    page = client.get("/assemblies/red").get_data(as_text=True)
    assert "Equipo organizador" not in page and "Ningún teléfono ni pantalla" in page


def test_room_network_page_is_staff_only(client):
    assert client.get("/assemblies/red").status_code in (302, 401)


def test_staff_pages_warn_when_the_printouts_carry_an_address_the_laptop_lost(
    client, make_user, open_assembly, monkeypatch, db
):
    """Issue 13.1: cards, badges and the poster remember the room's address; when the laptop
    no longer has it, the assembly's staff pages say so until they are printed again."""
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.10"])
    base = "http://127.0.0.1:5000"
    log_in_at(client, make_user, base)
    show = f"/assemblies/{open_assembly.id}"
    for printout in (f"{show}/groups/cards", f"{show}/badges?all=1", f"{show}/poster"):
        assert client.get(printout, base_url=base).status_code == 200, printout
        db.session.expire_all()
        assert open_assembly.printed_url == "http://192.168.1.10:5000", printout
        assert "data-printed-elsewhere" not in client.get(show, base_url=base).get_data(True)

    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.23"])  # a new lease
    page = client.get(show, base_url=base).get_data(as_text=True)
    assert "data-printed-elsewhere" in page
    assert "llevan a http://192.168.1.10:5000" in page
    assert "(ahora: http://192.168.1.23:5000)" in page
    desk = client.get(f"{show}/desk?desk=Mesa+1", base_url=base).get_data(as_text=True)
    assert "data-printed-elsewhere" in desk
    other = client.get("/assemblies/", base_url=base).get_data(as_text=True)
    assert "data-printed-elsewhere" not in other  # only the assembly's own pages

    # printed again on the new address: the warning goes
    client.get(f"{show}/groups/cards", base_url=base)
    assert "data-printed-elsewhere" not in client.get(show, base_url=base).get_data(True)


def test_a_facilitators_reprinted_card_remembers_the_address_it_carries(
    client, make_user, open_assembly, monkeypatch, db
):
    """One sub-mesa's card, printed again by its facilitator after its code changed, carries
    the room's address like the organizers' cards: the warning then compares with it."""
    from assembly.grouping.models import Group, Table

    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.10"])
    base = "http://127.0.0.1:5000"
    group = db.session.scalars(
        db.select(Group).where(Group.assembly_id == open_assembly.id)
    ).first()
    table = Table(group_id=group.id, number=1, join_code="CARD15")
    db.session.add(table)
    db.session.commit()
    log_in_at(client, make_user, base, role="moderator")
    card = client.get(f"/assemblies/{open_assembly.id}/tables/{table.id}/card", base_url=base)
    assert card.status_code == 200 and "CARD15" in card.get_data(as_text=True)
    db.session.expire_all()
    assert open_assembly.printed_url == "http://192.168.1.10:5000"
