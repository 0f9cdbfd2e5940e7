"""The satisfaction survey: configured and opened by staff, answered with the ticket (one
answer per ticket), counted live. Services flush, never commit nor emit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.auth.models import User
from assembly.board import services as board
from assembly.errors import Conflict, InvalidInput, PermissionDenied
from assembly.extensions import db
from assembly.followup import survey_domain as rules
from assembly.followup.models import Survey, SurveyAnswer
from assembly.grouping.models import Group
from assembly.helpers import utcnow
from assembly.registration.models import Attendee
from assembly.registration.services import attendee_by_token


def _invalid(error: rules.SurveyError) -> InvalidInput:
    return InvalidInput(error.message, fields=error.fields)


def survey_of(assembly_id: int) -> Survey | None:
    return db.session.get(Survey, assembly_id)


def questions_of(survey: Survey | None) -> list[dict]:
    return list(survey.questions) if survey and survey.questions else list(rules.DEFAULT_QUESTIONS)


def window_of(survey: Survey | None) -> rules.Window:
    if survey is None:
        return rules.Window(None, None)
    return rules.Window(survey.opened_at, survey.closes_at)


def state_of(survey: Survey | None, now=None) -> str:
    """borrador, abierta or cerrada."""
    return window_of(survey).state(now or utcnow())


def _ensure(assembly_id: int) -> Survey:
    survey = survey_of(assembly_id)
    if survey is None:
        survey = Survey(
            assembly_id=assembly_id,
            questions=list(rules.DEFAULT_QUESTIONS),
            window_hours=rules.DEFAULT_WINDOW_HOURS,
        )
        db.session.add(survey)
        db.session.flush()
    return survey


def answer_count(assembly_id: int) -> int:
    return db.session.scalar(
        select(func.count(SurveyAnswer.id)).where(SurveyAnswer.assembly_id == assembly_id)
    )


def configure(actor: User | None, assembly_id: int, raw: dict) -> Survey:
    """Staff set the questions (only before the first answer) and the hours it stays open."""
    survey = _ensure(assembly_id)
    try:
        hours = rules.parse_window(raw.get("window_hours"))
        questions = rules.parse_questions(raw.get("questions", ""), questions_of(survey))
    except rules.SurveyError as error:
        raise _invalid(error) from None
    if questions != questions_of(survey) and answer_count(assembly_id):
        raise Conflict(_("Ya hay respuestas: las preguntas no se pueden cambiar."))
    survey.questions = questions
    survey.window_hours = hours
    survey.updated_at = utcnow()
    db.session.flush()
    return survey


def open_survey(actor: User | None, assembly_id: int, now=None) -> Survey:
    """Open (or open again) for the configured number of hours from now."""
    survey = _ensure(assembly_id)
    window = rules.opening(now or utcnow(), survey.window_hours)
    survey.opened_at, survey.closes_at = window.opened_at, window.closes_at
    survey.opened_by_id = actor.id if actor else None
    survey.updated_at = utcnow()
    db.session.flush()
    return survey


def close_survey(actor: User | None, assembly_id: int, now=None) -> Survey:
    survey = survey_of(assembly_id)
    if survey is None or state_of(survey, now) != "abierta":
        raise Conflict(_("La encuesta no está abierta."))
    survey.closes_at = now or utcnow()
    survey.updated_at = utcnow()
    db.session.flush()
    return survey


def show_qr_big(actor: User | None, assembly_id: int, shown: bool) -> dict:
    """The survey's QR full height on every board screen (the back of the hall scans it), or
    back to its corner. Only while the survey is open. Returns the board's plenary state."""
    if shown and state_of(survey_of(assembly_id)) != "abierta":
        raise Conflict(_("La encuesta no está abierta."))
    return board.set_big_qr(actor, assembly_id, "survey", shown)


def qr_is_big(assembly_id: int, survey: Survey | None) -> bool:
    """Whether the board shows the survey's QR full height now (only while it is open)."""
    return state_of(survey) == "abierta" and board.plenary_state(assembly_id)["big_qr"] == "survey"


def answer_of(attendee: Attendee) -> SurveyAnswer | None:
    return db.session.scalar(
        select(SurveyAnswer).where(
            SurveyAnswer.assembly_id == attendee.assembly_id,
            SurveyAnswer.attendee_id == attendee.id,
        )
    )


def answer(token: str, raw: dict, now=None) -> SurveyAnswer:
    """An attendee answers with the ticket: while the survey is open, once per ticket, only
    after having attended (checked in at the desk)."""
    attendee = attendee_by_token(token)
    survey = survey_of(attendee.assembly_id)
    state = state_of(survey, now)
    if state == "borrador":
        raise Conflict(_("La encuesta todavía no está abierta."), code="closed")
    if state == "cerrada":
        raise Conflict(_("La encuesta ya cerró. Gracias."), code="closed")
    if attendee.checked_in_at is None:
        raise PermissionDenied(_("Solo quienes asistieron a la asamblea pueden responder."))
    if answer_of(attendee) is not None:
        raise Conflict(_("Ya respondió la encuesta con este tiquete. Gracias."))
    try:
        answers = rules.clean_answer(questions_of(survey), raw)
    except rules.SurveyError as error:
        raise _invalid(error) from None
    row = SurveyAnswer(
        assembly_id=attendee.assembly_id,
        attendee_id=attendee.id,
        group_id=attendee.group_id,
        answers=answers,
    )
    db.session.add(row)
    db.session.flush()
    return row


def answers_of(assembly_ids: list[int]) -> list[SurveyAnswer]:
    return db.session.scalars(
        select(SurveyAnswer)
        .where(SurveyAnswer.assembly_id.in_(assembly_ids))
        .order_by(SurveyAnswer.id)
    ).all()


def results(assembly_id: int, k: int = 1) -> dict:
    """The live results: per question, and the scale means per mesa (mesas with fewer than
    ``k`` answers are left out)."""
    survey = survey_of(assembly_id)
    questions = questions_of(survey)
    found = answers_of([assembly_id])
    numbers = dict(
        db.session.execute(
            select(Group.id, Group.number).where(Group.assembly_id == assembly_id)
        ).all()
    )
    by_mesa = [
        (_("Mesa %(n)s", n=numbers[a.group_id]) if a.group_id in numbers else _("Sin mesa"),
         a.answers)
        for a in found
    ]  # fmt: skip
    mesas = sorted(
        rules.means_by(questions, by_mesa, k), key=lambda r: (len(r["label"]), r["label"])
    )
    return {
        "n": len(found),
        "questions": questions,
        "tally": rules.tally(questions, [a.answers for a in found]),
        "by_mesa": mesas,
    }


def forget_comments(attendee: Attendee) -> int:
    """The person's data was erased: the free texts of their answer go too (the scale and
    yes/no answers stay, as the counts do). Returns how many texts were cleared."""
    row = answer_of(attendee)
    if row is None:
        return 0
    texts = {q["key"] for q in questions_of(survey_of(attendee.assembly_id)) if q["kind"] == "text"}
    kept = {key: value for key, value in row.answers.items() if key not in texts}
    cleared = len(row.answers) - len(kept)
    if cleared:
        row.answers = kept
        db.session.flush()
    return cleared
