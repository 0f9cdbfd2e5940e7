"""The JSON the desk screen reads: one person, one check-in result."""

from urllib.parse import urlencode

from assembly.assemblies.models import Assembly
from assembly.core import divipola
from assembly.desk import domain
from assembly.desk.services import CheckInResult
from assembly.grouping.models import Table
from assembly.helpers import venue_zone
from assembly.registration.models import Attendee


def badge_url(assembly_id: int, attendee_id: int) -> str:
    """The registration feature's print view for one badge."""
    return f"/assemblies/{assembly_id}/badges?{urlencode({'ids': attendee_id})}"


def complete_url(assembly_id: int, attendee_id: int) -> str:
    """The registration form of one person, coming back to the desk when saved."""
    return f"/assemblies/{assembly_id}/attendees/{attendee_id}/edit?{urlencode({'return': 'desk'})}"


def walk_in_url(assembly_id: int, desk: str) -> str:
    """The registration form in walk-in mode; after saving it comes back with ``checkin``."""
    return f"/assemblies/{assembly_id}/attendees/new?{urlencode({'desk': desk, 'return': 'desk'})}"


def person(
    assembly: Assembly, attendee: Attendee, *, show_documents: bool, table: Table | None = None
) -> dict:
    table = table or attendee.table
    group = table.group if table is not None else attendee.group
    return {
        "id": attendee.id,
        "name": attendee.full_name,
        "organization": attendee.organization_name or "",
        "place": divipola.municipality_name(attendee.municipality_code or "") or "",
        "document_type": attendee.document_type,
        "document": (
            attendee.document_number
            if show_documents
            else domain.mask_document(attendee.document_number)
        ),
        "checked_in": attendee.checked_in_at is not None,
        "checked_in_time": domain.local_hhmm(attendee.checked_in_at, venue_zone(assembly)),
        "checked_in_desk": attendee.checked_in_desk or "",
        "checked_out": attendee.checked_out_at is not None,
        "checked_out_time": domain.local_hhmm(attendee.checked_out_at, venue_zone(assembly)),
        "mesa": group.number if group is not None else None,
        "theme": group.theme.title if group is not None and group.theme is not None else "",
        "table": table.number if table is not None else None,
        "badge_url": badge_url(attendee.assembly_id, attendee.id),
        # imported without a field the form requires: the desk completes the form
        "incomplete": bool(attendee.missing_fields),
        "complete_url": complete_url(attendee.assembly_id, attendee.id),
    }


def result(assembly: Assembly, outcome: CheckInResult, *, show_documents: bool) -> dict:
    return {
        "result": outcome.kind,
        "message": outcome.message,
        "returned": outcome.returned,
        "person": (
            person(assembly, outcome.attendee, show_documents=show_documents, table=outcome.table)
            if outcome.attendee is not None
            else None
        ),
    }
