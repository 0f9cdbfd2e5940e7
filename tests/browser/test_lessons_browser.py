"""Lessons-learned cards in Chromium: staff fill a card on the phone, find it again and
print it (one card per A4 page)."""

from sqlalchemy import select

from assembly.extensions import db
from assembly.followup import lessons
from assembly.followup.models import LessonCard
from tests.browser.conftest import PHONE, log_in, screenshot


def test_staff_fill_a_card_find_it_and_print_it(new_page, make_user, make_assembly):
    assembly = make_assembly(name="Asamblea Regional PIT Arauca")
    lessons.add_default_areas()
    db.session.commit()
    organizer = make_user("organizer")

    page = new_page(PHONE)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/lecciones")
    page.get_by_role("link", name="Nueva ficha").click()
    page.get_by_label("Área a la que corresponde").select_option(
        label="Inclusión económica y social (ISE)"
    )
    page.get_by_label("Lección positiva").check()
    page.get_by_label("Hallazgo *").fill(
        "Las redes de apoyo entre participantes crean apoyo mutuo."
    )
    page.get_by_label("Lección aprendida *").fill("Fomentar redes de apoyo entre organizaciones.")
    page.get_by_label("Territorio").fill("Arauca")
    page.get_by_label("j) Enfoque pansocial").check()
    page.get_by_label("16. Empoderar a los migrantes").check()
    screenshot(page, "lesson-form-phone")
    page.get_by_role("button", name="Guardar la ficha").click()
    page.get_by_text("Ficha LA1_ISE guardada.").wait_for()
    db.session.rollback()
    card = db.session.scalar(select(LessonCard))
    assert card.gcm_principles == ["j"] and card.gcm_objectives == [16]

    page.goto("/lecciones?q=redes")
    assert page.locator(".lesson-item", has_text="LA1_ISE").count() == 1
    screenshot(page, "lessons-search-phone")

    sheet = new_page({"width": 1280, "height": 720})
    log_in(sheet, organizer)
    sheet.goto(f"/assemblies/{assembly.id}/lecciones/imprimir")
    sheet.emulate_media(media="print")
    assert sheet.locator(".lesson-card").count() == 1
    assert sheet.locator(".no-print").first.is_hidden()
    screenshot(sheet, "lesson-print-a4")
