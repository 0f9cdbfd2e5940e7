"""The record of Moments 2 and 3 in Chromium: the moderator notes an offer on the phone and
the note is listed, ready for the acta."""

from tests.browser.conftest import PHONE, log_in, screenshot


def test_the_moderator_notes_an_offer_and_an_experience(new_page, make_user, make_assembly):
    assembly = make_assembly(name="Asamblea Regional PIT Arauca")
    page = new_page(PHONE)
    log_in(page, make_user("moderator"))
    page.goto(f"/assemblies/{assembly.id}/momentos")
    page.get_by_label("Oferta institucional (Momento 2)").check()
    page.get_by_label("Quién (aliado, institución o asociación)").fill("SENA Regional Arauca")
    page.get_by_label("La oferta o la experiencia").fill("Cursos de cooperativismo en 2025")
    page.get_by_role("button", name="Guardar la nota").click()
    page.get_by_text("Nota guardada: irá al acta.").wait_for()
    page.get_by_label("Experiencia (Momento 3)").check()
    page.get_by_label("Quién (aliado, institución o asociación)").fill("Asociación de Cacaoteros")
    page.get_by_label("La oferta o la experiencia").fill("Vendieron juntos a un comprador nacional")
    page.get_by_label("Lecciones (experiencia)").fill("Comprar insumos en común baja costos")
    page.get_by_role("button", name="Guardar la nota").click()
    page.get_by_text("Nota guardada: irá al acta.").wait_for()
    assert page.locator("#oferta li", has_text="SENA Regional Arauca").count() == 1
    assert page.locator("#experiencia li", has_text="Comprar insumos en común").count() == 1
    screenshot(page, "moment-notes-phone")
