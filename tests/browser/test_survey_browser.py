"""The satisfaction survey in Chromium: the moderator opens it, an attendee answers on the
phone from the ticket page, the console's results follow without a reload."""

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from assembly.extensions import db
from assembly.followup import lessons, survey
from assembly.followup.models import SurveyAnswer
from assembly.grouping.models import Group
from tests.browser.conftest import LAPTOP, PHONE, SCREENSHOTS, log_in, screenshot

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"


def screenshot_path(name):
    return SCREENSHOTS / f"{name}.png"


def test_the_room_answers_the_survey_and_the_console_follows(
    new_page, make_user, make_assembly, make_attendee
):
    assembly = make_assembly(name="Asamblea Regional PIT Arauca")
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    person = make_attendee(
        assembly,
        first_names="Luz Marina",
        checked_in_at=datetime(2026, 3, 14, 8),
        group_id=group.id,
    )
    moderator = make_user("moderator")

    console = new_page(LAPTOP)
    log_in(console, moderator)
    console.goto(f"/assemblies/{assembly.id}/encuesta")
    assert "Sin abrir" in console.locator("[data-survey-state]").inner_text()
    console.get_by_role("button", name="Abrir la encuesta").click()
    console.wait_for_url(f"**/assemblies/{assembly.id}/encuesta")
    assert "Abierta" in console.locator("[data-survey-state]").inner_text()
    console.locator("[data-survey-console][data-live=joined]").wait_for()
    plenary = new_page(LAPTOP)  # the plenary console shows the survey too, live
    log_in(plenary, moderator)
    plenary.goto(f"/assemblies/{assembly.id}/plenaria")
    plenary.locator(".console-survey [data-survey-console][data-live=joined]").wait_for()
    assert "0 respuestas" in plenary.locator(".console-survey").inner_text()

    phone = new_page(PHONE)
    phone.goto(f"/t/{person.ticket_token}")
    phone.get_by_role("link", name="Responder la encuesta").click()
    phone.wait_for_url(f"**/encuesta/{person.ticket_token}")
    phone.get_by_role("button", name="Enviar mis respuestas").click()  # nothing chosen
    assert phone.locator(".survey-question.has-error").count() == 4
    screenshot(phone, "survey-answer-errors-phone")
    for name, value in (("overall", "5"), ("mesa", "4"), ("organization", "4"), ("again", "si")):
        phone.locator(f'input[name="{name}"][value="{value}"]').check()
    phone.get_by_label("Comentario libre").fill("Muy buena organización")
    screenshot(phone, "survey-answer-phone")
    phone.get_by_role("button", name="Enviar mis respuestas").click()
    phone.get_by_text("Gracias: su respuesta quedó registrada.").wait_for()
    assert "Ya respondió la encuesta" in phone.content()

    console.locator("[data-survey-count]", has_text="1 respuesta").wait_for()
    assert "Promedio: 5.0 de 5" in console.locator("[data-survey-results]").inner_text()
    screenshot(console, "survey-console-laptop")
    plenary.locator(".console-survey [data-survey-count]", has_text="1 respuesta").wait_for()
    assert "Promedio: 5.0 de 5" in plenary.locator(".console-survey").inner_text()
    plenary.locator(".console-survey").screenshot(path=str(screenshot_path("plenary-survey-panel")))
    db.session.rollback()
    assert db.session.scalar(select(SurveyAnswer.answers))["comment"] == "Muy buena organización"

    projector = new_page({"width": 1920, "height": 1080})
    log_in(projector, moderator)
    projector.goto(f"/assemblies/{assembly.id}/encuesta/proyectar")
    assert projector.locator(".survey-projector-qr svg").is_visible()
    screenshot(projector, "survey-projector")


def test_the_survey_and_the_lessons_form_pass_axe(
    new_page, make_user, make_assembly, make_attendee
):
    """WCAG 2 A/AA rules of axe-core on the attendee's survey (phone) and the card form."""
    assembly = make_assembly()
    person = make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8))
    survey.open_survey(None, assembly.id)
    lessons.add_default_areas()
    db.session.commit()
    phone = new_page(PHONE, bypass_csp=True)
    phone.goto(f"/encuesta/{person.ticket_token}")
    phone.get_by_role("button", name="Enviar mis respuestas").click()  # with its errors shown
    assert _axe(phone) == []
    laptop = new_page(LAPTOP, bypass_csp=True)
    log_in(laptop, make_user("organizer"))
    laptop.goto(f"/assemblies/{assembly.id}/lecciones/nueva")
    assert _axe(laptop) == []


def _axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result]
