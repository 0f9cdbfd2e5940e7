"""The table leaders' phone page in Chromium: live, offline-proof, phone-sized."""

import collections
import re
import threading
import uuid

import pytest
import socketio
from sqlalchemy import select

from assembly.agenda import services as agenda
from assembly.assemblies import periods
from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.conftest import TEST_PASSWORD
from tests.support import socket_events
from tests.support.live_server import Browserless

SMALL_PHONE = {"width": 360, "height": 740}
OFFLINE = "Sin conexión: lo que escriba se guarda en este teléfono y se enviará al volver la señal"


def _go_to_step(assembly, admin, step_kind):
    """Move the real agenda clock to the step of ``step_kind`` (what the moderator does)."""
    slots = agenda.load_agenda(assembly).slots
    position = next(i for i, slot in enumerate(slots) if slot.step_kind == step_kind)
    agenda.control(admin, assembly.id, "jump" if _clock_running(assembly) else "start",
                   position=position)  # fmt: skip
    _db.session.commit()


def _clock_running(assembly):
    return agenda.clock_snapshot(assembly.id)["status"] in ("running", "paused")


@pytest.fixture
def room(make_assembly, make_attendee, make_user):
    assembly = make_assembly(name="Asamblea PIT Arauca")
    group = _db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).first()
    table = Table(group_id=group.id, number=3, join_code="MESA37", capacity=20)
    _db.session.add(table)
    _db.session.commit()
    people = [make_attendee(assembly, group_id=group.id, table_id=table.id) for _ in range(4)]
    admin = make_user("admin")
    return {"assembly": assembly, "group": group, "table": table, "people": people, "admin": admin}


def _staff_socket(live_server, user):
    """A python-socketio client logged in as ``user`` (the moderator's console, in short)."""
    browserless = Browserless(live_server.url)
    browserless.login(user.username, TEST_PASSWORD)
    client = socketio.Client(reconnection=False)
    client.connect(
        live_server.url, headers={"Cookie": browserless.cookie_header()}, transports=["websocket"]
    )
    return client


class BoardListener:
    """A read-only board socket (the ``board`` credential) counting every piece_saved."""

    def __init__(self, url, assembly_id, board_token):
        self.saved = collections.Counter()
        self.texts = {}
        self.arrived = threading.Event()
        self.client = socketio.Client(reconnection=False)
        socket_events.on(self.client, "piece_saved", self._on_saved)
        self.client.connect(url, auth={"board": board_token}, transports=["websocket"])
        assert self.client.call("join_board", {"assembly_id": assembly_id}, timeout=10)["ok"]

    def _on_saved(self, piece):
        self.saved[piece["id"]] += 1
        self.texts[piece["id"]] = piece["text"]
        self.arrived.set()

    def close(self):
        self.client.disconnect()


def test_leader_writes_goes_offline_and_the_board_gets_each_piece_once(room, new_page, live_server):
    assembly, admin = room["assembly"], room["admin"]
    _go_to_step(assembly, admin, "needs")
    board = BoardListener(live_server.url, assembly.id, assembly.board_token)
    try:
        facilitator = new_page(PHONE)
        log_in(facilitator, admin)
        facilitator.goto(f"/assemblies/{assembly.id}/groups/{room['group'].id}/facilitate")

        leader = new_page(PHONE)
        leader.goto("/mesa/mesa37")  # typed in lower case: redirected to the real code
        assert leader.url.endswith("/mesa/MESA37")
        assert leader.get_by_role("heading", name=room["group"].theme.title).is_visible()
        leader.locator(".conn[data-state=online]").wait_for()
        coleader = new_page(PHONE)  # a second phone of the same table
        coleader.goto("/mesa/MESA37")
        coleader.locator(".conn[data-state=online]").wait_for()

        need_box = leader.get_by_label("Necesidad 1 de 2")
        need_box.fill("Falta crédito blando para las asociaciones de cacaoteros")
        assert leader.locator("[data-counter=text]").first.inner_text() == "56/280"
        preview = leader.locator(".preview .piece-text").first
        assert preview.inner_text() == "Falta crédito blando para las asociaciones de cacaoteros"
        leader.get_by_role("button", name="Guardar", exact=True).click()
        leader.get_by_label("Necesidad 2 de 2").fill("Formación en trabajo en red")
        # a reload while typing keeps the draft (saved on every keystroke)
        leader.reload()
        assert (
            leader.get_by_label("Necesidad 2 de 2").input_value() == "Formación en trabajo en red"
        )
        leader.get_by_role("button", name="Guardar", exact=True).click()
        coleader.locator(".puzzle .piece-need").nth(1).wait_for()
        facilitator.locator(".fac-table .piece-need").nth(1).wait_for()
        assert "Necesidades 2/2" in facilitator.locator(".progress").first.inner_text()
        _shot(leader, "puzzle-table-needs-phone")
        _shot(facilitator, "puzzle-facilitate-phone")

        # the facilitator nudges the table; the leader's phone shows it
        facilitator.get_by_label("Mensaje para la sub-mesa 3").fill("¿Cómo van con la segunda?")
        facilitator.get_by_role("button", name="Avisar a la mesa").click()
        leader.get_by_text("¿Cómo van con la segunda?").wait_for()
        leader.get_by_role("button", name="Entendido").click()
        # the table records its spokesperson; the facilitator sees it
        person = room["people"][1]
        leader.get_by_label("¿Quién será su vocero o vocera en la plenaria?").select_option(
            str(person.id)
        )
        leader.get_by_role("button", name="Guardar vocería").click()
        leader.locator("[data-spokes-name]", has_text=person.full_name).wait_for()
        saved = leader.locator("[data-spokes-saved]")  # the save confirms beside its button
        assert f"Guardado: {person.full_name}" in saved.inner_text()
        facilitator.get_by_text(f"Vocería: {person.full_name}").wait_for()

        # the moderator moves the clock: the phones switch to the next step live, no reload
        slots = agenda.load_agenda(assembly).slots
        _db.session.rollback()
        position = next(i for i, slot in enumerate(slots) if slot.step_kind == "solutions")
        moderator = _staff_socket(live_server, admin)
        try:
            ack = moderator.call(
                "clock_control",
                {"assembly_id": assembly.id, "action": "jump", "position": position},
                timeout=10,
            )
            assert ack["ok"], ack
        finally:
            moderator.disconnect()
        leader.get_by_text("Paso 2: soluciones").wait_for()
        coleader.get_by_text("Paso 2: soluciones").wait_for()
        leader.reload()  # and a reload right before losing the signal changes nothing
        leader.locator(".conn[data-state=online]").wait_for()

        leader.context.set_offline(True)
        leader.get_by_text(OFFLINE).wait_for()
        solution = "Fondo rotatorio entre las cooperativas de la región"
        leader.get_by_label("Solución para esta necesidad").first.fill(solution)
        leader.get_by_role("button", name="Guardar", exact=True).first.click()
        leader.get_by_text("Pendiente de envío").first.wait_for()
        _shot(leader, "puzzle-table-offline-phone")
        assert _db.session.scalar(select(Piece).where(Piece.kind == "solution")) is None
        _db.session.rollback()

        leader.context.set_offline(False)
        leader.locator(".conn[data-state=online]").wait_for(timeout=20_000)
        leader.wait_for_function("() => !document.body.innerText.includes('Pendiente de envío')")
        coleader.get_by_text(solution).first.wait_for()
        facilitator.get_by_text(solution).wait_for()

        stored = _db.session.scalars(select(Piece).where(Piece.kind == "solution")).all()
        assert [p.text for p in stored] == [solution]
        assert board.saved[stored[0].id] == 1  # the board received it exactly once
        assert sorted(board.saved.values()) == [1, 1, 1]
        assert facilitator.get_by_text(solution).count() == 1
        key = f"asamblea:table:{room['table'].id}:outbox"  # kept under the table, not its code
        outbox = leader.evaluate(f"localStorage.getItem('{key}')")
        assert outbox == "[]"
    finally:
        board.close()


def _shot(page, name):
    page.evaluate("window.scrollTo(0, 0)")  # the sticky bar at the top of the full-page image
    return screenshot(page, name)


def test_table_page_fits_small_phones_and_wrong_codes_are_explained(room, new_page):
    need = Piece(id=str(uuid.uuid4()), table_id=room["table"].id, kind="need",
                 text="Acceso a crédito blando y oportuno para la economía popular")  # fmt: skip
    solution = Piece(id=str(uuid.uuid4()), table_id=room["table"].id, kind="solution",
                     parent_id=need.id, text="Un fondo rotatorio manejado en red por las "
                     "cooperativas y asociaciones de la región")  # fmt: skip
    _db.session.add_all([need, solution])
    _db.session.commit()
    _go_to_step(room["assembly"], room["admin"], "plan")
    for name, viewport in (("phone", PHONE), ("phone360", SMALL_PHONE)):
        page = new_page(viewport)
        page.goto("/mesa")
        page.get_by_label("Código de la mesa").fill("ZZZ999")
        page.get_by_role("button", name="Entrar").click()
        assert page.get_by_text("No encontramos una mesa con el código «ZZZ999»").is_visible()
        _shot(page, f"puzzle-entry-error-{name}")
        page.get_by_label("Código de la mesa").fill("mesa37")
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(re.compile(r".*/mesa/MESA37$"))
        page.locator(".conn[data-state=online]").wait_for()
        page.get_by_label("¿Qué se hará?").fill(
            "Constituir el fondo con aportes de cada cooperativa"
        )
        # the quarters the server offers (assemblies.periods: from the assembly's, 2026-03-14)
        offered = (
            page.get_by_label("¿Cuándo?")
            .locator("option")
            .evaluate_all("options => options.map(o => [o.value, o.textContent])")
        )
        assert offered == [["", "Elija un trimestre"]] + [
            [value, label] for value, label in periods.choices(room["assembly"])
        ]
        assert offered[1] == ["2026-T1", "T1 2026 (ene–mar)"]
        page.get_by_label("¿Cuándo?").select_option("2026-T2")
        _shot(page, f"puzzle-table-plan-{name}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: {overflow}px of horizontal overflow"
        small = page.evaluate(
            """[...document.querySelectorAll('main button, main select, main input, main textarea')]
                 .filter(e => e.offsetParent && e.getBoundingClientRect().height < 48)
                 .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert small == []


def test_the_spokesperson_step_says_what_to_do_now(room, new_page):
    """Issue 20.6: during the Vocería step the card asks for the vocero or vocera, instead of
    «Esperen la señal de la moderación»."""
    _go_to_step(room["assembly"], room["admin"], "spokesperson")
    page = new_page(PHONE)
    page.goto("/mesa/MESA37")
    page.locator(".conn[data-state=online]").wait_for()
    assert page.locator("[data-task-title]").inner_text() == "Paso 4: vocería"
    assert "vocero o vocera" in page.locator("[data-task-hint]").inner_text()
    assert page.get_by_text("Esperen la señal de la moderación").count() == 0
    _shot(page, "puzzle-table-spokesperson-phone")


def _jump(live_server, admin, assembly, step_kind):
    """The moderator moves the clock to ``step_kind`` from the console's socket: the phones
    follow live."""
    slots = agenda.load_agenda(assembly).slots
    _db.session.rollback()
    position = next(i for i, slot in enumerate(slots) if slot.step_kind == step_kind)
    moderator = _staff_socket(live_server, admin)
    try:
        ack = moderator.call(
            "clock_control",
            {"assembly_id": assembly.id, "action": "jump", "position": position},
            timeout=10,
        )
        assert ack["ok"], ack
    finally:
        moderator.disconnect()


def test_a_piece_can_change_only_while_its_step_is_open_and_never_after_approval(
    room, new_page, live_server
):
    """Issue 20.6: what can no longer change is not offered — once the piece's step closed or
    the plenary approved the agenda (even with the step open again), the phone shows no
    Editar/Borrar, and the server refuses an edit or a delete sent anyway (an old page, a
    scripted client)."""
    from datetime import datetime

    assembly, admin, group, table = room["assembly"], room["admin"], room["group"], room["table"]
    text = "Falta crédito blando para las asociaciones de cacaoteros"
    need = Piece(id=str(uuid.uuid4()), table_id=table.id, kind="need", text=text)
    _db.session.add(need)
    for person in room["people"]:
        person.checked_in_at = datetime(2026, 3, 14, 8)
    _db.session.commit()
    need_id = need.id
    _go_to_step(assembly, admin, "needs")
    page = new_page(PHONE)
    page.goto("/mesa/MESA37")
    page.locator(".conn[data-state=online]").wait_for()
    page.locator(f'[data-edit="{need_id}"]').wait_for()  # its step is open: offered
    assert page.locator(f'[data-delete="{need_id}"]').is_visible()

    phone = socketio.Client(reconnection=False)
    phone.connect(live_server.url, auth={"table_code": "MESA37"}, transports=["websocket"])
    try:
        assert phone.call("join_table", {"code": "MESA37"}, timeout=10)["ok"]

        def refused(event, body):
            ack = phone.call(event, body, timeout=10)
            assert ack["ok"] is False, ack
            return ack

        edit = {"id": need_id, "kind": "need", "text": "Otra necesidad"}
        # the moderator moves on: the need's step closed
        _jump(live_server, admin, assembly, "solutions")
        page.get_by_text("Paso 2: soluciones").wait_for()
        assert page.get_by_text(text).first.is_visible()
        assert page.locator("[data-edit], [data-delete]").count() == 0
        assert "cerró este paso" in refused("edit_piece", edit)["error"]
        assert "cerró este paso" in refused("delete_piece", {"id": need_id})["error"]

        # the need's step reopens, then the plenary approves the mesa's agenda (a show of
        # hands from the console): the phone drops Editar/Borrar live, with the step open
        _jump(live_server, admin, assembly, "needs")
        page.get_by_text("Paso 1: necesidades").wait_for()
        page.locator(f'[data-edit="{need_id}"]').wait_for()
        moderator = _staff_socket(live_server, admin)
        try:
            ack = moderator.call(
                "approval_command",
                {"assembly_id": assembly.id, "group_id": group.id, "action": "hands",
                 "for": 3, "against": 1},
                timeout=10,
            )  # fmt: skip
            assert ack["ok"] and ack["approval"]["approved"], ack
        finally:
            moderator.disconnect()
        page.get_by_text("La plenaria aprobó la agenda de su mesa").wait_for()
        assert page.get_by_text(text).first.is_visible()
        assert page.locator("[data-edit], [data-delete]").count() == 0
        assert page.get_by_role("button", name="Guardar", exact=True).count() == 0
        page.reload()  # and so it stays
        page.locator(".conn[data-state=online]").wait_for()
        page.get_by_text("La plenaria aprobó la agenda de su mesa").wait_for()
        assert page.locator("[data-edit], [data-delete]").count() == 0
        # the server refuses what an old page or a script still sends: the agenda is frozen
        assert refused("edit_piece", edit)["code"] == "frozen"
        assert refused("delete_piece", {"id": need_id})["code"] == "frozen"
    finally:
        phone.disconnect()
    _db.session.rollback()
    stored = _db.session.get(Piece, need_id)
    assert (stored.text, stored.version) == (text, 1)
