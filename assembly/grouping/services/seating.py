"""What a late arrival's seat is chosen from: the tables as counts, read from what the
database keeps (:mod:`assembly.grouping.tally_sql`: ``tables.seated`` and the tally rows),
never from the people seated."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_, bindparam, func, literal, null, or_, select, union_all

from assembly.extensions import db
from assembly.grouping import domain
from assembly.grouping.models import Group, Table, TableTally


def _key(value: str | None) -> str:
    """A value as the tally stores it (see tally_sql): "=" + value, "" when missing."""
    return "" if value is None else "=" + value


def table_counts(assembly_id: int, person: domain.Person) -> list[domain.TableCounts]:
    """Every table of the assembly as counts about ``person`` (not seated), by mesa and
    number: one row per table and five tally rows per table, no person read."""
    rows = db.session.execute(
        select(Table.id, Group.theme_id, Table.number, Table.capacity, Table.locked, Table.seated)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .order_by(Group.number, Table.number)
    ).all()
    tallies = _person_tallies({row[0] for row in rows}, person)
    return [
        _with_tallies(
            domain.TableCounts(theme_id, number, int(seated), capacity, bool(locked)),
            tallies.get(table_id, {}),
        )
        for table_id, theme_id, number, capacity, locked, seated in rows
    ]


def _seating_statement():
    """Per mesa its sum and highest table number, then each free table alone (see
    :func:`seating_counts`): two ranges of ``ix_tables_seating``, no row read per table."""
    mesas = (
        select(
            Group.theme_id,
            null().label("table_id"),
            func.sum(Table.seated).label("seated"),
            func.max(Table.number).label("number"),
            literal(0).label("capacity"),
            Group.number.label("mesa"),
        )
        .select_from(Group)
        .join(Table, Table.group_id == Group.id)
        .where(Group.assembly_id == bindparam("assembly_id"))
        .group_by(Group.id, Group.theme_id, Group.number)
    )
    free = (
        select(Group.theme_id, Table.id, Table.seated, Table.number, Table.capacity, Group.number)
        .select_from(Group)
        .join(Table, Table.group_id == Group.id)
        .where(
            Group.assembly_id == bindparam("assembly_id"),
            Table.locked.is_(False),
            Table.seated < Table.capacity,
        )
    )
    return union_all(mesas, free)


#: built once (see _TALLY_ROWS)
_SEATING = _seating_statement()


def seating_counts(
    assembly_id: int,
    person: domain.Person,
    settings: domain.Settings | None = None,
    *,
    full: set[tuple[int, int]] = frozenset(),
) -> list[domain.TableCounts]:
    """What :func:`domain.place_by_counts` needs to seat ``person`` (not seated yet), small
    whatever the room, and no person read: the tables with a free seat (unlocked, below
    capacity) and per mesa ONE locked summary of its other tables (their people added up,
    the highest table number).  ``place_by_counts`` never picks a locked or full table and
    reads the others only for the mesa's size and the next table number.

    The free tables carry their counts about the person (organisation, sex, age band,
    municipality, leader candidates: primary-key lookups in the tally).  Given ``settings``,
    only the :func:`domain.contenders` do (the free tables tied on the mesa and on the free
    seats, a handful whatever the room): any other free table loses before those counts are
    compared, so the placement and its tie-breaks are exactly those over every table with
    every count.  ``full``: the (theme, number) of tables to take as full (another desk
    just took their last seat)."""
    rows = db.session.execute(_SEATING, {"assembly_id": assembly_id}).all()
    ordered = []
    table_of: dict[tuple[int, int], int] = {}
    mesas: dict[int, tuple[int, int, int]] = {}  # theme -> (people, mesa number, highest)
    in_free: dict[int, int] = {}  # theme -> people at its free tables
    for theme_id, table_id, seated, number, capacity, mesa in rows:
        seated = int(seated or 0)
        if table_id is None:
            mesas[theme_id] = (seated, mesa, number)
            continue
        in_free[theme_id] = in_free.get(theme_id, 0) + seated
        if (theme_id, number) in full:
            capacity = seated
        counts = domain.TableCounts(theme_id, number, seated, capacity=capacity)
        table_of[(theme_id, number)] = table_id
        ordered.append((mesa, number, counts))
    for theme_id, (seated, mesa, number) in mesas.items():
        # the mesa's other tables as one locked summary: their people, its highest number
        others = domain.TableCounts(
            theme_id, number, seated - in_free.get(theme_id, 0), locked=True
        )
        ordered.append((mesa, number, others))
    tables = [counts for _mesa, _number, counts in sorted(ordered, key=lambda row: row[:2])]
    if settings is None:
        wanted = set(table_of.values())
    else:
        wanted = {
            table_of[(seat.theme_id, seat.number)]
            for seat in domain.contenders(person, tables, settings)
        }
    tallies = _person_tallies(wanted, person)
    return [
        _with_tallies(seat, tallies.get(table_of.get((seat.theme_id, seat.number)), {}))
        for seat in tables
    ]


def _tally_rows(with_org: bool):
    """The tally rows of one person's values on some tables, built once (bound values)."""
    wanted = [
        and_(TableTally.kind == "lead", TableTally.value == ""),
        and_(TableTally.kind == "sex", TableTally.value == bindparam("sex")),
        and_(TableTally.kind == "age", TableTally.value == bindparam("age")),
        and_(TableTally.kind == "muni", TableTally.value == bindparam("muni")),
    ]
    if with_org:
        wanted.append(and_(TableTally.kind == "org", TableTally.value == bindparam("org")))
    return select(TableTally.table_id, TableTally.kind, TableTally.people).where(
        TableTally.table_id.in_(bindparam("ids", expanding=True)), or_(*wanted)
    )


#: built once: a check-in pays for running them, not for building them
_TALLY_ROWS = {False: _tally_rows(False), True: _tally_rows(True)}


def _person_tallies(table_ids: set[int], person: domain.Person) -> dict[int, dict[str, int]]:
    """table id → {kind: people} for the person's values, on ``table_ids`` only."""
    if not table_ids:
        return {}
    values = {
        "ids": sorted(table_ids),
        "sex": _key(person.sex),
        "age": _key(person.age_range),
        "muni": _key(person.municipality),
    }
    if person.organization:
        values["org"] = _key(person.organization)
    out: dict[int, dict[str, int]] = {}
    for table_id, kind, people in db.session.execute(
        _TALLY_ROWS[bool(person.organization)], values
    ):
        out.setdefault(table_id, {})[kind] = people
    return out


def _with_tallies(seat: domain.TableCounts, counts: dict[str, int]) -> domain.TableCounts:
    if not counts:
        return seat
    return replace(
        seat,
        leaders=counts.get("lead", 0),
        same_org=counts.get("org", 0),
        same_sex=counts.get("sex", 0),
        same_age=counts.get("age", 0),
        same_muni=counts.get("muni", 0),
    )
