"""The record of Moments 2 and 3: staff note offers and experiences live; the acta reads them.
Services flush, never commit nor emit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.agenda.domain import notes as rules
from assembly.agenda.models import MomentNote
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.models import User
from assembly.errors import NotFound, refuse_fields
from assembly.extensions import db


def notes_of(assembly_id: int) -> list[MomentNote]:
    """Offers first (Moment 2), then experiences (Moment 3), each in the order noted."""
    found = db.session.scalars(
        select(MomentNote).where(MomentNote.assembly_id == assembly_id).order_by(MomentNote.id)
    ).all()
    return sorted(found, key=lambda n: list(rules.KINDS).index(n.kind))


def add_note(actor: User | None, assembly_id: int, raw: dict) -> MomentNote:
    """A new note; refused once the assembly is closed (the acta is already signed)."""
    ensure_writable(get_assembly(assembly_id))
    clean, errors = rules.clean_note(raw)
    refuse_fields(errors)
    note = MomentNote(assembly_id=assembly_id, created_by_id=actor.id if actor else None, **clean)
    db.session.add(note)
    db.session.flush()
    return note


def get_note(assembly_id: int, note_id: int) -> MomentNote:
    note = db.session.get(MomentNote, note_id)
    if note is None or note.assembly_id != assembly_id:
        raise NotFound(_("La nota no existe en esta asamblea."))
    return note


def delete_note(actor: User | None, assembly_id: int, note_id: int) -> None:
    ensure_writable(get_assembly(assembly_id))
    db.session.delete(get_note(assembly_id, note_id))
    db.session.flush()


def acta_notes(assembly_id: int) -> list[dict]:
    """The notes as plain data for the acta's snapshot."""
    return [
        {"kind": n.kind, "who": n.who, "summary": n.summary, "details": n.details,
         "lessons": n.lessons, "practices": n.practices}
        for n in notes_of(assembly_id)
    ]  # fmt: skip
