"""Ley 1581: a person's data can be erased (by an admin, or when they withdraw consent),
keeping only what the aggregates need. Flush, never commit.

Erased: names, document number, birth date, contact, organisation name and role, extra
answers; the ticket gets a new token (the old link and QR stop working). Kept, for the counts
(participation by sex, age band, ethnicity, municipality, organisation type, mesa): the
categorical answers, arrival and seat. Names in a public role (spokespersons, commitment
responsibles) stay in the acta and the commitments, as the consent text says. Each erasure
leaves an :class:`Erasure` record (who, when, why; never what). The packages above clear
what they hold of the person (``signals.attendee_erased``: the survey's free comments).
"""

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.assemblies.models import Assembly
from assembly.auth import audit
from assembly.auth.models import User
from assembly.errors import Conflict
from assembly.extensions import db
from assembly.helpers import utcnow
from assembly.registration import signals
from assembly.registration.models import Attendee, Erasure
from assembly.registration.services import new_ticket_token

ERASED_NAME = "Persona"
#: who the retention rule's erasures are recorded under
RETENTION_ACTOR = "retención"


def erase(actor: User | str, attendee: Attendee, *, reason: str) -> Erasure:
    """Erase ``attendee``'s personal data and record it (``actor``: the account, or a name
    such as "retención" for the retention rule)."""
    if attendee.erased_at is not None:
        raise Conflict(_("Los datos de esta persona ya fueron borrados."))
    # before anything is wiped: the plenary redacts its acta with what identifies the person
    signals.person_erasing.send(
        attendee, names=[attendee.full_name, attendee.document_number], actor=actor
    )
    attendee.first_names = ERASED_NAME
    attendee.last_names = _("(datos borrados)")
    attendee.name_key = ""
    attendee.document_number = f"BORRADO-{attendee.id}"
    attendee.birth_date = None
    attendee.phone = None
    attendee.email = None
    attendee.organization_name = None
    attendee.organization_key = None
    attendee.organization_role = None
    attendee.extra_answers = {}
    attendee.ticket_token = new_ticket_token()
    attendee.consent_data = False
    attendee.consent_photos = False
    attendee.erased_at = utcnow()
    record = Erasure(
        assembly_id=attendee.assembly_id,
        attendee_id=attendee.id,
        actor=actor if isinstance(actor, str) else actor.username,
        reason=(reason or "").strip()[:300],
    )
    db.session.add(record)
    db.session.flush()
    signals.attendee_erased.send(attendee)
    return record


def expired_assemblies(today: date, days: int) -> list[Assembly]:
    """Closed assemblies whose day was more than ``days`` days before ``today``."""
    limit = today - timedelta(days=days)
    return list(
        db.session.scalars(
            select(Assembly).where(Assembly.status == "closed", Assembly.date < limit)
        )
    )


def apply_retention(today: date, days: int) -> dict[int, int]:
    """Erase the people of every expired assembly (the aggregates stay); {assembly id: how
    many erased now}. Flush; the caller commits."""
    erased = {}
    for assembly in expired_assemblies(today, days):
        people = db.session.scalars(
            select(Attendee).where(
                Attendee.assembly_id == assembly.id, Attendee.erased_at.is_(None)
            )
        ).all()
        for person in people:
            erase(RETENTION_ACTOR, person, reason=f"retención: {days} días después del cierre")
        erased[assembly.id] = len(people)
        if people:  # one line per assembly in the audit log (each person has an Erasure)
            audit.note(
                RETENTION_ACTOR, "attendees.retention", assembly_id=assembly.id, people=len(people)
            )
    return erased
