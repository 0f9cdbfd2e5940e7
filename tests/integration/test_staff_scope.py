"""Staff roles apply per assembly: an organiser of one assembly cannot open another's people,
reports or sockets; sessions end on log-out, password change, deactivation and timeouts."""

import time

import pytest

from assembly import config as config_module
from assembly.extensions import socketio
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def two(make_assembly, make_attendee):
    here, there = make_assembly(), make_assembly()
    make_attendee(here, first_names="Aquí")
    make_attendee(there, first_names="Allá", document_number="99887766")
    return here, there


def _login(app, user):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def test_an_organiser_of_one_assembly_cannot_open_another(app, two, make_user):
    here, there = two
    organiser = make_user("organizer", assembly_ids=[here.id])
    client = _login(app, organiser)
    assert client.get(f"/assemblies/{here.id}/attendees").status_code == 200
    refused = client.get(f"/assemblies/{there.id}/attendees")
    assert refused.status_code == 403 and "99887766" not in refused.get_data(as_text=True)
    assert "no trabaja en esta asamblea" in refused.get_data(as_text=True)
    page = client.get("/assemblies/").get_data(as_text=True)
    assert here.name in page and there.name not in page
    # a write too: nothing changes in the other assembly
    assert client.post(f"/assemblies/{there.id}/attendees/new", data={}).status_code == 403


def test_a_supervisor_of_one_region_reports_only_on_it(app, two, make_user):
    here, there = two
    supervisor = make_user("supervisor", assembly_ids=[here.id])
    client = _login(app, supervisor)
    page = client.get("/reports").get_data(as_text=True)
    assert here.name in page and there.name not in page
    refused = client.post(
        "/reports/export",
        data={
            "report": "asistencia",
            "assembly_ids": [here.id, there.id],
            "variant": "seudonimizada",
        },
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
    national = make_user("supervisor")  # all assemblies (the fixture's default)
    assert national.all_assemblies
    both = _login(app, national).get("/reports").get_data(as_text=True)
    assert here.name in both and there.name in both


def test_staff_sockets_are_held_to_their_assemblies(app, two, make_user):
    here, there = two
    moderator = make_user("moderator", assembly_ids=[there.id])
    sio = socketio.test_client(app, flask_test_client=_login(app, moderator))
    try:
        for name in ("join_assembly", "join_clock", "join_board", "join_projector"):
            ack = sio.emit(name, {"assembly_id": here.id}, callback=True)
            assert ack["ok"] is False and ack["code"] == "forbidden", (name, ack)
            assert sio.emit(name, {"assembly_id": there.id}, callback=True)["ok"], name
        ack = sio.emit("clock_control", {"assembly_id": here.id, "action": "start"}, callback=True)
        assert ack["code"] == "forbidden"
    finally:
        sio.disconnect()


def test_the_admin_grants_an_assembly_on_its_staff_page(app, two, make_user, auth, client):
    here, there = two
    organiser = make_user("organizer", assembly_ids=[here.id])
    auth.login("admin")
    page = client.get(f"/assemblies/{there.id}/staff").get_data(as_text=True)
    assert organiser.username in page
    response = client.post(f"/assemblies/{there.id}/staff", data={"user_ids": [organiser.id]})
    assert response.status_code == 302
    other = _login(app, organiser)
    assert other.get(f"/assemblies/{there.id}/attendees").status_code == 200
    # taken away again: the organiser's open session ends (its scope narrowed)
    client.post(f"/assemblies/{there.id}/staff", data={})
    assert other.get(f"/assemblies/{here.id}/attendees").status_code == 302
    assert _login(app, organiser).get(f"/assemblies/{there.id}/attendees").status_code == 403


def test_only_admins_manage_an_assemblys_staff(app, two, make_user):
    here, _ = two
    organiser = make_user("organizer", assembly_ids=[here.id])
    assert _login(app, organiser).get(f"/assemblies/{here.id}/staff").status_code == 403


# --- sessions -----------------------------------------------------------------------------------


def test_logging_out_ends_every_session_of_the_account(app, make_user):
    user = make_user("organizer")
    laptop, phone = _login(app, user), _login(app, user)
    assert phone.get("/assemblies/").status_code == 200
    laptop.post("/logout")
    assert phone.get("/assemblies/").status_code == 302  # the lost phone is logged out too
    assert _login(app, user).get("/assemblies/").status_code == 200


def test_a_password_change_or_deactivation_ends_the_accounts_sessions(app, make_user, auth, client):
    user = make_user("organizer")
    theirs = _login(app, user)
    auth.login("admin")
    form = {
        "display_name": user.display_name,
        "role": "organizer",
        "active": "y",
        "all_assemblies": "y",
    }
    client.post(f"/admin/users/{user.id}", data={**form, "password": "otra-clave-larga-9"})
    assert theirs.get("/assemblies/").status_code == 302
    theirs.post("/login", data={"username": user.username, "password": "otra-clave-larga-9"})
    assert theirs.get("/assemblies/").status_code == 200
    client.post(f"/admin/users/{user.id}", data={**form, "active": ""})
    assert theirs.get("/assemblies/").status_code == 302
    assert client.get("/admin/users").status_code == 200  # the admin's own session goes on


def test_an_admin_changing_their_own_password_stays_logged_in_here(make_user, auth, client):
    admin = auth.login("admin")
    form = {"display_name": "Yo", "role": "admin", "active": "y", "password": "mi-clave-nueva-77"}
    assert client.post(f"/admin/users/{admin.id}", data=form).status_code == 302
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize(
    "stamp, hours",
    [("seen_at", 4.1), ("login_at", 14.1)],
    ids=["idle over 4 h", "more than 14 h since the log-in"],
)
def test_sessions_time_out(app, make_user, stamp, hours):
    client = _login(app, make_user("organizer"))
    assert client.get("/assemblies/").status_code == 200
    with client.session_transaction() as session:
        session[stamp] = int(time.time() - hours * 3600)
        if stamp == "login_at":
            session["seen_at"] = int(time.time())
    assert client.get("/assemblies/").status_code == 302


def test_an_active_session_within_the_limits_goes_on(app, make_user):
    client = _login(app, make_user("organizer"))
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time() - 3.9 * 3600)
        session["login_at"] = int(time.time() - 13 * 3600)
    assert client.get("/assemblies/").status_code == 200


def test_https_public_url_turns_secure_cookies_on():
    base = {key: default for key, (default, _doc) in config_module.DEFAULTS.items()}
    base["DATABASE_URL"] = "sqlite://"
    assert config_module.flask_settings(base)["SESSION_COOKIE_SECURE"] is False
    https = config_module.flask_settings({**base, "PUBLIC_URL": "https://asamblea.example"})
    assert https["SESSION_COOKIE_SECURE"] is True
    assert https["SESSION_COOKIE_HTTPONLY"] is True and https["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_an_open_staff_socket_stops_working_once_the_account_logs_out(app, two, make_user):
    here, _ = two
    user = make_user("organizer")
    laptop = _login(app, user)
    sio = socketio.test_client(app, flask_test_client=laptop)
    try:
        assert sio.emit("join_assembly", {"assembly_id": here.id}, callback=True)["ok"]
        _login(app, user).post("/logout")  # from another browser: every session ends
        ack = sio.emit("join_desk", {"assembly_id": here.id}, callback=True)
        assert ack["ok"] is False and ack["code"] == "forbidden"
    finally:
        sio.disconnect()
