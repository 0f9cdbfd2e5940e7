"""The rehearsal's morning on real pages: the admin prepares the assembly, the list is
imported, the desk page checks people in, the room is split, a person is moved."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import func, select

from assembly.assemblies import periods
from assembly.assemblies.models import Assembly
from assembly.board.models import Approval, Vote
from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, log_in
from tests.support.rehearsal_day import Seat

NAME = "Asamblea Regional de Economía Solidaria — Ensayo general Arauca"
DESKS = ("Mesa 1", "Mesa 2", "Mesa 3", "Mesa 4")


def read(query):
    """A read of the shared database that never stays open while the server writes."""
    _db.session.expire_all()
    try:
        return query()
    finally:
        _db.session.rollback()


def admin_prepares_the_assembly(open_page, admin) -> int:
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


def import_the_list(open_page, admin, assembly_id: int, path, expected: int) -> None:
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
    # a list of 1,000 rows or more is reviewed by a job first (its bar, then this page)
    expect(page.locator("#count-new")).to_have_text(str(expected), timeout=120_000)
    page.get_by_role("button", name=f"Importar {expected} personas").click()
    # the import runs as a background job; its page shows the progress, then the result
    page.wait_for_url(re.compile(r"/import/jobs/\d+$"))
    expect(page.locator("#import-result")).to_contain_text(
        f"{expected} personas nuevas", timeout=120_000
    )
    page.context.close()


def desk_page(open_page, user, assembly_id: int):
    page = open_page(LAPTOP)
    log_in(page, user)
    page.goto(f"/assemblies/{assembly_id}/desk")
    page.get_by_label("¿Cómo se llama esta mesa de registro?").fill(DESKS[0])
    page.get_by_role("button", name="Empezar").click()
    page.wait_for_selector("[data-net][data-state=online]")
    return page


def scan_at_the_desk_page(page, base_url: str, tickets: list[str]) -> None:
    """A USB scanner types each ticket's URL and Enter into the desk page."""
    for ticket in tickets:
        page.keyboard.type(f"{base_url}/t/{ticket}\n", delay=1)
        expect(page.locator("[data-result]")).to_have_attribute("data-kind", "ok")
        expect(page.locator("[data-result]")).to_contain_text("Llegada registrada")
        page.evaluate("document.querySelector('[data-result]').removeAttribute('data-kind')")


def search_and_check_in_by_name(page, listed, tickets, chosen: list[str]) -> None:
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


def split_the_room(open_page, admin, assembly_id: int, expected: int) -> None:
    page = open_page(LAPTOP)
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly_id}/groups")
    page.locator("input[name=population][value=checked_in]").check()
    page.get_by_role("button", name="Vista previa").click()
    page.get_by_role("button", name="Aplicar este reparto").click()
    expect(page.locator(".flashes")).to_contain_text(f"Sala repartida: {expected} personas")
    page.context.close()
    tables = read(
        lambda: _db.session.scalar(
            select(func.count(Table.id))
            .join(Group, Table.group_id == Group.id)
            .where(Group.assembly_id == assembly_id)
        )
    )
    assert tables == 25, tables  # 5 mesas of about 94, sub-mesas of at most 20
    status = read(lambda: _db.session.get(Assembly, assembly_id).status)
    assert status == "open"


def open_vote_choices(assembly_id: int) -> Counter:
    """The choices stored for the assembly's open phone vote."""
    rows = _db.session.scalars(
        select(Vote.choice)
        .join(Approval, Vote.approval_id == Approval.id)
        .where(Approval.assembly_id == assembly_id, Approval.status == "open")
    ).all()
    return Counter(rows)


def group_id(assembly_id: int, number: int) -> int:
    return _db.session.scalar(
        select(Group.id).where(Group.assembly_id == assembly_id, Group.number == number)
    )


def board_and_quarters(assembly_id: int) -> tuple[str, list[str]]:
    """The board's credential and the quarters a plan may choose (its «¿Cuándo?»)."""
    assembly = _db.session.get(Assembly, assembly_id)
    return assembly.board_token, [q.value for q in periods.offered(assembly)]


def seats(assembly_id: int) -> list[Seat]:
    tables = _db.session.execute(
        select(Table.id, Group.number, Table.number, Table.join_code)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .order_by(Group.number, Table.number)
    ).all()
    people: dict[int, list[int]] = {}
    for attendee_id, table_id in _db.session.execute(
        select(Attendee.id, Attendee.table_id)
        .where(Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None))
        .order_by(Attendee.id)
    ):
        people.setdefault(table_id, []).append(attendee_id)
    return [Seat(t, g, n, code, people[t]) for t, g, n, code in tables]


def piece_counts(assembly_id: int) -> dict[str, int]:
    rows = _db.session.execute(
        select(Piece.kind, func.count(Piece.id))
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id, Piece.hidden.is_(False))
        .group_by(Piece.kind)
    ).all()
    return dict(rows)


def spokespeople(assembly_id: int) -> dict[int, int]:
    rows = _db.session.execute(
        select(Table.id, Table.spokesperson_id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
    ).all()
    return dict(rows)


def manual_move(staff, assembly_id: int) -> None:
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

    person_id, table_id = read(pick)
    staff.token_from(f"/assemblies/{assembly_id}/groups")
    response = staff.post_form(
        f"/assemblies/{assembly_id}/groups/move",
        {"attendee_id": person_id, "table_id": table_id},
    )
    assert "Persona movida." in response.text
    assert read(lambda: _db.session.get(Attendee, person_id).table_id) == table_id
