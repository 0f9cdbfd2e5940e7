"""The admin erases a person from the attendee's page (Ley 1581)."""

from tests.browser.conftest import PHONE, log_in, screenshot


def test_the_admin_erases_a_person_from_their_page(
    new_page, make_user, make_assembly, make_attendee
):
    from assembly.extensions import db

    assembly = make_assembly()
    person = make_attendee(assembly, first_names="Ana María", phone="3001234567")
    admin = make_user("admin")
    page = new_page(viewport=PHONE)
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly.id}/attendees/{person.id}/edit")
    page.get_by_label("Motivo (queda en el registro)").fill("Lo pidió en la mesa")
    page.get_by_label("Entiendo que el borrado no se puede deshacer.").check()
    section = page.locator(".danger-zone")
    section.scroll_into_view_if_needed()
    screenshot(page, "erase-phone")
    page.get_by_role("button", name="Borrar datos personales").click()
    page.get_by_text("Datos personales borrados. Quedan solo los conteos.").wait_for()
    db.session.expire_all()
    assert person.erased_at is not None and person.phone is None
