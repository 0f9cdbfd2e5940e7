"""Accessibility of every page type (issue 20.7): axe-core finds no serious or critical
violation (in the day's states, tests/support/day_seed.py), the desk and the table page work
with the keyboard alone, and text at 200 % keeps the main content inside the window (no
horizontal scroll, nothing cut)."""

import re

import pytest
from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from tests.browser.conftest import LAPTOP, PHONE, SCREENSHOTS, log_in
from tests.browser.test_pages_browser import _pages
from tests.support.day_seed import day_pages, seed_day

AXE = SCREENSHOTS.parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"

#: pages a person opens on a phone (the rest are staff screens on a laptop)
PHONE_PREFIXES = ("/inscripcion/", "/t/", "/mesa", "/encuesta/", "/votar/", "/seguimiento/")


def serious_violations(page) -> list:
    """axe-core's WCAG 2 A/AA violations of impact serious or critical, one per node."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
    )
    return [
        (page.url, v["id"], node["target"])
        for v in result
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def _seed(make_user, make_assembly, make_attendee):
    admin = make_user("admin")
    assembly = make_assembly()
    group = _db.session.scalar(select(Group).where(Group.assembly_id == assembly.id))
    _db.session.add(Table(group_id=group.id, number=1, join_code="PAGINA", capacity=20))
    _db.session.commit()
    person = make_attendee(assembly)
    return admin, assembly, group, person


def _settle(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((done) => setTimeout(done, 50))")


@pytest.mark.slow  # heavy: axe over every page type in the day's real states (run once)
def test_axe_finds_no_serious_violation_on_any_page(new_page, make_user, tmp_path):
    day = seed_day(make_user, tmp_path)
    laptop = new_page(LAPTOP, bypass_csp=True)
    phone = new_page(PHONE, bypass_csp=True)
    for page in (laptop, phone):
        page.on("dialog", lambda dialog: dialog.dismiss())
    laptop.goto("/login")
    _settle(laptop)
    found = serious_violations(laptop)
    log_in(laptop, day.admin)
    log_in(phone, day.admin)
    for path in day_pages(day):
        page = phone if path.startswith(PHONE_PREFIXES) else laptop
        page.goto(path)
        _settle(page)
        found += serious_violations(page)
    assert found == []


#: the main content's overflow at the current zoom: the page scrolls sideways, or text is cut
#: by a box that hides its overflow (its content taller or wider than the box, no ellipsis or
#: line clamp saying so; visually hidden screen-reader text and boxes without text aside)
OVERFLOW = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`${location.pathname} scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  }
  const clips = (value) => value === 'hidden' || value === 'clip';
  for (const box of document.body.querySelectorAll('*')) {
    if (!box.getClientRects().length || box.clientWidth <= 2 || box.clientHeight <= 2) continue;
    const style = getComputedStyle(box);
    const x = clips(style.overflowX), y = clips(style.overflowY);
    if (!x && !y) continue;
    if (style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none') continue;
    if (style.clip !== 'auto' || style.clipPath !== 'none') continue;
    if (!(box.innerText || '').trim()) continue;
    const tall = y && box.scrollHeight > box.clientHeight + 1;
    const wide = x && box.scrollWidth > box.clientWidth + 1;
    if (tall || wide) {
      const name = box.tagName.toLowerCase() + (box.className ? '.' + [...box.classList].join('.') : '');
      problems.push(`${location.pathname} cuts text in ${name}: ${box.scrollWidth}x${box.scrollHeight} > ${box.clientWidth}x${box.clientHeight} «${box.innerText.trim().slice(0, 60)}»`);
    }
  }
  return problems;
}"""


@pytest.mark.slow  # a walk over every laptop page at 200 % (~11 s)
def test_text_at_200_percent_keeps_every_page_inside_the_window(
    new_page, make_user, make_assembly, make_attendee
):
    """200 % zoom of a 1366 px laptop is a 683 px CSS viewport at device scale 2."""
    admin, assembly, group, person = _seed(make_user, make_assembly, make_attendee)
    page = new_page({"width": 683, "height": 384}, device_scale_factor=2)
    page.on("dialog", lambda dialog: dialog.dismiss())
    log_in(page, admin)
    problems = []
    for path in _pages(assembly, group, person):
        page.goto(path)
        _settle(page)
        problems += page.evaluate(OVERFLOW)
    assert problems == []
    # the check itself finds text cut by a fixed box, and not the same text with an ellipsis
    # (styled through the CSSOM: the policy forbids style attributes)
    page.evaluate(
        """() => {
      const text = 'Texto largo que no cabe en su caja fija '.repeat(4);
      const cut = Object.assign(document.createElement('p'), { textContent: text });
      Object.assign(cut.style, { height: '1.2em', overflow: 'hidden', width: '8em' });
      const ellipsis = Object.assign(document.createElement('p'), { textContent: text });
      Object.assign(ellipsis.style, { whiteSpace: 'nowrap', overflow: 'hidden',
                                      textOverflow: 'ellipsis', width: '8em' });
      document.body.replaceChildren(cut, ellipsis);
    }"""
    )
    found = page.evaluate(OVERFLOW)
    assert len(found) == 1 and "cuts text in p" in found[0], found


#: the facilitator's screens: a phone in the facilitator's hand
FACILITATOR_PAGES = ("/facilitate",)


def _phone_pages(assembly, group, person) -> list[str]:
    """The pages a person opens on a phone: the ticket, its vote and data, the public form,
    the table page, the survey; and the facilitator's screens."""
    return [
        path
        for path in _pages(assembly, group, person)
        if path.startswith(PHONE_PREFIXES) or path.endswith(FACILITATOR_PAGES)
    ]


def test_text_at_200_percent_keeps_every_phone_page_inside_a_390_px_phone(
    new_page, make_user, make_assembly, make_attendee
):
    """A phone's text size set to 200 %: the browser's default font size doubled (16 → 32
    px, as a person's text-size setting does; CDP's Page.setFontSizes), on a 390×844
    phone. Every text sized relative to it doubles; nothing may scroll sideways or be cut."""
    admin, assembly, group, person = _seed(make_user, make_assembly, make_attendee)
    page = new_page(PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    page.on("dialog", lambda dialog: dialog.dismiss())
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    log_in(page, admin)
    problems = []
    paths = _phone_pages(assembly, group, person)
    assert {
        "/mesa/PAGINA",
        f"/t/{person.ticket_token}/votar",
        f"/inscripcion/{assembly.id}",
    } <= set(paths) and any(p.endswith("/facilitate") for p in paths)
    for path in paths:
        page.goto(path)
        _settle(page)
        root = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
        assert root == "32px", (path, root)  # the setting holds on every page
        problems += page.evaluate(OVERFLOW)
    assert problems == []


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab (keyboard only) until the focused element matches ``selector``."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} from {page.url}")


def _checked_in_names(assembly_id):
    from assembly.registration.models import Attendee

    _db.session.expire_all()
    rows = _db.session.scalars(
        select(Attendee).where(
            Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None)
        )
    ).all()
    names = sorted(a.full_name for a in rows)
    _db.session.rollback()  # never hold a read open while the server writes
    return names


def test_the_desk_works_with_the_keyboard_alone(new_page, make_user, make_assembly, make_attendee):
    """Check in by document, then register a walk-in: keys only, no click, no fill."""
    organizer = make_user("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly, first_names="Rubiela", last_names="Teclado Solo")
    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+2")
    page.locator("#scan-input:focus").wait_for()  # the desk starts in its input
    page.keyboard.type(person.document_number, delay=5)
    page.get_by_role("option", name=re.compile("Rubiela")).wait_for()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert _checked_in_names(assembly.id) == ["Rubiela Teclado Solo"]

    _tab_to(page, "[data-walk-in]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attendees/new"))
    for selector, keys in [
        ("#f-document_number", "1098765432"),
        ("#f-first_names", "Yeison"),
        ("#f-last_names", "Sin Ratón"),
    ]:
        _tab_to(page, selector)
        page.keyboard.type(keys)
    for selector, option in [
        ("#f-age_range", "29"),
        ("#f-sex", "Hombre"),
        ("#f-ethnicity", "Ninguno"),
        ("#f-municipality_code", "Arauca"),
    ]:
        _tab_to(page, selector)
        page.keyboard.type(option)  # a closed select picks the option typed
        assert page.evaluate("(s) => document.querySelector(s).value", selector), selector
    _tab_to(page, "#f-consent_data")
    page.keyboard.press("Space")
    _tab_to(page, "#registration-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/desk\?"))
    page.wait_for_function(
        "() => document.querySelector('[data-result-name]')?.textContent.includes('Yeison')"
    )
    assert _checked_in_names(assembly.id) == ["Rubiela Teclado Solo", "Yeison Sin Ratón"]


def test_the_table_page_works_with_the_keyboard_alone(new_page, make_user, make_assembly):
    """A leader with no touch screen: Tab to the need, type it, Tab to «Guardar», Enter."""
    from assembly.puzzle.models import Piece
    from tests.browser.test_table_browser import _go_to_step

    assembly = make_assembly()
    group = _db.session.scalar(select(Group).where(Group.assembly_id == assembly.id))
    table = Table(group_id=group.id, number=2, join_code="TECLA2", capacity=20)
    _db.session.add(table)
    _db.session.commit()
    _go_to_step(assembly, make_user("admin"), "needs")
    page = new_page(PHONE)
    page.goto("/mesa/TECLA2")
    page.locator(".conn[data-state=online]").wait_for()
    _tab_to(page, "textarea[data-field=text]")
    page.keyboard.type("Falta un centro de acopio en el municipio")
    _tab_to(page, "[data-slot] button[type=submit]")
    page.keyboard.press("Enter")
    # the save confirms beside its buttons once the server stored it
    page.locator("[data-task-body] [data-piece-saved]").wait_for()
    assert "Guardada" in page.locator("[data-task-body] .piece-need .actions").inner_text()
    _db.session.expire_all()
    texts = _db.session.scalars(select(Piece.text).where(Piece.table_id == table.id)).all()
    _db.session.rollback()
    assert texts == ["Falta un centro de acopio en el municipio"]
