"""The satisfaction survey (issue 19.4): the moderator opens it for a window that outlasts the
assembly's close; attendees answer from the ticket page or the projected QR, once per ticket;
the console's results come by question and by mesa."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from assembly.assemblies import services as assemblies
from assembly.errors import Conflict, PermissionDenied
from assembly.extensions import db
from assembly.followup import survey
from assembly.followup.models import SurveyAnswer
from assembly.grouping.models import Group
from assembly.registration import privacy

GOOD = {"overall": "5", "mesa": "4", "organization": "3", "again": "si", "comment": "Gracias"}
ARRIVED = datetime(2026, 3, 14, 8)


@pytest.fixture
def room(make_assembly, make_attendee):
    assembly = make_assembly()
    groups = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    people = [
        make_attendee(assembly, checked_in_at=ARRIVED, group_id=groups[i % 2].id) for i in range(4)
    ]
    return {"assembly": assembly, "groups": groups, "people": people}


def _open(assembly_id):
    survey.open_survey(None, assembly_id)
    db.session.commit()


def test_the_moderator_opens_the_survey_and_an_attendee_answers_from_the_ticket_page(
    room, client, auth
):
    assembly, person = room["assembly"], room["people"][0]
    ticket = client.get(f"/t/{person.ticket_token}").get_data(as_text=True)
    assert "Encuesta de satisfacción" not in ticket  # not open yet
    auth.login("moderator")
    response = client.post(f"/assemblies/{assembly.id}/encuesta", data={"action": "open"})
    assert response.status_code == 302
    auth.logout()
    ticket = client.get(f"/t/{person.ticket_token}").get_data(as_text=True)
    assert "Responder la encuesta" in ticket and f"/encuesta/{person.ticket_token}" in ticket
    page = client.get(f"/encuesta/{person.ticket_token}").get_data(as_text=True)
    assert "Satisfacción general con la asamblea" in page and 'name="overall"' in page
    response = client.post(f"/encuesta/{person.ticket_token}", data=GOOD)
    assert response.status_code == 302
    stored = db.session.scalar(select(SurveyAnswer))
    assert stored.attendee_id == person.id and stored.group_id == person.group_id
    assert stored.answers == {
        "overall": 5, "mesa": 4, "organization": 3, "again": True, "comment": "Gracias",
    }  # fmt: skip
    ticket = client.get(f"/t/{person.ticket_token}").get_data(as_text=True)
    assert "Ya respondió la encuesta" in ticket


def test_one_answer_per_ticket(room, client):
    _open(room["assembly"].id)
    token = room["people"][0].ticket_token
    assert client.post(f"/encuesta/{token}", data=GOOD).status_code == 302
    again = client.post(f"/encuesta/{token}", data={**GOOD, "overall": "1"})
    assert again.status_code == 409
    assert "Ya respondió la encuesta con este tiquete" in again.get_data(as_text=True)
    assert [a.answers["overall"] for a in db.session.scalars(select(SurveyAnswer))] == [5]


def test_an_incomplete_answer_comes_back_with_why_and_nothing_is_stored(room, client):
    _open(room["assembly"].id)
    token = room["people"][0].ticket_token
    response = client.post(f"/encuesta/{token}", data={"overall": "5", "comment": "hola"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Revise las preguntas marcadas." in page and "Elija sí o no." in page
    assert "hola" in page  # the comment typed stays in the form
    assert db.session.scalar(select(SurveyAnswer)) is None


def test_only_people_who_attended_answer(room, make_attendee):
    _open(room["assembly"].id)
    absent = make_attendee(room["assembly"])
    with pytest.raises(PermissionDenied, match="Solo quienes asistieron"):
        survey.answer(absent.ticket_token, GOOD)


def test_the_survey_stays_open_after_the_assembly_closes_until_its_window_ends(room):
    assembly = room["assembly"]
    opened = datetime(2026, 3, 14, 16, 30)
    survey.open_survey(None, assembly.id, now=opened)
    db.session.commit()
    assemblies.close_assembly(None, assembly, reason="Prueba: cierre con mesas sin decidir")
    db.session.commit()
    people = room["people"]
    survey.answer(people[0].ticket_token, GOOD, now=opened + timedelta(hours=47))
    with pytest.raises(Conflict, match="La encuesta ya cerró") as refused:
        survey.answer(people[1].ticket_token, GOOD, now=opened + timedelta(hours=48))
    assert refused.value.code == "closed"


def test_answers_before_opening_and_after_an_early_close_are_refused(room):
    assembly, token = room["assembly"], room["people"][0].ticket_token
    with pytest.raises(Conflict, match="todavía no está abierta"):
        survey.answer(token, GOOD)
    _open(assembly.id)
    survey.close_survey(None, assembly.id)
    db.session.commit()
    with pytest.raises(Conflict, match="ya cerró"):
        survey.answer(token, GOOD)
    with pytest.raises(Conflict, match="no está abierta"):
        survey.close_survey(None, assembly.id)


def test_questions_are_configurable_until_the_first_answer(room, client, auth):
    assembly = room["assembly"]
    auth.login("moderator")
    text = "escala | ¿Qué tan útil fue la jornada?\nsino | ¿Volvería?\ntexto | Sugerencias"
    response = client.post(
        f"/assemblies/{assembly.id}/encuesta",
        data={"action": "settings", "questions": text, "window_hours": "24"},
    )
    assert response.status_code == 302
    current = survey.survey_of(assembly.id)
    assert [q["kind"] for q in current.questions] == ["scale", "yesno", "text"]
    assert current.window_hours == 24
    bad = client.post(
        f"/assemblies/{assembly.id}/encuesta",
        data={"action": "settings", "questions": "nada", "window_hours": "0"},
    )
    assert bad.status_code == 422
    assert "Las horas abierta deben ser un número entero" in bad.get_data(as_text=True)
    _open(assembly.id)
    keys = [q["key"] for q in current.questions]
    survey.answer(room["people"][0].ticket_token, {keys[0]: "4", keys[1]: "no"})
    db.session.commit()
    with pytest.raises(Conflict, match="Ya hay respuestas"):
        survey.configure(None, assembly.id, {"questions": "escala | Otra", "window_hours": "24"})


def test_a_facilitator_cannot_open_the_survey(room, client, auth):
    auth.login("facilitator")
    response = client.post(f"/assemblies/{room['assembly'].id}/encuesta", data={"action": "open"})
    assert response.status_code == 403
    assert survey.survey_of(room["assembly"].id) is None


def test_the_console_shows_results_by_question_and_by_mesa(room, client, auth):
    assembly, people = room["assembly"], room["people"]
    _open(assembly.id)
    for person, score in zip(people, ("5", "3", "4", "2"), strict=True):
        survey.answer(person.ticket_token, {**GOOD, "overall": score})
    db.session.commit()
    results = survey.results(assembly.id)
    overall = results["tally"][0]
    assert overall["counts"] == [0, 1, 1, 1, 1] and overall["mean"] == 3.5
    numbers = [g.number for g in room["groups"]]
    assert [(r["label"], r["n"], r["means"]["overall"]) for r in results["by_mesa"]] == [
        (f"Mesa {numbers[0]}", 2, 4.5),
        (f"Mesa {numbers[1]}", 2, 2.5),
    ]
    auth.login("moderator")
    page = client.get(f"/assemblies/{assembly.id}/encuesta").get_data(as_text=True)
    assert "4 respuestas" in page and "Promedio: 3.5 de 5" in page and "Gracias" in page
    partial = client.get(f"/assemblies/{assembly.id}/encuesta?partial=1").get_data(as_text=True)
    assert "<html" not in partial and "Resultados en vivo" in partial


def _console(room, socket_client, auth):
    """The survey open and a moderator's console joined to its assembly: (assembly, socket)."""
    assembly = room["assembly"]
    _open(assembly.id)
    auth.login("moderator")
    sio = socket_client()
    assert sio.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)["ok"]
    sio.get_received()
    return assembly, sio


def test_an_answer_tells_the_console(room, client, socket_client, auth):
    _assembly, sio = _console(room, socket_client, auth)
    client.post(f"/encuesta/{room['people'][0].ticket_token}", data=GOOD)
    events = [e for e in sio.get_received() if e["name"] == "survey_changed"]
    assert [e["args"][0]["answers"] for e in events] == [1]
    assert "big" not in events[0]["args"][0]  # an answer leaves the QR as it was: no re-read


def test_the_big_qr_toggle_tells_the_consoles_its_size(room, socket_client, auth):
    """The consoles set their «Mostrar QR en grande» button from the event itself."""
    assembly, sio = _console(room, socket_client, auth)
    for shown in (True, False):
        answer = sio.emit("survey_qr", {"assembly_id": assembly.id, "shown": shown}, callback=True)
        assert answer["ok"] and answer["big"] is shown, answer
        events = [e["args"][0] for e in sio.get_received() if e["name"] == "survey_changed"]
        assert [(e["state"], e["big"]) for e in events] == [("abierta", shown)]


def test_the_projected_qr_leads_a_phone_with_its_ticket_cookie_to_its_survey(room, client):
    assembly, person = room["assembly"], room["people"][0]
    entry = client.get(f"/encuesta/asamblea/{assembly.id}")
    assert entry.status_code == 200 and "Identifíquese con su tiquete" in entry.get_data(True)
    pasted = client.post(
        f"/encuesta/asamblea/{assembly.id}", data={"ticket": f"http://x/t/{person.ticket_token}"}
    )
    assert pasted.headers["Location"].endswith(f"/encuesta/{person.ticket_token}")
    wrong = client.post(f"/encuesta/asamblea/{assembly.id}", data={"ticket": "nada"})
    assert wrong.status_code == 422
    client.get(f"/t/{person.ticket_token}")  # the ticket page sets the cookie
    again = client.get(f"/encuesta/asamblea/{assembly.id}")
    assert again.headers["Location"].endswith(f"/encuesta/{person.ticket_token}")


def test_the_plenary_console_shows_the_survey_with_its_buttons_and_summary(room, client, auth):
    assembly = room["assembly"]
    auth.login("moderator")
    console = client.get(f"/assemblies/{assembly.id}/plenaria").get_data(as_text=True)
    assert "Encuesta de satisfacción" in console and "Abrir la encuesta" in console
    _open(assembly.id)
    survey.answer(room["people"][0].ticket_token, GOOD)
    db.session.commit()
    console = client.get(f"/assemblies/{assembly.id}/plenaria").get_data(as_text=True)
    assert "Cerrar la encuesta" in console and "1 respuesta" in console
    summary = client.get(f"/assemblies/{assembly.id}/encuesta?partial=resumen").get_data(True)
    assert "Promedio: 5.0 de 5" in summary and "<section" not in summary


def test_opening_from_the_plenary_console_returns_to_it(room, client, auth):
    auth.login("moderator")
    response = client.post(
        f"/assemblies/{room['assembly'].id}/encuesta", data={"action": "open", "back": "plenaria"}
    )
    assert response.headers["Location"].endswith(f"/assemblies/{room['assembly'].id}/plenaria")
    assert survey.state_of(survey.survey_of(room["assembly"].id)) == "abierta"


def test_erasing_a_person_erases_the_free_comment_of_their_answer(room):
    _open(room["assembly"].id)
    person = room["people"][0]
    survey.answer(person.ticket_token, {**GOOD, "comment": "Soy María, de la vereda El Alto"})
    db.session.commit()
    privacy.erase("admin", person, reason="Retiró su consentimiento")
    db.session.commit()
    stored = db.session.scalar(select(SurveyAnswer))
    assert stored.answers == {"overall": 5, "mesa": 4, "organization": 3, "again": True}


def test_the_survey_page_speaks_english_with_the_default_questions(room, client):
    _open(room["assembly"].id)
    page = client.get(f"/encuesta/{room['people'][0].ticket_token}?lang=en").get_data(True)
    assert "Satisfaction survey" in page and "Overall satisfaction with the assembly" in page
    assert "Would you attend again?" in page and "Send my answers" in page


def test_a_question_the_staff_wrote_is_shown_as_written_in_english(room, client):
    assembly = room["assembly"]
    survey.configure(
        None,
        assembly.id,
        {
            "questions": "escala | Satisfacción general con la asamblea\n"
            "sino | ¿Le sirvió el refrigerio?\n"
            "escala | Organización del evento (logística)",
            "window_hours": "24",
        },
    )
    _open(assembly.id)
    page = client.get(f"/encuesta/{room['people'][0].ticket_token}?lang=en").get_data(True)
    assert "Overall satisfaction with the assembly" in page  # a default keeps its translation
    assert "¿Le sirvió el refrigerio?" in page  # a written one: as written
    assert "Organización del evento (logística)" in page  # an edited default: as written
    assert "Organisation of the event" not in page and "Event organization" not in page


def test_the_projected_board_carries_the_survey_qr_while_it_is_open(room, client, auth):
    assembly = room["assembly"]
    auth.login("moderator")
    board = client.get(f"/assemblies/{assembly.id}/board").get_data(as_text=True)
    corner = re.search(r"<aside class=\"board-survey\"[^>]*>", board).group(0)
    assert " hidden" in corner and 'data-state="borrador"' in corner  # there, not shown
    assert client.get(f"/assemblies/{assembly.id}/encuesta/estado").get_json() == {
        "ok": True,
        "state": "borrador",
        "closes_in": None,
        "big": False,
    }
    _open(assembly.id)
    board = client.get(f"/assemblies/{assembly.id}/board").get_data(as_text=True)
    corner = re.search(r"<aside class=\"board-survey\"[^>]*>", board).group(0)
    assert " hidden" not in corner and 'data-state="abierta"' in corner
    assert f"/encuesta/asamblea/{assembly.id}</p>" in board and "board_survey" in board
    state = client.get(f"/assemblies/{assembly.id}/encuesta/estado").get_json()
    assert state["state"] == "abierta" and 47 * 3600 < state["closes_in"] <= 48 * 3600
    public = client.get(f"/tablero/{assembly.board_token}").get_data(as_text=True)
    assert "board-survey" not in public  # the phones' board: no corner
    auth.logout()
    assert client.get(f"/assemblies/{assembly.id}/encuesta/estado").status_code in (302, 401)
