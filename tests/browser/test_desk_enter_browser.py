"""The desk never checks in the wrong person (issue 20.5): Enter on a name checks in only
when exactly one person matches; with several, Enter selects and a second Enter confirms;
common names are paged and narrowed by organisation or municipality; the last check-ins
each have their own undo."""

import re

from assembly.extensions import db as _db
from assembly.registration.domain import normalize_name
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, log_in, screenshot


def _person(make_attendee, assembly, first, last, **kwargs):
    return make_attendee(
        assembly,
        first_names=first,
        last_names=last,
        name_key=normalize_name(f"{first} {last}"),
        **kwargs,
    )


def _checked_in():
    _db.session.expire_all()
    rows = _db.session.query(Attendee).filter(Attendee.checked_in_at.is_not(None)).all()
    names = sorted(a.full_name for a in rows)
    _db.session.rollback()  # never hold a read open while the server writes
    return names


def _search(page, text: str) -> None:
    """Type ``text`` into the desk and wait for the answer to the whole of it: on a loaded
    machine a pause while typing searches its first word already (its results show), and a
    key or a click before the last search answers is overtaken by it (Enter then waits for the
    results of what is typed, by design)."""
    query = text.replace(" ", "+")
    with page.expect_response(lambda response: f"q={query}&" in response.url):
        page.keyboard.type(text, delay=10)


def test_enter_on_a_common_name_never_checks_in_the_first_match(
    new_page, make_user, make_assembly, make_attendee
):
    organizer = make_user("organizer")
    assembly = make_assembly()
    _person(make_attendee, assembly, "María", "Aguilar Rojas", municipality_code="81001")
    wanted = _person(make_attendee, assembly, "María", "Bernal Díaz", municipality_code="81736")
    _person(make_attendee, assembly, "María Fernanda", "Castro", municipality_code="81001")
    for n in range(27):  # "Luz Dary" is common: more than a page
        _person(
            make_attendee,
            assembly,
            "Luz Dary",
            f"Apellido{n:02d}",
            municipality_code="81794" if n == 17 else "81001",
            organization_name="Asomujeres Tame" if n == 17 else "Cooperativa Uno",
        )
    _person(make_attendee, assembly, "Wilmer", "Único Solo")
    _db.session.rollback()

    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+3")
    scan = page.locator("#scan-input")
    scan.wait_for()
    count = page.locator("[data-search-count]")

    # typed fast and Enter at once, before any result arrived: nobody is checked in
    page.keyboard.type("maria", delay=0)
    page.keyboard.press("Enter")
    page.get_by_role("option", name=re.compile("María Aguilar")).wait_for()
    assert _checked_in() == []
    # three match: the first Enter only selects the highlighted one
    page.keyboard.press("Enter")
    page.wait_for_selector(".search-result.armed")
    assert "Enter otra vez" in count.inner_text() and "María Aguilar" in count.inner_text()
    assert _checked_in() == []
    # moving to another person disarms; Enter selects her, a second Enter registers her
    page.keyboard.press("ArrowDown")
    assert page.locator(".search-result.armed").count() == 0
    page.keyboard.press("Enter")
    assert "María Bernal" in count.inner_text()
    screenshot(page, "desk-enter-armed-laptop")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert _checked_in() == ["María Bernal Díaz"]

    # exactly one match: Enter registers at once
    _search(page, "wilmer unico")
    page.get_by_role("option", name=re.compile("Wilmer")).wait_for()
    assert "Una persona coincide" in count.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-result-name]').textContent.includes('Wilmer')"
    )
    assert _checked_in() == ["María Bernal Díaz", "Wilmer Único Solo"]

    # a common name: every match can be reached (paged), and narrowed by municipality
    _search(page, "luz dary")
    page.get_by_role("option", name=re.compile("Apellido00")).wait_for()
    assert page.get_by_role("option").count() == 20
    assert "27 personas coinciden" in count.inner_text()
    page.get_by_role("button", name="Ver más personas").click()
    page.get_by_role("option", name=re.compile("Apellido26")).wait_for()
    assert page.get_by_role("button", name="Ver más personas").is_hidden()
    page.get_by_label("Acotar por organización o municipio").fill("tame")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length === 1")
    assert "Apellido17" in page.get_by_role("option").inner_text()
    assert "Tame" in page.get_by_role("option").inner_text()
    screenshot(page, "desk-narrowed-laptop")
    scan.focus()
    page.keyboard.press("Enter")  # narrowed to one: Enter registers her
    page.wait_for_function(
        "() => document.querySelector('[data-result-name]').textContent.includes('Apellido17')"
    )
    assert "Luz Dary Apellido17" in _checked_in()

    # the last check-ins at this desk, newest first, each with its own undo
    recent = page.locator("[data-recent] li")
    page.wait_for_function("() => document.querySelectorAll('[data-recent] li').length === 3")
    assert "Luz Dary Apellido17" in recent.nth(0).inner_text()
    assert "María Bernal" in recent.nth(2).inner_text()
    page.get_by_role("button", name="Deshacer la llegada de María Bernal Díaz").click()
    page.wait_for_selector("[data-result][data-kind=undone]")
    page.wait_for_function("() => document.querySelectorAll('[data-recent] li').length === 2")
    assert _checked_in() == ["Luz Dary Apellido17", "Wilmer Único Solo"]
    assert wanted.id  # the one the desk meant, undone on purpose
    screenshot(page, "desk-recent-laptop")
