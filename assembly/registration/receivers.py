"""How registration reacts to the assemblies package (its signals; see ARCHITECTURE.md)."""

from sqlalchemy import func, select

from assembly.assemblies.signals import assembly_counts
from assembly.extensions import db
from assembly.registration.models import Attendee


@assembly_counts.connect
def attendance_counts(assembly, **_kwargs) -> dict:
    """Registered and checked in, for the assembly's page and the staff screens."""
    registered, checked_in = db.session.execute(
        select(func.count(Attendee.id), func.count(Attendee.checked_in_at)).where(
            Attendee.assembly_id == assembly.id
        )
    ).one()
    return {"registered": registered or 0, "checked_in": checked_in or 0}
