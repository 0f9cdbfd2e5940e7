"""Every page type, in the day's states (tests/support/day_seed.py), in Chromium under the real
Content-Security-Policy (new_page fails the test on any violation), without a JavaScript
error, and the phone and board screens in English: the JS strings come from the catalog of
the page's language."""

import pytest
from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, log_in, screenshot
from tests.support.board_seed import seed_pieces
from tests.support.day_seed import day_pages, seed_day


def _pages(assembly, group, person):
    """The page types on a nearly empty assembly (the English and 200 % walks; the policy
    and axe walks go through the day's states, tests/support/day_seed.py)."""
    a = f"/assemblies/{assembly.id}"
    return [
        "/assemblies/",
        a,
        f"{a}/edit",
        f"{a}/themes",
        f"{a}/agenda",
        f"{a}/desk?desk=Mesa+1",
        f"{a}/console",
        f"{a}/projector",
        f"{a}/slides",
        f"{a}/attendees",
        f"{a}/attendees/new",
        f"{a}/questions",
        f"{a}/import",
        f"{a}/badges?all=1",
        f"{a}/poster",
        f"{a}/groups",
        f"{a}/groups/cards",
        f"{a}/groups/roster",
        f"{a}/my-mesa",
        f"{a}/facilitate",
        f"{a}/groups/{group.id}/facilitate",
        f"{a}/board",
        f"{a}/plenaria",
        f"{a}/agenda-consolidada",
        f"{a}/acta",
        f"{a}/reports",
        "/reports",
        "/admin/users",
        "/admin/audit",
        f"/inscripcion/{assembly.id}",
        f"/inscripcion/{assembly.id}/recibida",
        f"/t/{person.ticket_token}",
        f"/t/{person.ticket_token}/mis-datos",
        f"/t/{person.ticket_token}/votar",
        f"/tablero/{assembly.board_token}",
        f"{a}/encuesta",
        f"{a}/encuesta/proyectar",
        f"/encuesta/asamblea/{assembly.id}",
        f"/encuesta/{person.ticket_token}",
        f"{a}/momentos",
        f"{a}/lecciones",
        f"{a}/lecciones/nueva",
        f"{a}/lecciones/imprimir",
        "/lecciones",
        "/lecciones/areas",
        "/compromisos",
        "/mesa",
        "/mesa/PAGINA",
        "/no-such-page",
    ]


@pytest.mark.slow  # a walk over every page type (~30 s): run once, in the slow step
def test_every_page_type_runs_under_the_policy_without_errors(new_page, make_user, tmp_path):
    day = seed_day(make_user, tmp_path)
    page = new_page(LAPTOP)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("dialog", lambda dialog: dialog.dismiss())
    log_in(page, day.admin)
    for path in day_pages(day):
        page.goto(path)
        page.wait_for_load_state("load")
        # the page's modules ran (the entry module is the last script of every page with JS)
        page.evaluate("() => new Promise((done) => setTimeout(done, 50))")
    assert errors == []


def test_the_phone_and_the_board_speak_english(new_page, make_user, make_assembly):
    assembly = make_assembly()
    seed_pieces(assembly, 6)
    table = _db.session.scalars(
        select(Table).join(Group).where(Group.assembly_id == assembly.id).order_by(Table.id)
    ).first()
    _db.session.commit()
    phone = new_page(PHONE)
    phone.goto(f"/mesa/{table.join_code}?lang=en")
    phone.wait_for_function(
        "() => document.querySelector('[data-conn]').dataset.state === 'online'"
    )
    assert phone.evaluate("document.documentElement.lang") == "en"
    assert phone.locator("[data-conn]").inner_text() == "Online"  # from the JS catalog
    assert phone.get_by_text("Wait for the moderators' signal").is_visible()
    assert phone.get_by_text("Our puzzle").is_visible()  # from the template
    assert phone.locator(".puzzle .piece-kind").first.text_content() == "Need"
    screenshot(phone, "table-english-phone")

    board = new_page(PROJECTOR)
    log_in(board, make_user("moderator"))
    board.goto(f"/assemblies/{assembly.id}/board?lang=en")
    board.wait_for_function("() => document.querySelectorAll('.board-stage .piece').length === 6")
    assert board.get_by_text("Live: pieces arrive from the tables").is_visible()
    kinds = set(board.locator(".board-stage .piece-kind").all_text_contents())
    assert kinds == {"Need", "Solution", "Plan"}
    assert board.locator(".board-stage .table-label").first.text_content().startswith("Sub-table")
    screenshot(board, "board-english-projector")
