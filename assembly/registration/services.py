"""Registering people: one path for the public form, the desk and imports.  Flush, never commit."""

import secrets
from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from assembly.assemblies.models import Assembly
from assembly.errors import Conflict, InvalidInput
from assembly.extensions import db
from assembly.registration import domain
from assembly.registration.models import Attendee

SOURCES = {
    "preregistro": "Preinscripción",
    "mesa": "Mesa de registro",
    "importado": "Lista importada",
}


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
            f"El formulario tiene {len(errors)} campo(s) por corregir.", fields=errors
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
        raise Conflict(
            f"El documento {clean['document_number']} ya está inscrito a nombre de {holder.full_name}.",
            fields={"document_number": "Este documento ya está inscrito en esta asamblea."},
        )
    attendee = Attendee(
        assembly_id=assembly.id, ticket_token=new_ticket_token(), source=source, **_columns(clean)
    )
    db.session.add(attendee)
    db.session.flush()
    return attendee


def _columns(clean: dict) -> dict:
    columns = set(Attendee.__table__.columns.keys())
    return {key: value for key, value in clean.items() if key in columns}
