"""The person's own data from the ticket (issue 17.7), on a phone and on screens: the link,
the prefilled form, the withdrawal with its confirmation."""

import pytest

from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, screenshot


@pytest.mark.parametrize(
    ("size", "name"), [(PHONE, "phone"), (PROJECTOR, "1920"), (LAPTOP, "1280")]
)
def test_from_the_ticket_a_person_sees_their_data_and_withdraws_consent(
    new_page, make_assembly, make_attendee, db, size, name
):
    from assembly.registration.models import Attendee

    person = make_attendee(
        make_assembly(), first_names="Lucía", last_names="Rangel", phone="3004445566"
    )
    page = new_page(size)
    page.goto(f"/t/{person.ticket_token}")
    page.get_by_role("link", name="Mis datos: ver, corregir o retirar la autorización").click()
    page.wait_for_url(f"**/t/{person.ticket_token}/mis-datos")
    assert page.get_by_label("Nombres").input_value() == "Lucía"
    assert page.get_by_label("Teléfono o celular").input_value() == "3004445566"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, f"my-data-{name}")
    page.locator("#withdraw").scroll_into_view_if_needed()
    screenshot(page, f"my-data-withdraw-{name}")
    button = page.get_by_role("button", name="Retirar mi autorización y borrar mis datos")
    button.click()  # the confirmation box is required: the browser does not send the form
    assert page.url.endswith("/mis-datos")
    page.get_by_label("Entiendo que mis datos se borran y que no se puede deshacer.").check()
    button.click()
    page.get_by_role("heading", name="Sus datos fueron borrados").wait_for()
    db.session.expire_all()
    assert db.session.get(Attendee, person.id).erased_at is not None
