"""Seating someone who checked in late, moving nobody (the desk calls it in its transaction)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.extensions import db
from assembly.grouping import codes, domain
from assembly.grouping.models import Table
from assembly.grouping.services.reading import groups_of, to_person
from assembly.grouping.services.seating import seating_counts
from assembly.registration.models import Attendee

# --- late arrivals ----------------------------------------------------------------------------


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
    groups = groups_of(assembly_id)
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
        chosen = db.session.scalar(
            select(Table).where(Table.group_id == group.id, Table.number == placement.number)
        )
        if _still_has_a_seat(chosen, attendee.id):
            break
        # Another desk (another process) took the last seat since we read the room: read
        # it again with that table taken as full, so that no table ever goes over capacity
        # (and the next contenders get their counts).
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
    attendee.group_id, attendee.table_id = group.id, table.id
    if table.leader_id is None and person.leader_candidate:
        table.leader_id = attendee.id
    db.session.flush()
    return table


def _still_has_a_seat(table: Table, attendee_id: int) -> bool:
    """Lock the table's row (PostgreSQL; SQLite already serialises writers) and count again."""
    db.session.execute(select(Table.id).where(Table.id == table.id).with_for_update())
    seated = db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.table_id == table.id, Attendee.id != attendee_id
        )
    )
    return seated < table.capacity
