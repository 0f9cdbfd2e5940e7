"""A later list completes people already registered as "incompleto": only their EMPTY fields
take the row's values, and each field filled is recorded (:class:`ImportFill`: person, field,
value before, value written) so that undoing that import empties exactly those fields again,
except where the value was changed since (a correction stays) or the person has arrived since
(the desk had their data in hand). Flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import and_, insert, or_, select

from assembly.assemblies.models import Assembly
from assembly.extensions import db
from assembly.registration import services
from assembly.registration.models import Attendee, ImportBatch, ImportFill

log = logging.getLogger(__name__)

#: an "incompleto" person (``domain.missing_fields``, as SQL): the desk has not completed the
#: form and a later list may fill it; an erased person is never filled again
INCOMPLETE = and_(
    Attendee.erased_at.is_(None),
    or_(
        Attendee.sex.is_(None),
        Attendee.ethnicity.is_(None),
        Attendee.municipality_code.is_(None),
        and_(Attendee.birth_date.is_(None), Attendee.age_range.is_(None)),
    ),
).label("incomplete")
#: what a later list never changes in a registered person: who they are and their consent
_NEVER_FILLED = frozenset(
    {"document_type", "document_number", "first_names", "last_names", "name_key",
     "consent_data", "consent_photos"}
)  # fmt: skip
_PLACE = frozenset({"department_code", "municipality_code"})
_EXTRA = "extra:"


def _plain(value):
    """A column's value as JSON (a date as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _column_value(key: str, plain):
    """A recorded value back as the column's type."""
    if key == "birth_date" and isinstance(plain, str):
        return dt.date.fromisoformat(plain)
    return plain


def fill_incomplete(
    assembly: Assembly, fills: list[tuple[int, str, dict]], batch: ImportBatch | None = None
) -> int:
    """Complete "incompleto" people from a later list (identity and consent never change,
    nothing stored is overwritten); each field filled is recorded for ``batch``. The number of
    people who gained at least one value."""
    if not fills:
        return 0
    rows = {clean["document_number"]: clean for _, _, clean in fills}
    people = db.session.scalars(
        select(Attendee).where(
            Attendee.assembly_id == assembly.id,
            Attendee.document_number.in_(list(rows)),
            INCOMPLETE,
        )
    )
    written: list[dict] = []
    filled = 0
    for person in people:
        changes = _fill(person, rows[person.document_number])
        written += [
            {"attendee_id": person.id, "field": key, "previous": before, "value": after}
            for key, before, after in changes
        ]
        filled += bool(changes)
    db.session.flush()
    if batch is not None and written:
        db.session.execute(insert(ImportFill), [{**row, "batch_id": batch.id} for row in written])
    return filled


def _fill(person: Attendee, clean: dict) -> list[tuple[str, object, object]]:
    """Fill ``person``'s empty fields from ``clean``; (field, before, written) of each."""
    changes: list[tuple[str, object, object]] = []

    def put(key: str, value) -> None:
        changes.append((key, _plain(getattr(person, key)), _plain(value)))
        setattr(person, key, value)

    if person.municipality_code is None and clean.get("municipality_code"):
        # the place goes as a pair: a municipality always with its own department
        if person.department_code != clean["department_code"]:
            put("department_code", clean["department_code"])
        put("municipality_code", clean["municipality_code"])
    for key, value in services.attendee_columns(clean).items():
        if key in _NEVER_FILLED or value is None or value == {} or key in _PLACE:
            continue
        if key == "disability_kind" and person.has_disability is False:
            continue  # a kind never contradicts a stored "no"
        if key == "extra_answers":
            answers = dict(person.extra_answers or {})
            new = {k: v for k, v in value.items() if v is not None and answers.get(k) is None}
            if new:
                person.extra_answers = {**answers, **new}
                changes += [(f"{_EXTRA}{k}", None, v) for k, v in new.items()]
        elif getattr(person, key) is None:
            put(key, value)
    if person.department_code is None and clean.get("department_code"):
        put("department_code", clean["department_code"])
    return changes


def undo_fills(batch: ImportBatch) -> tuple[int, int]:
    """Empty again what ``batch`` filled in earlier people, field by field, where the value is
    still the one it wrote and the person has not arrived since. (people emptied, fields kept
    because they were corrected since or the person arrived). Flush."""
    recorded = db.session.execute(
        select(ImportFill, Attendee)
        .join(Attendee, Attendee.id == ImportFill.attendee_id)
        .where(ImportFill.batch_id == batch.id)
        .order_by(ImportFill.id)
    ).all()
    by_person: dict[int, tuple[Attendee, list[ImportFill]]] = {}
    for fill, person in recorded:
        by_person.setdefault(person.id, (person, []))[1].append(fill)
    emptied, kept = 0, 0
    for person, person_fills in by_person.values():
        if person.checked_in_at is not None or person.erased_at is not None:
            kept += len(person_fills)
            continue
        reverted = _revert(person, person_fills)
        kept += len(person_fills) - reverted
        emptied += bool(reverted)
    db.session.flush()
    log.info("import batch %d: fields emptied again for %d people", batch.id, emptied)
    return emptied, kept


def _revert(person: Attendee, person_fills: list[ImportFill]) -> int:
    """Restore the fields still as written; how many."""
    fields = {fill.field: fill for fill in person_fills}

    def unchanged(fill: ImportFill) -> bool:
        if fill.field.startswith(_EXTRA):
            return (person.extra_answers or {}).get(fill.field[len(_EXTRA) :]) == fill.value
        return _plain(getattr(person, fill.field)) == fill.value

    place = fields.get("municipality_code")
    # the place goes back as a pair, or not at all (a corrected municipality keeps its
    # department)
    place_back = place is None or unchanged(place)
    reverted = 0
    for fill in person_fills:
        if not unchanged(fill) or (fill.field in _PLACE and not place_back):
            continue
        if fill.field.startswith(_EXTRA):
            answers = dict(person.extra_answers or {})
            answers.pop(fill.field[len(_EXTRA) :], None)
            person.extra_answers = answers
        else:
            setattr(person, fill.field, _column_value(fill.field, fill.previous))
        reverted += 1
    return reverted
