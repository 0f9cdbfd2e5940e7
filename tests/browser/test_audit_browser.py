"""The admins' audit log page (issue 17.7) on a phone and on screens: the menu link, the
filter, the table without horizontal overflow of the page."""

import pytest

from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, log_in, screenshot


@pytest.mark.parametrize(
    ("size", "name"), [(PHONE, "phone"), (PROJECTOR, "1920"), (LAPTOP, "1280")]
)
def test_an_admin_reads_and_filters_the_audit_log(new_page, make_user, db, size, name):
    from assembly.auth import audit

    for n in range(8):
        audit.note("mesa1" if n % 2 else "mesa2", "attendee.view", subject=f"attendee:{n}")
    audit.note("mesa2", "attendees.list", people=50)
    db.session.commit()
    page = new_page(size)
    log_in(page, make_user("admin"))
    page.goto("/admin/audit")
    assert page.get_by_role("heading", name="Auditoría de datos personales").is_visible()
    assert page.locator("tbody tr").count() == 9
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal overflow"
    screenshot(page, f"audit-log-{name}")
    page.get_by_label("Acción").select_option("attendees.list")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**action=attendees.list**")
    assert page.locator("tbody tr").count() == 1
    assert (
        page.get_by_role("link", name="Exportar (CSV)")
        .get_attribute("href")
        .endswith("action=attendees.list")
    )
