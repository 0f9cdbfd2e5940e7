"""The desk's walk-in form is compact (issue 20.5): the optional parts folded, the whole form
within two screens of a 1366x768 laptop; a fold opens by itself on an error inside it."""

from tests.browser.conftest import LAPTOP, log_in, screenshot


def test_the_walk_in_form_fits_two_laptop_screens(new_page, make_user, make_assembly):
    assembly = make_assembly()
    page = new_page(LAPTOP)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{assembly.id}/attendees/new?desk=Mesa+1&return=desk")
    folds = page.locator("details.form-fold")
    assert folds.count() == 3
    assert all(folds.nth(i).get_attribute("open") is None for i in range(3))
    # from the top of the page to the bottom of the save button
    bottom = page.evaluate(
        "document.querySelector('#registration-form button[type=submit]')"
        ".getBoundingClientRect().bottom + scrollY"
    )
    assert bottom <= 2 * LAPTOP["height"], bottom
    screenshot(page, "walk-in-folded-laptop")

    # an error in a folded field opens its fold
    page.get_by_text("Zona, teléfono y correo (opcionales)").click()
    page.get_by_label("Correo electrónico").fill("no es un correo")
    page.get_by_role("button", name="Guardar y registrar llegada").click()
    page.locator("#error-summary").wait_for()
    contact = page.locator("details.form-fold", has=page.locator("#f-email"))
    assert contact.get_attribute("open") is not None
    assert page.get_by_label("Correo electrónico").is_visible()
