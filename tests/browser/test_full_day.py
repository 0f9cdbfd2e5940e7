"""The dress rehearsal (issue 20.1): the day of methodology.md end to end against the real
server, on a test clock that runs the agenda ASSEMBLY_TEST_CLOCK_SPEED times faster.

Real pages where a person acts (the admin, one desk, the moderator, five table phones, the
board); scripted HTTP and Socket.IO clients for the crowd (three more desks, the other tables,
the ticket votes). Every figure is checked against what the test itself did. CI runs it on
SQLite and again on PostgreSQL (.ci/run); each phase prints its time.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, log_in, watch_csp
from tests.conftest import TEST_PASSWORD
from tests.support import rehearsal
from tests.support.live_server import start_server

pytestmark = pytest.mark.slow

#: agenda seconds per real second: Moment 4's 15-minute steps last 7.5 s
SPEED = 120
NAME = "Asamblea Regional de Economía Solidaria — Ensayo general Arauca"
PRE_REGISTERED = 480
ON_TIME = 430  # checked in before the split, of the pre-registered
LATE = 20  # pre-registered people who arrive after the split
WALK_INS = 20
DESKS = ("Mesa 1", "Mesa 2", "Mesa 3", "Mesa 4")


@pytest.fixture(scope="module")
def day_server(app, database_url, tmp_path_factory):
    server = start_server(
        database_url,
        secret_key=secrets.token_hex(16),
        log_dir=tmp_path_factory.mktemp("rehearsal"),
        extra_env={"ASSEMBLY_TEST_CLOCK_SPEED": str(SPEED)},
    )
    yield server
    server.stop()


@pytest.fixture
def open_page(browser, day_server):
    """Pages on the rehearsal's server, each in its own context; no page may break the CSP."""
    contexts, violations = [], []

    def make(viewport=LAPTOP, **kwargs):
        context = browser.new_context(
            viewport=viewport, base_url=day_server.url, locale="es-CO", **kwargs
        )
        context.set_default_timeout(20_000)
        watch_csp(context, violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):
                page.evaluate("0")
        context.close()
    assert violations == [], "Content-Security-Policy violations"


class Laps:
    """Each phase's time, printed as the test goes (the run must stay within 6 minutes)."""

    def __init__(self, capsys):
        self.capsys = capsys
        self.started = self.last = time.monotonic()

    def __call__(self, phase: str) -> None:
        now = time.monotonic()
        with self.capsys.disabled():
            print(f"\n[rehearsal] {phase}: {now - self.last:.1f} s ({now - self.started:.1f} s)")
        self.last = now


def _read(query):
    """A read of the shared database that never stays open while the server writes."""
    _db.session.expire_all()
    try:
        return query()
    finally:
        _db.session.rollback()


def test_the_whole_day(app, day_server, open_page, make_user, tmp_path, capsys):
    laps = Laps(capsys)
    admin = make_user("admin", display_name="Administración del ensayo")
    desk_staff = [make_user("organizer", display_name=f"Registro {n}") for n in range(1, 5)]
    _db.session.rollback()

    assembly_id = _admin_prepares_the_assembly(open_page, admin)
    laps("assembly created, theme adjusted, opened")

    listed = rehearsal.people(PRE_REGISTERED)
    _import_the_list(
        open_page, admin, assembly_id, rehearsal.write_list(tmp_path / "l.xlsx", listed)
    )
    laps(f"{PRE_REGISTERED} pre-registrations imported")

    rows = _read(
        lambda: _db.session.execute(
            select(Attendee.ticket_token, Attendee.document_number)
            .where(Attendee.assembly_id == assembly_id)
            .order_by(Attendee.id)
        ).all()
    )
    tickets = [token for token, _ in rows]
    person_of = {p.document_digits: p for p in listed}
    listed = [person_of[document] for _, document in rows]  # in the tickets' order
    assert len(tickets) == PRE_REGISTERED
    desk_page = _desk_page(open_page, desk_staff[0], assembly_id)
    crowd = [rehearsal.Staff(day_server.url, u.username, TEST_PASSWORD) for u in desk_staff[1:]]
    on_time, late = tickets[:ON_TIME], tickets[ON_TIME : ON_TIME + LATE]
    # two late arrivals are found by name at the desk page: people no other name matches
    findable = {p.number for p in rehearsal.unique_names(listed)}
    by_name = [
        t
        for t, p in zip(late, listed[ON_TIME : ON_TIME + LATE], strict=True)
        if p.number in findable
    ][:2]
    late = [t for t in late if t not in by_name]
    by_page = on_time[:3]
    queues = [on_time[3 + n :: 3] for n in range(3)]
    desks = [
        lambda staff=staff, desk=desk, queue=queue: rehearsal.check_in_all(
            staff, assembly_id, desk, queue
        )
        for staff, desk, queue in zip(crowd, DESKS[1:], queues, strict=True)
    ]
    results = rehearsal.in_parallel(
        desks, main=lambda: _scan_at_the_desk_page(desk_page, day_server.url, by_page)
    )
    assert sum(results, start=rehearsal.Counter())["ok"] == ON_TIME - 3
    walk_ins = [
        rehearsal.walk_in(crowd[n % 3], assembly_id, DESKS[1 + n % 3], n) for n in range(15)
    ]
    laps(f"{ON_TIME} checked in at 4 desks, {len(walk_ins)} walk-ins")

    _search_and_check_in_by_name(desk_page, listed, tickets, by_name)
    expect(desk_page.locator("[data-count-in]")).to_have_text(str(ON_TIME + 15 + 2))
    laps("name search at the desk page")

    _split_the_room(open_page, admin, assembly_id, expected=ON_TIME + 15 + 2)
    laps("room split")

    # late arrivals: the desks seat them at a table with room
    late_results = rehearsal.in_parallel(
        [
            lambda: rehearsal.check_in_all(crowd[0], assembly_id, DESKS[1], late[:9]),
            lambda: rehearsal.check_in_all(crowd[1], assembly_id, DESKS[2], late[9:]),
        ]
    )
    assert sum((r for r in late_results), start=rehearsal.Counter())["ok"] == LATE - 2
    walk_ins += [rehearsal.walk_in(crowd[2], assembly_id, DESKS[3], 15 + n) for n in range(5)]
    checked_in = ON_TIME + LATE + WALK_INS
    expect(desk_page.locator("[data-count-in]")).to_have_text(str(checked_in))
    seated = _read(
        lambda: _db.session.scalar(
            select(func.count(Attendee.id)).where(
                Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None)
            )
        )
    )
    assert seated == checked_in  # every late arrival got a seat at the desk
    _manual_move(crowd[0], assembly_id)
    laps(f"late arrivals seated ({checked_in} in the room), one manual move")


# --------------------------------------------------------------------------- phases


def _admin_prepares_the_assembly(open_page, admin) -> int:
    page = open_page(LAPTOP)
    log_in(page, admin)
    page.get_by_role("link", name="Nueva asamblea").click()
    page.get_by_label("Nombre de la asamblea").fill(NAME)
    today = datetime.now(ZoneInfo("America/Bogota")).date()
    page.get_by_label("Fecha").fill(today.isoformat())
    page.wait_for_load_state("networkidle")  # the form's script listens before the choice
    page.get_by_label("Departamento").select_option("81")
    page.wait_for_function("() => document.querySelector('#municipality_code').options.length > 2")
    page.get_by_label("Municipio").select_option("81001")
    page.get_by_role("button", name="Crear asamblea").click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    assembly_id = int(re.search(r"/assemblies/(\d+)", page.url).group(1))

    # the admin adjusts the fifth theme to the region's words
    page.goto(f"/assemblies/{assembly_id}/themes")
    page.get_by_label("Mesa 5 — título").fill("Integración para territorios solidarios araucanos")
    page.locator("section.row-editor").nth(4).get_by_role("button", name="Guardar").click()
    expect(page.get_by_label("Mesa 5 — título")).to_have_value(
        "Integración para territorios solidarios araucanos"
    )

    page.goto(f"/assemblies/{assembly_id}")
    page.get_by_label("Estado", exact=True).select_option("open")
    page.get_by_role("button", name="Cambiar").click()
    expect(page.locator(".tag.status-open")).to_be_visible()
    page.context.close()
    return assembly_id


def _import_the_list(open_page, admin, assembly_id: int, path) -> None:
    page = open_page(LAPTOP)
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly_id}/import")
    page.get_by_label("Archivo de la lista").set_input_files(str(path))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{22}$"))
    # the title block is skipped and the agreement's own headers are understood
    for header, key in [
        ("Nombres y Apellidos", "full_name"),
        ("No. Identificación", "document_number"),
        ("Género", "sex"),
        ("Mpio residencia", "municipality_code"),
    ]:
        expect(page.get_by_label(header, exact=True)).to_have_value(key)
    page.get_by_label("Las personas de esta lista ya autorizaron").check()
    page.get_by_role("button", name="Revisar las filas").click()
    page.wait_for_url(re.compile(r"/values$"), timeout=60_000)
    # "M" next to "H" and "F" is never decided silently: the person answers it
    sex = page.locator("#values-sex")
    expect(sex.get_by_text("ambiguo: elija")).to_have_count(1)
    sex.get_by_label("M", exact=True).select_option("mujer")
    pending = page.evaluate(
        "() => [...document.querySelectorAll('select')].filter(s => s.value === '__pending__')"
        ".map(s => s.id)"
    )
    assert pending == [], pending
    page.get_by_role("button", name="Guardar y revisar las filas").click()
    page.wait_for_url(re.compile(r"/review$"), timeout=60_000)
    expect(page.locator("#count-new")).to_have_text(str(PRE_REGISTERED))
    page.get_by_role("button", name=f"Importar {PRE_REGISTERED} personas").click()
    page.wait_for_url(re.compile(r"/attendees$"), timeout=60_000)
    expect(page.locator(".flashes")).to_contain_text(f"{PRE_REGISTERED} personas nuevas")
    page.context.close()


def _desk_page(open_page, user, assembly_id: int):
    page = open_page(LAPTOP)
    log_in(page, user)
    page.goto(f"/assemblies/{assembly_id}/desk")
    page.get_by_label("¿Cómo se llama esta mesa de registro?").fill(DESKS[0])
    page.get_by_role("button", name="Empezar").click()
    page.wait_for_selector("[data-net][data-state=online]")
    return page


def _scan_at_the_desk_page(page, base_url: str, tickets: list[str]) -> None:
    """A USB scanner types each ticket's URL and Enter into the desk page."""
    for ticket in tickets:
        page.keyboard.type(f"{base_url}/t/{ticket}\n", delay=1)
        expect(page.locator("[data-result]")).to_have_attribute("data-kind", "ok")
        expect(page.locator("[data-result]")).to_contain_text("Llegada registrada")
        page.evaluate("document.querySelector('[data-result]').removeAttribute('data-kind')")


def _search_and_check_in_by_name(page, listed, tickets, chosen: list[str]) -> None:
    """Name search at the desk: one exact match is checked in by Enter."""
    by_ticket = dict(zip(tickets, listed, strict=False))
    for ticket in chosen:
        person = by_ticket[ticket]
        page.keyboard.type(person.name.lower(), delay=5)
        option = page.get_by_role("option").first
        option.wait_for()
        expect(page.get_by_role("option")).to_have_count(1)
        page.evaluate("document.querySelector('[data-result]').removeAttribute('data-kind')")
        page.keyboard.press("Enter")
        expect(page.locator("[data-result]")).to_have_attribute("data-kind", "ok")


def _split_the_room(open_page, admin, assembly_id: int, expected: int) -> None:
    page = open_page(LAPTOP)
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly_id}/groups")
    page.locator("input[name=population][value=checked_in]").check()
    page.get_by_role("button", name="Vista previa").click()
    page.get_by_role("button", name="Aplicar este reparto").click()
    expect(page.locator(".flashes")).to_contain_text(f"Sala repartida: {expected} personas")
    page.context.close()
    tables = _read(
        lambda: _db.session.scalar(
            select(func.count(Table.id))
            .join(Group, Table.group_id == Group.id)
            .where(Group.assembly_id == assembly_id)
        )
    )
    assert tables == 25, tables  # 5 mesas of about 94, sub-mesas of at most 20
    status = _read(lambda: _db.session.get(Assembly, assembly_id).status)
    assert status == "open"


def _manual_move(staff, assembly_id: int) -> None:
    """The organiser moves one person to another sub-mesa (the groups screen's form)."""

    def pick():
        tables = _db.session.scalars(
            select(Table)
            .join(Group, Table.group_id == Group.id)
            .where(Group.assembly_id == assembly_id)
            .order_by(Group.number, Table.number)
        ).all()
        person = _db.session.scalars(
            select(Attendee).where(Attendee.table_id == tables[0].id).order_by(Attendee.id)
        ).first()
        return person.id, tables[-1].id

    person_id, table_id = _read(pick)
    staff.token_from(f"/assemblies/{assembly_id}/groups")
    response = staff.post_form(
        f"/assemblies/{assembly_id}/groups/move",
        {"attendee_id": person_id, "table_id": table_id},
    )
    assert "Persona movida." in response.text
    assert _read(lambda: _db.session.get(Attendee, person_id).table_id) == table_id
