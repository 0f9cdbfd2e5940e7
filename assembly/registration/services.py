"""Registering people: one path for the public form, the desk and imports.  Flush, never commit."""

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from assembly.assemblies.models import Assembly, ExtraQuestion
from assembly.core.ordering import moved, renumber
from assembly.core.paging import Page, page_of
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.helpers import utcnow
from assembly.marks import N_
from assembly.registration import domain
from assembly.registration.domain.fields import CONSENT_CHANNELS, CONSENT_VERSION
from assembly.registration.models import Attendee

SOURCES = {
    "preregistro": N_("Preinscripción"),
    "mesa": N_("Mesa de registro"),
    "importado": N_("Lista importada"),
}


class DuplicateDocument(Conflict):
    """The document is already registered in this assembly; ``holder`` is that record (staff
    screens offer it, the public form never names it)."""

    def __init__(self, document_number: str, holder: Attendee):
        super().__init__(
            _(
                "El documento %(number)s ya está inscrito a nombre de %(name)s.",
                number=document_number,
                name=holder.full_name,
            ),
            fields={"document_number": _("Este documento ya está inscrito en esta asamblea.")},
        )
        self.holder = holder


def new_ticket_token() -> str:
    """32 random bytes, URL-safe: the QR ticket; never derived from the person's data."""
    return secrets.token_urlsafe(32)


def extra_questions_of(assembly: Assembly) -> list[domain.ExtraQuestion]:
    return [
        domain.ExtraQuestion(q.id, q.label, q.kind, tuple(q.choices or ()), q.required)
        for q in assembly.extra_questions
    ]


def validate(assembly: Assembly, raw: Mapping[str, object], *, today: date) -> dict:
    """The clean record, or InvalidInput carrying one Spanish message per bad field."""
    clean, errors = domain.validate_registration(
        raw,
        theme_ids={theme.id for theme in assembly.themes},
        extra_questions=extra_questions_of(assembly),
        today=today,
    )
    if errors:
        raise InvalidInput(
            _("El formulario tiene %(n)s campo(s) por corregir.", n=len(errors)), fields=errors
        )
    return clean


def find_by_document(assembly_id: int, document_number: str) -> Attendee | None:
    return db.session.scalar(
        select(Attendee).where(
            Attendee.assembly_id == assembly_id,
            Attendee.document_number == domain.normalize_document(document_number),
        )
    )


def register(
    assembly: Assembly, raw: Mapping[str, object], *, source: str, today: date
) -> Attendee:
    """Validate and store one registration; a document already registered here is a Conflict
    that names who holds it (the desk offers that record instead)."""
    clean = validate(assembly, raw, today=today)
    holder = find_by_document(assembly.id, clean["document_number"])
    if holder is not None:
        raise DuplicateDocument(clean["document_number"], holder)
    attendee = Attendee(
        assembly_id=assembly.id,
        ticket_token=new_ticket_token(),
        source=source,
        **attendee_columns(clean),
    )
    if attendee.consent_data:  # Ley 1581: when, how, and which text
        attendee.consent_at = utcnow()
        attendee.consent_channel = CONSENT_CHANNELS.get(source, source)
        attendee.consent_version = CONSENT_VERSION
    db.session.add(attendee)
    _flush_or_duplicate(assembly.id, clean["document_number"])
    return attendee


def register_public(assembly: Assembly, raw: Mapping[str, object], *, today: date) -> bool:
    """The public form's registration: True when stored, False when the document was already
    registered here (nothing changes).  Both run the same statements — one ``INSERT … ON
    CONFLICT DO NOTHING`` on the assembly's document — so neither the answer nor the time it
    takes tells anyone by number who signed up (issue 17.2)."""
    clean = validate(assembly, raw, today=today)
    values = {
        "assembly_id": assembly.id,
        "ticket_token": new_ticket_token(),
        "source": "preregistro",
        **attendee_columns(clean),
    }
    if values.get("consent_data"):  # Ley 1581: when, how, and which text
        values["consent_at"] = utcnow()
        values["consent_channel"] = CONSENT_CHANNELS.get("preregistro", "preregistro")
        values["consent_version"] = CONSENT_VERSION
    postgres = db.session.get_bind().dialect.name == "postgresql"
    statement = (postgresql_insert if postgres else sqlite_insert)(Attendee).values(**values)
    statement = statement.on_conflict_do_nothing(
        index_elements=[Attendee.assembly_id, Attendee.document_number]
    )
    return db.session.execute(statement).rowcount == 1


def _flush_or_duplicate(assembly_id: int, document_number: str) -> None:
    """Flush; when a concurrent request stored the same document first (the unique
    constraint fires), answer as if it had been found before."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        holder = find_by_document(assembly_id, document_number)
        if holder is None:
            raise
        raise DuplicateDocument(document_number, holder) from None


def update(
    assembly: Assembly, attendee: Attendee, raw: Mapping[str, object], *, today: date
) -> Attendee:
    """Replace an attendee's form data (the desk's correction); ticket, source, check-in and
    seat stay. Moving to a document someone else holds is a DuplicateDocument."""
    if attendee.assembly_id != assembly.id:
        raise NotFound(_("La persona no está inscrita en esta asamblea."))
    clean = validate(assembly, raw, today=today)
    holder = find_by_document(assembly.id, clean["document_number"])
    if holder is not None and holder.id != attendee.id:
        raise DuplicateDocument(clean["document_number"], holder)
    for key, value in attendee_columns(clean).items():
        setattr(attendee, key, value)
    _flush_or_duplicate(assembly.id, clean["document_number"])
    return attendee


def form_values(attendee: Attendee) -> dict[str, str]:
    """An attendee as the form's raw text values, for the edit form."""
    values: dict[str, str] = {}
    for field in domain.FIELDS:
        value = getattr(attendee, field.key)
        if isinstance(value, bool):
            values[field.key] = "si" if value else ("no" if field.kind == "bool" else "")
        elif value is None:
            values[field.key] = ""
        elif isinstance(value, date):
            values[field.key] = value.isoformat()
        else:
            values[field.key] = str(value)
    for key, answer in (attendee.extra_answers or {}).items():
        if isinstance(answer, bool):
            values[f"extra_{key}"] = "si" if answer else "no"
        elif answer is not None:
            values[f"extra_{key}"] = str(answer)
    return values


def get_attendee(assembly_id: int, attendee_id: int) -> Attendee:
    attendee = db.session.get(Attendee, attendee_id)
    if attendee is None or attendee.assembly_id != assembly_id:
        raise NotFound(_("La persona no está inscrita en esta asamblea."))
    return attendee


def ticket_owner(token: str) -> Attendee | None:
    """The ticket's owner; None for any token that is not one (the one ticket lookup)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token or ""):
        return None
    return db.session.scalar(select(Attendee).where(Attendee.ticket_token == token))


def attendee_by_token(token: str) -> Attendee:
    """The ticket's owner; NotFound for any token that is not one (no hint why)."""
    attendee = ticket_owner(token)
    if attendee is None:
        raise NotFound(_("Este tiquete no existe. Revise el enlace o pida uno nuevo en la mesa."))
    return attendee


def _search_condition(query: str):
    words = domain.normalize_name(query).split()
    conditions = []
    if words:
        conditions.append(and_(*(Attendee.name_key.contains(word) for word in words)))
    document = domain.normalize_document(query).upper()
    if re.fullmatch(r"[A-Z0-9]{3,20}", document) and any(c.isdigit() for c in document):
        conditions.append(Attendee.document_number.startswith(document))
    return or_(*conditions) if conditions else None


def search_attendees(
    assembly_id: int, query: str = "", *, page: int = 1, per_page: int = 50
) -> tuple[list[Attendee], int]:
    """One page of the assembly's attendees by name, matching every word (accents and case
    ignored) or the start of the document number; with the number of matches."""
    where = [Attendee.assembly_id == assembly_id]
    condition = _search_condition(query) if query.strip() else None
    if query.strip() and condition is None:
        return [], 0
    if condition is not None:
        where.append(condition)
    total = db.session.scalar(select(func.count(Attendee.id)).where(*where)) or 0
    rows = db.session.scalars(
        select(Attendee)
        .where(*where)
        .order_by(Attendee.name_key, Attendee.id)
        .offset(max(page - 1, 0) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def attendee_counts(assembly_id: int) -> dict[str, int]:
    """Registered, checked in, and registered per source (preregistro, mesa, importado)."""
    rows = db.session.execute(
        select(Attendee.source, func.count(Attendee.id), func.count(Attendee.checked_in_at))
        .where(Attendee.assembly_id == assembly_id)
        .group_by(Attendee.source)
    ).all()
    counts = {"registered": 0, "checked_in": 0, **{source: 0 for source in SOURCES}}
    for source, registered, checked_in in rows:
        counts[source] = registered
        counts["registered"] += registered
        counts["checked_in"] += checked_in
    return counts


def attendees_for_badges(
    assembly_id: int, ids: Iterable[int] | None, *, page: object = 1, per_page: int
) -> tuple[list[Attendee], Page]:
    """One page of the attendees to print (``ids`` None: everyone in the assembly), by name
    then id, so that the pages together hold each person exactly once; their mesa and
    sub-mesa loaded with them (two queries, not two per badge)."""
    chosen = [Attendee.assembly_id == assembly_id]
    if ids is not None:
        chosen.append(Attendee.id.in_(sorted(ids)))
    total = db.session.scalar(select(func.count(Attendee.id)).where(*chosen)) or 0
    shown = page_of(total, per_page, page)
    rows = db.session.scalars(
        select(Attendee)
        .where(*chosen)
        .options(selectinload(Attendee.group), selectinload(Attendee.table))
        .order_by(Attendee.name_key, Attendee.id)
        .offset(shown.offset)
        .limit(per_page)
    )
    return list(rows), shown


# --- extra questions --------------------------------------------------------------------------


def _question(assembly_id: int, question_id: int) -> ExtraQuestion:
    question = db.session.get(ExtraQuestion, question_id)
    if question is None or question.assembly_id != assembly_id:
        raise NotFound(_("La pregunta no existe en esta asamblea."))
    return question


def _clean_question(raw: Mapping[str, object]) -> dict:
    clean, errors = domain.clean_extra_question(raw)
    if errors:
        raise InvalidInput(" ".join(errors.values()), fields=errors)
    return clean


def add_question(actor, assembly: Assembly, raw: Mapping[str, object]) -> ExtraQuestion:
    """A new extra question at the end of the assembly's form."""
    clean = _clean_question(raw)
    position = max((q.position for q in assembly.extra_questions), default=0) + 1
    question = ExtraQuestion(assembly_id=assembly.id, position=position, **clean)
    assembly.extra_questions.append(question)
    db.session.flush()
    return question


def update_question(
    actor, assembly: Assembly, question_id: int, raw: Mapping[str, object]
) -> ExtraQuestion:
    """Change a question's text, kind, options or required flag (answers already given stay)."""
    question = _question(assembly.id, question_id)
    for key, value in _clean_question(raw).items():
        setattr(question, key, value)
    db.session.flush()
    return question


def delete_question(actor, assembly: Assembly, question_id: int) -> None:
    question = _question(assembly.id, question_id)
    assembly.extra_questions.remove(question)
    db.session.delete(question)
    db.session.flush()
    renumber(assembly.extra_questions)


def move_question(actor, assembly: Assembly, question_id: int, delta: int) -> None:
    question = _question(assembly.id, question_id)
    questions = list(assembly.extra_questions)
    renumber(moved(questions, questions.index(question), delta))
    assembly.extra_questions.sort(key=lambda q: q.position)


def attendee_columns(clean: dict) -> dict:
    columns = set(Attendee.__table__.columns.keys())
    return {key: value for key, value in clean.items() if key in columns}
