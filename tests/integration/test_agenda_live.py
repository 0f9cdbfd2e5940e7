"""The live clock over Socket.IO and HTTP: every control, resync, permissions, the action
log, agenda edits while running, the public JSON, the console and the projector's slides."""

import struct
import time
import zlib
from io import BytesIO

import pytest

from assembly.agenda import domain, services, slides
from assembly.agenda.domain import ClockState
from assembly.agenda.models import AgendaClock, ClockAction, Slide
from assembly.core import testclock
from assembly.extensions import db, socketio


def slot_index(assembly, title):
    agenda = services.load_agenda(assembly)
    return next(i for i, s in enumerate(agenda.slots) if (s.step_title or s.moment_title) == title)


def control(sio, assembly, action, **args):
    return sio.emit(
        "clock_control", {"assembly_id": assembly.id, "action": action, **args}, callback=True
    )


def clock_events(sio):
    return [e["args"][0] for e in sio.get_received() if e["name"] == "clock_state"]


@pytest.fixture
def moderated(auth, make_assembly, socket_client):
    """A moderator's socket following a fresh assembly's clock."""
    auth.login("moderator")
    assembly = make_assembly()
    sio = socket_client()
    ack = sio.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    assert ack["ok"] and ack["state"]["status"] == "idle"
    sio.get_received()
    return assembly, sio


def test_join_clock_answers_the_contract_snapshot(moderated):
    assembly, sio = moderated
    ack = sio.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    state = ack["state"]
    assert set(ClockState().to_dict()) <= set(state)
    assert state["assembly_id"] == assembly.id
    assert abs(state["server_now"] - time.time()) < 5
    assert state["moment"] is None and state["step"] is None and state["idle"] is True
    assert state["next"]["title"] == "Registro" and state["next"]["planned_text"] == "07:30"


def test_clock_time_gives_the_servers_time_on_the_socket(moderated, client, monkeypatch):
    """The screens measure their offset over their socket (static/js/shared/clock.js): the
    same answer as GET /api/time (a credential's socket: below)."""
    assembly, sio = moderated
    monkeypatch.setattr(testclock.time, "time", lambda: 1_715_369_100.5)
    ack = sio.emit("clock_time", {"assembly_id": assembly.id}, callback=True)
    assert ack == {"ok": True, "now": 1_715_369_100.5, "speed": 1.0}
    assert client.get("/api/time").get_json() == {"now": 1_715_369_100.5, "speed": 1.0}


def test_every_control_is_acknowledged_stored_and_broadcast(moderated, socket_client):
    assembly, sio = moderated
    watcher = socket_client()
    watcher.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    watcher.get_received()

    ack = control(sio, assembly, "start")
    assert ack["ok"] and ack["state"]["status"] == "running"
    assert ack["state"]["moment"] == {
        "id": assembly.moments[0].id,
        "title": "Registro",
        "kind": "registro",
    }
    assert ack["state"]["idle"] is True  # the projector shows its slideshow during registration
    [seen] = clock_events(watcher)
    assert seen["version"] == ack["state"]["version"] and seen["status"] == "running"

    assert control(sio, assembly, "pause")["state"]["status"] == "paused"
    assert control(sio, assembly, "resume")["state"]["status"] == "running"
    state = control(sio, assembly, "extend", minutes=5)["state"]
    assert state["extended_s"] == 300 and state["duration_s"] == (29 + 5) * 60
    state = control(sio, assembly, "extend", minutes="1,5")["state"]  # typed with a comma
    assert state["extended_s"] == 390
    state = control(sio, assembly, "next")["state"]
    assert state["position"] == 1 and state["moment"]["title"] == "Saludo e instalación"
    assert state["idle"] is False and state["extended_s"] == 0
    assert control(sio, assembly, "back")["state"]["position"] == 0
    needs = slot_index(assembly, "Necesidades")
    state = control(sio, assembly, "jump", position=needs)["state"]
    assert state["step"]["title"] == "Necesidades" and state["step"]["kind"] == "needs"
    assert state["moment"]["kind"] == "mesas"
    assert control(sio, assembly, "reset")["state"]["status"] == "idle"

    versions = [e["version"] for e in clock_events(watcher)]
    assert len(versions) == 8 and versions == sorted(versions)
    db.session.expire_all()
    stored = db.session.get(AgendaClock, assembly.id)
    assert stored.state["status"] == "idle"
    actions = db.session.query(ClockAction.action).order_by(ClockAction.id).all()
    assert [a for (a,) in actions] == [
        "start", "pause", "resume", "extend", "extend", "next", "back", "jump", "reset",
    ]  # fmt: skip


def test_impossible_commands_are_refused_in_spanish_and_change_nothing(moderated, socket_client):
    assembly, sio = moderated
    assert control(sio, assembly, "pause") == {
        "ok": False, "error": "Solo se puede pausar un momento en curso.",
        "code": "conflict", "retry": False, "fields": {},
    }  # fmt: skip
    assert control(sio, assembly, "next")["error"] == "La agenda aún no ha comenzado."
    assert control(sio, assembly, "fly")["error"] == "Acción del reloj desconocida."
    control(sio, assembly, "start")
    sio.get_received()
    assert control(sio, assembly, "extend", minutes="mucho")["error"] == (
        "La extensión debe ser un número de minutos."
    )
    assert control(sio, assembly, "extend", minutes=0)["error"] == (
        "La extensión debe ser de más de 0 minutos."
    )
    assert control(sio, assembly, "jump", position=999)["error"] == (
        "No existe ese momento o paso en la agenda."
    )
    assert control(sio, assembly, "start")["error"] == "La agenda ya está en marcha."
    assert sio.get_received() == []  # nothing broadcast
    assert db.session.query(ClockAction).count() == 1
    assert (
        sio.emit("clock_control", {"action": "start"}, callback=True)["error"]
        == "Falta la asamblea."
    )


def test_broadcast_stays_in_its_assembly(moderated, make_assembly, socket_client):
    assembly, sio = moderated
    other = make_assembly()
    watcher = socket_client()
    watcher.emit("join_clock", {"assembly_id": other.id}, callback=True)
    watcher.get_received()
    control(sio, assembly, "start")
    assert clock_events(watcher) == []


def test_a_screen_joining_mid_step_gets_the_right_remaining_time(
    moderated, socket_client, make_user
):
    assembly, _ = moderated
    moderator = make_user("moderator")
    # The step started 7 minutes ago and was paused for 1 of them.
    now = time.time()
    services.control(
        moderator, assembly.id, "jump", position=slot_index(assembly, "Necesidades"), now=now - 420
    )
    services.control(moderator, assembly.id, "pause", now=now - 120)
    services.control(moderator, assembly.id, "resume", now=now - 60)
    db.session.commit()

    late = socket_client()  # a phone reconnecting minutes later
    snapshot = late.emit("join_clock", {"assembly_id": assembly.id}, callback=True)["state"]
    state = ClockState.from_dict(snapshot)
    remaining = domain.remaining_s(state, snapshot["server_now"])
    assert remaining == pytest.approx(15 * 60 - 360, abs=2)
    # Same answer over the public JSON (no socket).
    body = late.flask_test_client.get(f"/api/assemblies/{assembly.id}/clock").get_json()
    assert domain.remaining_s(ClockState.from_dict(body), body["server_now"]) == pytest.approx(
        remaining, abs=2
    )
    assert body["step"]["title"] == "Necesidades"


def test_reconnect_resyncs_after_missed_broadcasts(moderated, socket_client):
    assembly, sio = moderated
    phone = socket_client()
    phone.emit("join_clock", {"assembly_id": assembly.id}, callback=True)
    phone.disconnect()
    control(sio, assembly, "start")
    control(sio, assembly, "extend", minutes=3)
    phone.connect()
    snapshot = phone.emit("join_clock", {"assembly_id": assembly.id}, callback=True)["state"]
    assert snapshot["status"] == "running" and snapshot["extended_s"] == 180
    control(sio, assembly, "pause")
    assert [e["status"] for e in clock_events(phone)] == ["paused"]


def test_only_run_clock_may_control_but_followers_may_join(
    app, auth, make_assembly, make_user, client
):
    from flask_socketio import SocketIOTestClient

    assembly = make_assembly()
    auth.login("facilitator")
    sio = SocketIOTestClient(app, socketio, flask_test_client=client)
    assert sio.emit("join_clock", {"assembly_id": assembly.id}, callback=True)["ok"]
    ack = control(sio, assembly, "start")
    assert ack == {
        "ok": False,
        "error": "Su cuenta no puede manejar el reloj.",
        "code": "forbidden",
        "retry": False,
        "fields": {},
    }
    sio.disconnect()
    assert db.session.get(AgendaClock, assembly.id) is None


def test_credential_sockets_follow_only_their_assembly(app, make_assembly):
    from assembly.auth.events import _CHECKERS, credential

    assembly, other = make_assembly(), make_assembly()

    @credential("test_table")
    def check(value):
        return {"assembly_id": assembly.id, "table_id": 1, "group_id": 1}

    try:
        phone = socketio.test_client(app, auth={"test_table": "X"})
        assert phone.emit("join_clock", {"assembly_id": assembly.id}, callback=True)["ok"]
        refused = phone.emit("join_clock", {"assembly_id": other.id}, callback=True)
        assert refused["error"] == "No puede seguir el reloj de esta asamblea."
        assert phone.emit("clock_time", {"assembly_id": assembly.id}, callback=True)["ok"]
        refused = phone.emit("clock_time", {"assembly_id": other.id}, callback=True)
        assert refused["error"] == "No puede seguir el reloj de esta asamblea."
        assert control(phone, assembly, "start")["error"] == "Su cuenta no puede manejar el reloj."
        phone.disconnect()
    finally:
        _CHECKERS.pop("test_table")


def test_action_log_survives_a_new_app_context(app, moderated):
    assembly, sio = moderated
    control(sio, assembly, "start")
    control(sio, assembly, "extend", minutes=2)
    assembly_id = assembly.id
    db.session.remove()
    with app.app_context():
        log = services.action_log(assembly_id)
        snapshot = services.clock_snapshot(assembly_id)
    assert [entry["label"] for entry in log] == ["Extendió 2 min", "Inició: Registro"]
    assert {entry["who"] for entry in log} == {"Persona moderator"}
    assert snapshot["status"] == "running" and snapshot["extended_s"] == 120


def test_editing_the_agenda_while_running_keeps_the_clock(moderated, client, socket_client):
    assembly, sio = moderated
    needs = slot_index(assembly, "Necesidades")
    started = control(sio, assembly, "jump", position=needs)["state"]
    control(sio, assembly, "extend", minutes=2)
    sio.get_received()
    moment4 = next(m for m in assembly.moments if m.kind == "mesas")
    step = moment4.steps[0]
    # An admin edits the agenda from another browser; the moderator's socket stays connected.
    from assembly.auth import services as auth_services
    from tests.conftest import TEST_PASSWORD

    auth_services.create_user(
        username="editor1", display_name="Editora", password=TEST_PASSWORD, role="admin"
    )
    db.session.commit()
    admin_client = client.application.test_client()

    def as_admin(url, **kwargs):
        # Its own app context: Flask-Login caches the user in ``g``, which the test's
        # context would otherwise share with the moderator's requests.
        with client.application.app_context():
            return admin_client.post(url, **kwargs)

    as_admin("/login", data={"username": "editor1", "password": TEST_PASSWORD})
    response = as_admin(
        f"/assemblies/{assembly.id}/steps/{step.id}/update",
        data={"title": "Necesidades del territorio", "minutes": "20", "kind": "needs"},
    )
    assert response.status_code == 302
    as_admin(f"/assemblies/{assembly.id}/moments/{moment4.id}/up")

    [after_rename, after_move] = clock_events(sio)
    assert after_rename["step"]["title"] == "Necesidades del territorio"
    assert (
        after_rename["duration_s"] == 20 * 60 + 120
        and after_rename["started_at"] == started["started_at"]
    )
    assert after_move["position"] == needs - 3  # Moment 3 and its 3 steps now follow
    assert after_move["key"] == started["key"]
    assert control(sio, assembly, "pause")["ok"]  # the console keeps working

    # Deleting the running step is refused and changes nothing.
    response = as_admin(f"/assemblies/{assembly.id}/steps/{step.id}/delete")
    with client.application.app_context():
        response = admin_client.get(response.headers["Location"])
    assert "No se puede quitar de la agenda el momento que está en curso." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(type(step), step.id) is not None
    assert services.clock_snapshot(assembly.id)["key"] == started["key"]


def test_open_piece_kinds_follow_the_current_step(moderated):
    assembly, sio = moderated
    assert services.open_piece_kinds(assembly.id) == set()
    for title, kinds in [
        ("Necesidades", {"need"}), ("Soluciones", {"solution"}),
        ("Plan de trabajo", {"plan"}), ("Vocería", set()), ("Experiencia 1", set()),
    ]:  # fmt: skip
        control(sio, assembly, "jump", position=slot_index(assembly, title))
        assert services.open_piece_kinds(assembly.id) == kinds, title
    control(sio, assembly, "jump", position=slot_index(assembly, "Soluciones"))
    control(sio, assembly, "pause")
    assert services.open_piece_kinds(assembly.id) == {"solution"}  # paused still counts
    assert services.open_piece_kinds(999) == set()


def test_schedule_shows_planned_actual_and_projected_in_local_time(moderated, make_user):
    assembly, _ = moderated
    moderator = make_user("moderator")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    bogota = ZoneInfo("America/Bogota")
    at = datetime(2026, 3, 14, 7, 42, tzinfo=bogota).timestamp()  # 12 minutes late
    services.control(moderator, assembly.id, "start", now=at)
    db.session.commit()
    result = services.schedule(assembly.id, now=at)
    first, second = result["rows"][:2]
    assert first["planned_text"] == "07:30–07:59" and first["status"] == "current"
    assert first["actual_text"] == "07:42"
    assert second["projected_text"] == "08:11–08:41" and second["shift_minutes"] == 11
    assert result["delay_text"] == "vamos 12 min tarde"


def test_the_action_log_speaks_the_page_language(app, moderated, client):
    """The console's log said «Inició» on an English page (the labels were plain Spanish;
    found by the English walk in the day's states)."""
    assembly, sio = moderated
    control(sio, assembly, "start")
    control(sio, assembly, "extend", minutes=2)
    log = client.get(f"/assemblies/{assembly.id}/console/data?lang=en").get_json()["log"]
    assert [entry["label"] for entry in log] == ["Extended 2 min", "Started: Registro"]


def test_console_and_projector_pages(auth, client, make_assembly):
    auth.login("moderator")
    assembly = make_assembly()
    page = client.get(f"/assemblies/{assembly.id}/console").get_data(as_text=True)
    assert "data-clock" in page and "Registro" in page and "Iniciar la agenda" in page
    data = client.get(f"/assemblies/{assembly.id}/console/data").get_json()
    assert data["ok"] and len(data["schedule"]["rows"]) == 16 and data["log"] == []
    page = client.get(f"/assemblies/{assembly.id}/projector").get_data(as_text=True)
    assert assembly.agreement_line in page and "data-checked-in" in page
    assert client.get("/api/assemblies/999/clock").status_code == 404
    show = client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)
    assert (
        f"/assemblies/{assembly.id}/console" in show and f"/assemblies/{assembly.id}/slides" in show
    )


def test_screen_links_are_hidden_without_run_clock(auth, client, make_assembly):
    auth.login("organizer")
    assembly = make_assembly()
    show = client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)
    assert "/console" not in show and "/projector" not in show


# --------------------------------------------------------------------------- slides


def png(size=(64, 36), color=(200, 0, 0)) -> bytes:
    """A real PNG image, written by hand (Pillow is not a dependency)."""
    width, height = size
    raw = b"".join(b"\x00" + bytes(color) * width for _ in range(height))

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def slides_dir(app, tmp_path, monkeypatch):
    """Uploaded images go to a temporary folder, never the real instance folder."""
    monkeypatch.setitem(app.config, "SLIDES_DIR", str(tmp_path / "slides"))
    return tmp_path / "slides"


def upload(client, assembly, *files):
    data = {"images": [(BytesIO(content), name) for name, content in files]}
    return client.post(
        f"/assemblies/{assembly.id}/slides", data=data, content_type="multipart/form-data"
    )


def test_slides_upload_reorder_serve_and_delete(app, auth, client, make_assembly, slides_dir):
    auth.login("moderator")
    assembly = make_assembly()
    response = upload(
        client, assembly, ("campaña.png", png()), ("foto.png", png(color=(0, 0, 200)))
    )
    assert response.status_code == 302
    first, second = slides.list_slides(assembly.id)
    assert (first.original_name, second.original_name) == ("campaña.png", "foto.png")
    assert slides.slide_path(first).exists() and slides_dir in slides.slide_path(first).parents
    image = client.get(f"/assemblies/{assembly.id}/slides/{first.id}/image")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == png()
    image.close()

    client.post(f"/assemblies/{assembly.id}/slides/{second.id}/up")
    db.session.expire_all()
    assert [s.original_name for s in slides.list_slides(assembly.id)] == ["foto.png", "campaña.png"]
    page = client.get(f"/assemblies/{assembly.id}/projector").get_data(as_text=True)
    assert page.index(f"/slides/{second.id}/image") < page.index(f"/slides/{first.id}/image")

    path = slides.slide_path(first)
    client.post(f"/assemblies/{assembly.id}/slides/{first.id}/delete")
    db.session.expire_all()
    assert not path.exists()
    assert [s.id for s in slides.list_slides(assembly.id)] == [second.id]
    assert slides.list_slides(assembly.id)[0].position == 1


def test_bad_uploads_are_explained_and_store_nothing(auth, client, make_assembly, monkeypatch):
    auth.login("admin")
    assembly = make_assembly()
    response = upload(client, assembly, ("ok.png", png()), ("virus.png", b"MZ not an image"))
    assert response.status_code == 422
    assert "«virus.png» no es una imagen JPG, PNG, WebP o GIF." in response.get_data(as_text=True)
    assert db.session.query(Slide).count() == 0
    monkeypatch.setattr(slides, "MAX_SLIDE_BYTES", 100)
    response = upload(client, assembly, ("grande.png", png((400, 400))))
    assert response.status_code == 422 and "«grande.png» pesa" in response.get_data(as_text=True)
    response = client.post(
        f"/assemblies/{assembly.id}/slides", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "Elija al menos una imagen." in response.get_data(
        as_text=True
    )
    assert db.session.query(Slide).count() == 0


def test_two_moderators_at_once_cannot_both_win(moderated, make_user):
    from sqlalchemy import update

    from assembly.errors import Conflict

    assembly, sio = moderated
    control(sio, assembly, "start")
    moderator = make_user("moderator")
    record = db.session.get(AgendaClock, assembly.id)
    assert record is not None
    # Another process stores a newer clock after this session read it.
    db.session.execute(
        update(AgendaClock)
        .where(AgendaClock.assembly_id == assembly.id)
        .values(row_version=AgendaClock.row_version + 1),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(Conflict, match="Otra persona cambió el reloj"):
        services.control(moderator, assembly.id, "next")
    db.session.rollback()


def test_a_running_moment_that_gets_steps_goes_on_as_its_first_step(moderated, make_user):
    assembly, sio = moderated
    started = control(sio, assembly, "jump", position=slot_index(assembly, "Receso"))["state"]
    moment = next(m for m in assembly.moments if m.title == "Receso")
    admin = make_user("admin")
    from assembly.assemblies import program as agenda_editor

    new_step = agenda_editor.add_step(
        admin, assembly.id, moment.id, {"title": "Pausa activa", "minutes": "10", "kind": "other"}
    )
    after = services.reanchor_after_edit(admin, assembly.id)
    db.session.commit()
    assert after.key == f"m{moment.id}.s{new_step.id}"
    assert after.started_at == started["started_at"]
    assert after.duration_s == 600
    assert services.clock_snapshot(assembly.id)["step"]["title"] == "Pausa activa"


def test_the_projector_hears_every_check_in(
    app, auth, make_assembly, make_attendee, socket_client, monkeypatch
):
    from assembly.desk.broadcasts import schedule_desk_counters

    monkeypatch.setitem(app.config, "DESK_COUNTERS_DELAY_MS", 0)  # broadcast at once

    auth.login("moderator")
    assembly = make_assembly()
    make_attendee(assembly)
    projector = socket_client()
    ack = projector.emit("join_projector", {"assembly_id": assembly.id}, callback=True)
    assert ack["state"] == {"assembly_id": assembly.id, "registered": 1, "checked_in": 0}
    projector.get_received()
    schedule_desk_counters(assembly.id)
    [event] = [e for e in projector.get_received() if e["name"] == "desk_counters"]
    assert event["args"][0]["registered"] == 1 and event["args"][0]["assembly_id"] == assembly.id


def test_only_run_clock_opens_the_projector_room(auth, make_assembly, socket_client):
    auth.login("organizer")
    assembly = make_assembly()
    ack = socket_client().emit("join_projector", {"assembly_id": assembly.id}, callback=True)
    assert ack["error"] == "Su cuenta no puede abrir el proyector."
