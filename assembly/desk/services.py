"""Checking people in at the desk.  Flush, never commit; the route commits and broadcasts.

Two desks may scan the same ticket in the same instant.  The check-in is one conditional
UPDATE (``... WHERE id = :id AND checked_in_at IS NULL``): the database lets exactly one of
them change the row (SQLite serialises writers; PostgreSQL re-checks the condition after the
row lock), and the other sees ``rowcount == 0`` and reports who got there first.

A desk that lost the network keeps its scans in a queue and sends them later, each with its
UUID and its age.  The earliest scan wins: a queued scan made before the stored check-in takes
its place (time and desk; the person was already counted and seated), a later one is a
duplicate (amber).  A resend of the scan that checked the person in answers "ok" again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.desk import domain

# the desk's search and counters live in their own modules; their names stay reachable here
from assembly.desk.counters import counters  # noqa: F401
from assembly.desk.search import SEARCH_CAP, SearchPage, search, search_page  # noqa: F401
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.grouping import services as grouping
from assembly.grouping.models import Table
from assembly.helpers import venue_zone
from assembly.registration.models import Attendee

log = logging.getLogger(__name__)

OK, ALREADY, UNKNOWN = "ok", "already", "unknown"

# The desk's statements, built once with bound values: a check-in runs a dozen statements,
# and building each again (and computing its cache key) cost as much as running it.
_ATTENDEES = Attendee.__table__
_BY_TICKET = select(Attendee).where(Attendee.ticket_token == bindparam("token"))


def _check_in_statement(condition):
    """The conditional check-in UPDATE of one person (``attendee_id``) when ``condition``."""
    return (
        update(_ATTENDEES)
        .where(_ATTENDEES.c.id == bindparam("attendee_id"), condition)
        .values(
            checked_in_at=bindparam("at"),
            checked_in_desk=bindparam("desk"),
            checked_in_scan=bindparam("scan"),
        )
    )


#: nobody checked the person in yet
_FIRST_SCAN = _check_in_statement(_ATTENDEES.c.checked_in_at.is_(None))
#: a queued scan made clearly before the stored check-in (``after``) takes its place
_EARLIER_SCAN = _check_in_statement(_ATTENDEES.c.checked_in_at > bindparam("after"))
_COME_BACK = (
    update(_ATTENDEES)
    .where(_ATTENDEES.c.id == bindparam("attendee_id"), _ATTENDEES.c.checked_out_at.is_not(None))
    .values(checked_out_at=None)
)
_CHECK_OUT = (
    update(_ATTENDEES)
    .where(
        _ATTENDEES.c.id == bindparam("attendee_id"),
        _ATTENDEES.c.checked_in_at.is_not(None),
        _ATTENDEES.c.checked_out_at.is_(None),
    )
    .values(checked_out_at=bindparam("at"))
)
_UNDO = (
    update(_ATTENDEES)
    .where(_ATTENDEES.c.id == bindparam("attendee_id"), _ATTENDEES.c.checked_in_at.is_not(None))
    .values(checked_in_at=None, checked_in_desk=None, checked_out_at=None, checked_in_scan=None)
)


@dataclass
class CheckInResult:
    """What the desk shows: ``kind`` ok (green), already (amber) or unknown (red)."""

    kind: str
    message: str
    attendee: Attendee | None = None
    #: the table the person sits at (seated now or before), when the room is split
    table: Table | None = None
    #: True when this check-in just gave the person that seat (a late arrival)
    seated_now: bool = False
    #: True when the person had left ("salida") and came back
    returned: bool = False


def _desk(desk: str | None) -> str:
    name = domain.clean_desk_name(desk)
    if name is None:
        raise InvalidInput(
            _("Escriba el nombre de esta mesa de registro (por ejemplo «Mesa 1»)."),
            fields={"desk": _("Falta el nombre de la mesa de registro.")},
        )
    return name


@dataclass(frozen=True)
class Scan:
    """One scan as the desk sent it: its UUID (None from old pages) and when it was made."""

    id: str | None
    at: datetime


def scan_of(scan_id, age_ms: int | None, now: datetime) -> Scan:
    """The scan of a check-in request: ``scan_id`` a UUID (or empty), ``age_ms`` its age."""
    return Scan(str(scan_id) if scan_id else None, domain.scan_time(now, age_ms))


def check_in(
    actor,
    assembly_id: int,
    token_or_url: str,
    desk: str | None,
    now: datetime,
    scan: Scan | None = None,
):
    """Check in the holder of a scanned ticket (the token, or the whole ticket URL)."""
    desk = _desk(desk)
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    token = domain.parse_ticket_text(token_or_url)
    attendee = None
    if token is not None:
        attendee = db.session.scalar(_BY_TICKET, {"token": token})
    if attendee is None:
        return CheckInResult(
            UNKNOWN, _("Tiquete desconocido: no corresponde a ninguna inscripción.")
        )
    if attendee.assembly_id != assembly_id:
        return CheckInResult(UNKNOWN, _("Este tiquete es de otra asamblea."))
    return _mark(assembly, attendee, desk, scan or Scan(None, now))


def check_in_by_id(
    actor,
    assembly_id: int,
    attendee_id: int,
    desk: str | None,
    now: datetime,
    scan: Scan | None = None,
):
    """Check in a person picked from the search results."""
    desk = _desk(desk)
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    return _mark(assembly, _attendee(assembly_id, attendee_id), desk, scan or Scan(None, now))


def _attendee(assembly_id: int, attendee_id: int) -> Attendee:
    attendee = db.session.get(Attendee, attendee_id)
    if attendee is None or attendee.assembly_id != assembly_id:
        raise NotFound(_("Esa persona no está inscrita en esta asamblea."))
    return attendee


def _stamp(attendee: Attendee, desk: str, scan: Scan, statement, **condition) -> bool:
    """One conditional UPDATE (``_FIRST_SCAN`` or ``_EARLIER_SCAN`` and its bound
    ``condition``): True when this scan's time and desk are now the check-in."""
    values = {"attendee_id": attendee.id, "at": scan.at, "desk": desk, "scan": scan.id}
    changed = db.session.execute(statement, {**values, **condition}).rowcount
    if changed == 1:
        # The row is ours: tell the session what the database now holds, without a SELECT.
        set_committed_value(attendee, "checked_in_at", scan.at)
        set_committed_value(attendee, "checked_in_desk", desk)
        set_committed_value(attendee, "checked_in_scan", scan.id)
    return changed == 1


def _mark(assembly: Assembly, attendee: Attendee, desk: str, scan: Scan) -> CheckInResult:
    if scan.id and attendee.checked_in_at and attendee.checked_in_scan == scan.id:
        # The same scan again (its answer was lost, or the queue sent it twice): as before.
        return CheckInResult(OK, _("Llegada registrada."), attendee, _current_table(attendee))
    if attendee.checked_out_at is not None:
        return _come_back(assembly, attendee, desk, scan)
    if not _stamp(attendee, desk, scan, _FIRST_SCAN):
        db.session.refresh(attendee, ["checked_in_at", "checked_in_desk", "checked_in_scan"])
        if _stamp(attendee, desk, scan, _EARLIER_SCAN, after=scan.at + domain.SAME_INSTANT):
            # A queued scan made before the stored check-in: the earliest scan wins.  The
            # person was counted and seated by the later one already.
            return CheckInResult(OK, _("Llegada registrada."), attendee, _current_table(attendee))
        when = domain.local_hhmm(attendee.checked_in_at, venue_zone(assembly))
        return CheckInResult(
            ALREADY,
            _(
                "Ya registró su llegada a las %(when)s en %(desk)s.",
                when=when,
                desk=attendee.checked_in_desk or _("otra mesa"),
            ),
            attendee,
            _current_table(attendee),
        )
    seated_before = attendee.table_id
    table = grouping.seat_late_arrival(attendee)
    return CheckInResult(
        OK,
        _("Llegada registrada."),
        attendee,
        table,
        seated_now=table is not None and seated_before is None,
    )


def _come_back(assembly: Assembly, attendee: Attendee, desk: str, scan: Scan) -> CheckInResult:
    """A person whose "salida" was recorded scans again: present again, first arrival kept."""
    changed = db.session.execute(_COME_BACK, {"attendee_id": attendee.id}).rowcount
    if changed != 1:  # another desk let them back in an instant ago
        db.session.refresh(attendee, ["checked_in_at", "checked_in_desk", "checked_out_at"])
        return _mark(assembly, attendee, desk, scan)
    set_committed_value(attendee, "checked_out_at", None)
    return CheckInResult(
        OK,
        _("Regreso registrado: vuelve a contar como presente."),
        attendee,
        _current_table(attendee),
        returned=True,
    )


def check_out(actor, assembly_id: int, attendee_id: int, now: datetime) -> Attendee:
    """The desk's optional "salida": the person leaves and no longer counts as present (quorum,
    votes); scanning the ticket again brings them back.  One conditional UPDATE, like the
    check-in, so two desks cannot record it twice."""
    ensure_writable(get_assembly(assembly_id))
    attendee = _attendee(assembly_id, attendee_id)
    changed = db.session.execute(_CHECK_OUT, {"attendee_id": attendee.id, "at": now}).rowcount
    if changed != 1:
        db.session.refresh(attendee, ["checked_in_at", "checked_out_at"])
        if attendee.checked_in_at is None:
            raise Conflict(
                _(
                    "%(name)s no tiene una llegada registrada: no puede salir.",
                    name=attendee.full_name,
                )
            )
        raise Conflict(_("La salida de %(name)s ya estaba registrada.", name=attendee.full_name))
    set_committed_value(attendee, "checked_out_at", now)
    return attendee


def _current_table(attendee: Attendee) -> Table | None:
    return db.session.get(Table, attendee.table_id) if attendee.table_id else None


def undo_check_in(actor, assembly_id: int, attendee_id: int) -> Attendee:
    """Take back a check-in made by mistake.  The person keeps any seat the check-in gave
    them: moving people is the grouping screen's job, and a re-scan finds the same seat."""
    ensure_writable(get_assembly(assembly_id))
    attendee = _attendee(assembly_id, attendee_id)
    changed = db.session.execute(_UNDO, {"attendee_id": attendee.id}).rowcount
    if changed != 1:
        raise Conflict(
            _("%(name)s no tiene una llegada registrada que deshacer.", name=attendee.full_name)
        )
    set_committed_value(attendee, "checked_in_at", None)
    set_committed_value(attendee, "checked_in_desk", None)
    set_committed_value(attendee, "checked_out_at", None)
    set_committed_value(attendee, "checked_in_scan", None)
    return attendee


def recent_check_ins(assembly_id: int, desk: str | None = None, limit: int = 8) -> list[Attendee]:
    """The last people checked in (at ``desk`` when given), newest first."""
    query = select(Attendee).where(
        Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None)
    )
    if desk:
        query = query.where(Attendee.checked_in_desk == _desk(desk))
    return list(
        db.session.scalars(
            query.order_by(Attendee.checked_in_at.desc(), Attendee.id.desc()).limit(limit)
        )
    )
