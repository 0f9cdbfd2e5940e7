"""The assembly's team page: the admin ticks who works on this assembly."""

from tests.browser.conftest import PHONE, log_in, screenshot


def test_the_admin_grants_an_assembly_to_an_organiser(new_page, make_user, make_assembly, app):
    from assembly.extensions import db

    assembly, other = make_assembly(), make_assembly()
    organiser = make_user("organizer", username="registro.arauca", assembly_ids=[other.id])
    make_user("supervisor", username="supervision.nacional")  # every assembly
    admin = make_user("admin")
    page = new_page()
    log_in(page, admin)
    page.goto(f"/assemblies/{assembly.id}")
    page.get_by_role("link", name="Equipo de la asamblea (quién trabaja aquí)").click()
    box = page.get_by_role("checkbox", name="registro.arauca")
    assert not box.is_checked()
    box.check()
    screenshot(page, "staff-laptop")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_text("Equipo de la asamblea guardado.").wait_for()
    assert page.get_by_role("checkbox", name="registro.arauca").is_checked()
    db.session.expire_all()
    assert assembly.id in organiser.assembly_ids
    phone = new_page(viewport=PHONE)
    log_in(phone, admin)
    phone.goto(f"/assemblies/{assembly.id}/staff")
    screenshot(phone, "staff-phone")
