from assembly.core import divipola
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, log_in, screenshot


def test_admin_creates_an_assembly_in_the_browser(new_page, make_user):
    admin = make_user("admin")
    page = new_page(LAPTOP)
    log_in(page, admin)
    assert page.get_by_text("Todavía no hay asambleas").is_visible()
    page.get_by_role("link", name="Nueva asamblea").click()
    page.get_by_label("Nombre de la asamblea").fill("Asamblea Regional PIT Arauca")
    page.get_by_label("Fecha").fill("2026-03-14")
    page.get_by_label("Departamento").select_option("81")
    # the municipality list follows the department (fetched from the DIVIPOLA API)
    page.wait_for_function("() => document.querySelector('#municipality_code').options.length > 2")
    page.get_by_label("Municipio").select_option("81001")
    screenshot(page, "assembly-form-laptop")
    page.get_by_role("button", name="Crear asamblea").click()
    assert page.get_by_role("heading", name="Asamblea Regional PIT Arauca").is_visible()
    assert page.get_by_text("Momento 4 — Voces y apuestas").is_visible()
    assert divipola.municipality_name("81001") == "Arauca"
    screenshot(page, "assembly-show-laptop")


def test_agenda_editor_asks_before_deleting(new_page, make_user, make_assembly):
    admin = make_user("admin")
    assembly = make_assembly()
    page = new_page(LAPTOP)
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly.id}/themes")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").first.click()
    assert dialogs and "Borrar el eje" in dialogs[0]
    assert page.locator("section.row-editor").count() == 5  # dismissed: nothing deleted


def test_screens_at_phone_and_projector_sizes(new_page, make_user, make_assembly):
    admin = make_user("admin")
    assembly = make_assembly()
    for name, viewport in (("phone", PHONE), ("projector", PROJECTOR)):
        page = new_page(viewport)
        page.goto("/login")
        screenshot(page, f"login-{name}")
        log_in(page, admin)
        page.goto(f"/assemblies/{assembly.id}")
        screenshot(page, f"assembly-show-{name}")
        # nothing wider than the screen: a phone must never scroll sideways
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: {overflow}px of horizontal overflow"
        page.goto(f"/assemblies/{assembly.id}/agenda")
        screenshot(page, f"agenda-editor-{name}")
