"""Seating someone who checked in late, moving nobody (the desk calls it in its transaction)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from assembly.assemblies.models import Assembly
from assembly.core import locks
from assembly.extensions import db
from assembly.grouping import codes, domain
from assembly.grouping.models import Group, Table
from assembly.grouping.services.reading import to_person
from assembly.grouping.services.seating import seating_counts
from assembly.registration.models import Attendee

# --- late arrivals ----------------------------------------------------------------------------

# Every desk check-in runs these: built once with bound values (building a statement again
# and computing its cache key cost as much as running it).
#: the mesas with their themes: the desk's answer and the broadcast read them (and the
#: session only keeps what is referenced: read here, they are not read again)
_MESAS = (
    select(Group)
    .where(Group.assembly_id == bindparam("assembly_id"))
    .order_by(Group.number)
    .options(joinedload(Group.theme))
)
#: the chosen sub-mesa, locked (see _take_seat)
_TABLE_LOCKED = (
    select(Table)
    .where(Table.group_id == bindparam("group_id"), Table.number == bindparam("number"))
    .with_for_update(key_share=True)
    .execution_options(populate_existing=True)
)
_ATTENDEES = Attendee.__table__
#: the person's seat: one UPDATE, not a flush of the whole session's changes
_SEAT = (
    update(_ATTENDEES)
    .where(_ATTENDEES.c.id == bindparam("attendee_id"))
    .values(group_id=bindparam("group"), table_id=bindparam("table"))
)


def seat_late_arrival(attendee: Attendee) -> Table | None:
    """Seat someone who just checked in, moving nobody (the desk calls it inside its check-in
    transaction).  None while the room has not been split; the person's table
    when already seated; otherwise the best table with a free seat, or a new table when every
    table is full (as :func:`domain.place_late_arrival` decides)."""
    if attendee.table_id is not None:
        table = db.session.get(Table, attendee.table_id)
        if table is not None:
            return table
    assembly_id = attendee.assembly_id
    person = to_person(attendee)
    assembly = db.session.get(Assembly, assembly_id)
    groups = list(db.session.scalars(_MESAS, {"assembly_id": assembly_id}))
    if not groups:
        return None
    settings = domain.Settings(
        theme_ids=tuple(g.theme_id for g in groups), table_size=assembly.table_size
    )
    # Counts, not people: the tally the database keeps (see seating_counts).
    seats = seating_counts(assembly_id, person, settings=settings)
    if not seats:
        return None
    group_of_theme = {g.theme_id: g for g in groups}
    full: set[tuple[int, int]] = set()
    while True:
        placement = domain.place_by_counts(person, seats, settings)
        group = group_of_theme[placement.theme_id]
        if placement.new_table:
            break
        chosen = _take_seat(group.id, placement.number)
        if chosen is not None:
            break
        # Another desk (another process) took the last seat since we read the room: read
        # it again with that table taken as full, so that no table ever goes over capacity
        # (and the next contenders get their counts).  Its lock was let go (core.locks).
        full.add((placement.theme_id, placement.number))
        seats = [
            replace(seat, capacity=seat.size) if (seat.theme_id, seat.number) in full else seat
            for seat in seating_counts(assembly_id, person, settings=settings, full=full)
        ]
    if placement.new_table:
        table = Table(
            group=group,
            number=placement.number,
            capacity=assembly.table_size,
            join_code=codes.new_join_code(),
        )
        db.session.add(table)
        db.session.flush()
    else:
        table = chosen
        set_committed_value(table, "group", group)  # known: no query for it
    db.session.execute(_SEAT, {"attendee_id": attendee.id, "group": group.id, "table": table.id})
    set_committed_value(attendee, "group_id", group.id)
    set_committed_value(attendee, "table_id", table.id)
    if table.leader_id is None and person.leader_candidate:
        table.leader_id = attendee.id
        db.session.flush()
    return table


def _take_seat(group_id: int, number: int) -> Table | None:
    """Lock the chosen table (step 2 of :mod:`assembly.core.locks`: the person's row is held
    since the check-in's UPDATE) and count again: the table while it has a free seat, else
    None, its lock let go (a full table held while taking the next would be out of order)."""
    with locks.attempt():
        table = db.session.scalar(_TABLE_LOCKED, {"group_id": group_id, "number": number})
        if table is not None and _still_has_a_seat(table):
            return table
        raise locks.LetGo
    return None


def _still_has_a_seat(table: Table) -> bool:
    """Whether ``table`` (locked and read by the caller) has a seat for the person (not
    seated yet): ``seated`` is kept by the triggers in every seat writer's transaction, each
    holding this lock, so the locked row's count is the room as committed now."""
    return not table.locked and table.seated < table.capacity
