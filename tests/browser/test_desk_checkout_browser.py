"""The desk's optional "salida" in Chromium: scan someone already in, record the exit, scan back."""

from datetime import UTC, datetime

from assembly.extensions import db as _db
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot


def _stored(attendee_id):
    _db.session.expire_all()
    row = _db.session.get(Attendee, attendee_id)
    _db.session.rollback()
    return row


def test_the_desk_records_a_salida_and_the_return(
    new_page, make_user, make_assembly, make_attendee
):
    organizer = make_user("organizer")
    assembly = make_assembly()
    now = datetime.now(UTC).replace(tzinfo=None)
    ana = make_attendee(assembly, checked_in_at=now, checked_in_desk="Mesa 2")
    make_attendee(assembly, checked_in_at=now, checked_in_desk="Mesa 2")
    _db.session.rollback()

    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Salida")
    page.wait_for_selector("[data-net][data-state=online]")
    page.wait_for_function(
        "() => document.querySelector('[data-count-present]').textContent === '2'"
    )
    leave = page.get_by_role("button", name="Registrar salida")
    assert not leave.is_visible()

    page.keyboard.type(f"/t/{ana.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=already]")
    leave.click()
    page.wait_for_selector("[data-result][data-kind=undone]")
    result = page.locator("[data-result]")
    assert "Salida registrada" in result.inner_text()
    assert not leave.is_visible()
    assert _stored(ana.id).checked_out_at is not None
    page.wait_for_function(
        "() => document.querySelector('[data-count-present]').textContent === '1'"
    )
    assert page.locator("[data-count-in]").inner_text() == "2"
    screenshot(page, "desk-salida-laptop")

    page.keyboard.type(f"/t/{ana.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert "Regreso registrado" in result.inner_text()
    assert _stored(ana.id).checked_out_at is None
    page.wait_for_function(
        "() => document.querySelector('[data-count-present]').textContent === '2'"
    )

    phone = new_page(PHONE)
    log_in(phone, organizer)
    phone.goto(f"/assemblies/{assembly.id}/desk?desk=Salida")
    phone.keyboard.type(f"/t/{ana.ticket_token}\n", delay=2)
    phone.wait_for_selector("[data-result][data-kind=already]")
    phone.get_by_role("button", name="Registrar salida").wait_for()
    screenshot(phone, "desk-salida-phone")
