"""Manual changes on the groups screen: move, swap, leader, lock, facilitator."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.domain import Role
from assembly.auth.models import User
from assembly.core import locks
from assembly.errors import Conflict, InvalidInput
from assembly.extensions import db
from assembly.grouping import codes, domain
from assembly.grouping.models import Group, RetiredCode, Table
from assembly.grouping.services.reading import (
    _group,
    _table,
    groups_of,
    members_by_table,
    people_by_table,
    tables_of,
)
from assembly.registration.models import Attendee
from assembly.registration.services import get_attendee

# --- manual changes ---------------------------------------------------------------------------


@dataclass
class Change:
    """What a manual change touched, for the broadcast after the commit."""

    assembly_id: int
    action: str
    group_ids: list[int]
    table_ids: list[int]
    attendee_ids: list[int] = field(default_factory=list)


def _refuse_locked(*tables: Table | None) -> None:
    for table in tables:
        if table is not None and table.locked:
            raise Conflict(
                _(
                    "La sub-mesa %(group)s.%(table)s está bloqueada: desbloquéela para mover personas.",
                    group=table.group.number,
                    table=table.number,
                )
            )


def _leave(attendee: Attendee, table: Table | None) -> None:
    """The person leaves ``table``: it loses them as leader or spokesperson."""
    if table is None:
        return
    if table.leader_id == attendee.id:
        table.leader_id = None
    if table.spokesperson_id == attendee.id:
        table.spokesperson_id = None


def _seated_count(table: Table) -> int:
    return db.session.scalar(select(func.count(Attendee.id)).where(Attendee.table_id == table.id))


def _hold_people(assembly_id: int, *attendee_ids: int) -> list[Attendee]:
    """Step 1 of :mod:`assembly.core.locks`: the people a move or swap changes, locked in the
    order of their ids and read again once locked (where they sit now, not where they sat
    before another staff member's change was committed).  Returned in the order asked."""
    for attendee_id in attendee_ids:
        get_attendee(assembly_id, attendee_id)  # a person of another assembly is not found
    locked = db.session.scalars(
        select(Attendee)
        .where(Attendee.id.in_(attendee_ids))
        .order_by(Attendee.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    by_id = {person.id: person for person in locked}
    return [by_id[attendee_id] for attendee_id in attendee_ids]


def _hold_tables(*table_ids: int | None) -> None:
    """Step 2 of :mod:`assembly.core.locks`: the sub-mesas a move or swap changes, lowest id
    first, before any of their people is written.  Two staff members moving people in
    opposite directions at once would otherwise take the two tables' tally rows in opposite
    orders (a deadlock); the second change now waits for the first (and its capacity check
    then counts the first one's person)."""
    locks.hold_tables(table_ids)


def move_attendee(actor: User, assembly_id: int, attendee_id: int, table_id: int) -> Change:
    """Seat one person at another table (neither table locked, the target with a free seat)."""
    ensure_writable(get_assembly(assembly_id))
    (attendee,) = _hold_people(assembly_id, attendee_id)
    target = _table(assembly_id, table_id)
    _hold_tables(attendee.table_id, target.id)
    source = db.session.get(Table, attendee.table_id) if attendee.table_id else None
    if source is not None and source.id == target.id:
        raise InvalidInput(
            _("%(full_name)s ya está en esa sub-mesa.", full_name=attendee.full_name)
        )
    _refuse_locked(source, target)
    if _seated_count(target) >= target.capacity:
        raise Conflict(
            _(
                "La sub-mesa %(group)s.%(table)s está llena (%(capacity)s personas). Use «Intercambiar» o mueva primero a alguien.",
                group=target.group.number,
                table=target.number,
                capacity=target.capacity,
            )
        )
    _leave(attendee, source)
    attendee.table_id, attendee.group_id = target.id, target.group_id
    db.session.flush()
    tables = [t for t in (source, target) if t is not None]
    return Change(
        assembly_id,
        "move",
        sorted({t.group_id for t in tables}),
        [t.id for t in tables],
        [attendee.id],
    )


def swap_attendees(actor: User, assembly_id: int, first_id: int, second_id: int) -> Change:
    """Two seated people trade tables (neither table locked)."""
    ensure_writable(get_assembly(assembly_id))
    if first_id == second_id:
        raise InvalidInput(_("Elija a dos personas distintas para intercambiar."))
    a, b = _hold_people(assembly_id, first_id, second_id)
    for person in (a, b):
        if person.table_id is None:
            raise Conflict(
                _(
                    "%(full_name)s todavía no tiene sub-mesa: use «Mover».",
                    full_name=person.full_name,
                )
            )
    _hold_tables(a.table_id, b.table_id)
    ta, tb = db.session.get(Table, a.table_id), db.session.get(Table, b.table_id)
    if ta.id == tb.id:
        raise InvalidInput(_("Las dos personas ya están en la misma sub-mesa."))
    _refuse_locked(ta, tb)
    _leave(a, ta)
    _leave(b, tb)
    a.table_id, a.group_id, b.table_id, b.group_id = tb.id, tb.group_id, ta.id, ta.group_id
    db.session.flush()
    return Change(
        assembly_id, "swap", sorted({ta.group_id, tb.group_id}), [ta.id, tb.id], [a.id, b.id]
    )


def set_leader(actor: User, assembly_id: int, table_id: int, attendee_id: int | None) -> Change:
    """Make a person seated at the table its leader, or clear the leader (None)."""
    ensure_writable(get_assembly(assembly_id))
    table = _table(assembly_id, table_id)
    if attendee_id is not None:
        attendee = get_attendee(assembly_id, attendee_id)
        if attendee.table_id != table.id:
            raise InvalidInput(
                _(
                    "%(full_name)s no está en la sub-mesa %(group)s.%(table)s.",
                    full_name=attendee.full_name,
                    group=table.group.number,
                    table=table.number,
                )
            )
    table.leader_id = attendee_id
    db.session.flush()
    return Change(assembly_id, "leader", [table.group_id], [table.id])


def set_locked(actor: User, assembly_id: int, table_id: int, locked: bool) -> Change:
    """Lock a table (its people stay through re-splits; nobody new is seated there) or unlock."""
    ensure_writable(get_assembly(assembly_id))
    table = _table(assembly_id, table_id)
    table.locked = bool(locked)
    db.session.flush()
    return Change(assembly_id, "lock", [table.group_id], [table.id])


def rotate_join_code(actor: User, assembly_id: int, table_id: int, now) -> tuple[Table, str]:
    """Give a table a new join code (the old one leaked, or a phone was lost).  The old code
    is kept as retired: its phones are told to ask for the new one and it opens nothing.
    Returns the table and its old code.  Who may do it is checked by the caller (organizers
    on the groups screen, the mesa's facilitator on theirs)."""
    ensure_writable(get_assembly(assembly_id))
    table = _table(assembly_id, table_id)
    old = table.join_code
    db.session.add(RetiredCode(code=old, table_id=table.id, retired_at=now))
    db.session.flush()
    table.join_code = codes.new_join_code()
    db.session.flush()
    return table, old


def assign_facilitator(actor: User, assembly_id: int, group_id: int, user_id: int | None) -> Change:
    """Put a staff facilitator in charge of a mesa, or leave it without one (None)."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    if user_id is not None:
        user = db.session.get(User, user_id)
        if user is None or not user.active or user.role != Role.FACILITATOR.value:
            raise InvalidInput(_("Elija una cuenta activa con el rol de facilitación."))
    group.facilitator_id = user_id
    db.session.flush()
    return Change(assembly_id, "facilitator", [group.id], [t.id for t in group.tables])


def group_snapshot(group: Group) -> dict:
    """A mesa's tables and members as plain data (sockets, JSON)."""
    members = members_by_table(group.assembly_id)
    return {
        "assembly_id": group.assembly_id,
        "group_id": group.id,
        "number": group.number,
        "theme": group.theme.title,
        "facilitator": group.facilitator.display_name if group.facilitator else None,
        "tables": [
            {
                "id": t.id,
                "number": t.number,
                "capacity": t.capacity,
                "locked": t.locked,
                "leader_id": t.leader_id,
                "members": [
                    {"id": a.id, "name": a.full_name, "organization": a.organization_name}
                    for a in members.get(t.id, [])
                ],
            }
            for t in group.tables
        ],
    }


def current_quality(assembly_id: int) -> domain.Quality | None:
    """How the split as stored now (after manual changes and late arrivals) meets the goals;
    None before the first split."""
    tables = tables_of(assembly_id)
    if not tables:
        return None
    assembly = db.session.get(Assembly, assembly_id)
    members = people_by_table(assembly_id)  # plain values, not 50,000 loaded records
    people = [p for rows in members.values() for p in rows]
    plans = []
    for t in tables:
        ids = sorted(p.id for p in members.get(t.id, []))
        leader = t.leader_id if t.leader_id in ids else None
        plans.append(domain.TablePlan(t.group.theme_id, t.number, ids, leader))
    settings = domain.Settings(
        theme_ids=tuple(g.theme_id for g in groups_of(assembly_id)),
        table_size=assembly.table_size,
    )
    return domain.quality(people, plans, settings)


def population_counts(assembly_id: int) -> dict[str, int]:
    registered = db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly_id)
    )
    checked_in = db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None)
        )
    )
    return {"registered": registered or 0, "checked_in": checked_in or 0}
