"""The grouping as stored: mesas, tables, rosters, the current quality."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, literal_column, select

from assembly.auth.domain import Permission, Role
from assembly.auth.models import User
from assembly.errors import NotFound
from assembly.extensions import db
from assembly.grouping import codes, domain
from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee

# --- reading ----------------------------------------------------------------------------------


def groups_of(assembly_id: int) -> list[Group]:
    """The assembly's mesas, by number."""
    return list(
        db.session.scalars(
            select(Group).where(Group.assembly_id == assembly_id).order_by(Group.number)
        )
    )


def _group(assembly_id: int, group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or group.assembly_id != assembly_id:
        raise NotFound(_("La mesa no existe en esta asamblea."))
    return group


def _table(assembly_id: int, table_id: int) -> Table:
    table = db.session.get(Table, table_id)
    if table is None or table.group.assembly_id != assembly_id:
        raise NotFound(_("La sub-mesa no existe en esta asamblea."))
    return table


def get_group(assembly_id: int, group_id: int) -> Group:
    return _group(assembly_id, group_id)


def facilitates(user, group: Group) -> bool:
    """A facilitator follows only the mesa assigned to them; moderators (who facilitate the
    plenary) any mesa. Organisers run mesas through MANAGE_GROUPS, checked by the caller."""
    if not user.can(Permission.FACILITATE, group.assembly_id):
        return False
    if user.role == Role.FACILITATOR.value:
        return group.facilitator_id == user.id
    return True


def get_table(assembly_id: int, table_id: int) -> Table:
    return _table(assembly_id, table_id)


def tables_of(assembly_id: int) -> list[Table]:
    return list(
        db.session.scalars(
            select(Table)
            .join(Group)
            .where(Group.assembly_id == assembly_id)
            .order_by(Group.number, Table.number)
        )
    )


def members_by_table(assembly_id: int) -> dict[int, list[Attendee]]:
    """table id → its seated attendees, by name."""
    seated = db.session.scalars(
        select(Attendee)
        .where(Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None))
        .order_by(Attendee.last_names, Attendee.first_names, Attendee.id)
    )
    out: dict[int, list[Attendee]] = {}
    for attendee in seated:
        out.setdefault(attendee.table_id, []).append(attendee)
    return out


def members_of_tables(table_ids: list[int]) -> dict[int, list[Attendee]]:
    """table id → its seated attendees, by name, for these tables only (one page of the
    groups screen: a room of 50,000 is never loaded to show 30 tables)."""
    if not table_ids:
        return {}
    seated = db.session.scalars(
        select(Attendee)
        .where(Attendee.table_id.in_(table_ids))
        .order_by(Attendee.last_names, Attendee.first_names, Attendee.id)
    )
    out: dict[int, list[Attendee]] = {}
    for attendee in seated:
        out.setdefault(attendee.table_id, []).append(attendee)
    return out


def table_sizes(assembly_id: int) -> dict[int, int]:
    """table id → people seated there, counted by the database (one grouped query)."""
    return dict(
        db.session.execute(
            select(Attendee.table_id, func.count(Attendee.id))
            .where(Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None))
            .group_by(Attendee.table_id)
        ).all()
    )


#: the columns to_person reads; loading only these keeps a late check-in cheap in a full room
_PERSON_COLUMNS = (
    Attendee.id,
    Attendee.table_id,
    Attendee.preferred_theme_id,
    Attendee.organization_key,
    Attendee.sex,
    Attendee.age_range,
    Attendee.municipality_code,
    Attendee.knows_pit,
    Attendee.took_part_before,
)


def people_by_table(assembly_id: int) -> dict[int, list[domain.Person]]:
    """table id → what the split needs of its seated people (no full records loaded)."""
    rows = db.session.execute(
        select(*_PERSON_COLUMNS).where(
            Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None)
        )
    )
    out: dict[int, list[domain.Person]] = {}
    for row in rows:
        out.setdefault(row.table_id, []).append(to_person(row))
    return out


def _tallies(
    assembly_id: int, person: domain.Person, table_ids: list[int] | None = None
) -> dict[int, tuple[int, ...]]:
    """table id → (size, leaders, same org, same sex, same age, same municipality) about
    ``person`` (not counted), for ``table_ids`` or every table: one grouped query."""
    leader = case((and_(Attendee.knows_pit, Attendee.took_part_before), 1), else_=0)

    def same(column, value):
        return func.sum(case((column.is_not_distinct_from(value), 1), else_=0))

    same_org = (
        func.sum(case((Attendee.organization_key == person.organization, 1), else_=0))
        if person.organization
        else literal(0)
    )
    seated = (
        Attendee.table_id.in_(table_ids)
        if table_ids is not None
        else Attendee.table_id.is_not(None)
    )
    rows = db.session.execute(
        select(
            Attendee.table_id,
            func.count(Attendee.id),
            func.sum(leader),
            same_org,
            same(Attendee.sex, person.sex),
            same(Attendee.age_range, person.age_range),
            same(Attendee.municipality_code, person.municipality),
        )
        .where(Attendee.assembly_id == assembly_id, seated, Attendee.id != person.id)
        .group_by(Attendee.table_id)
    )
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in rows}


def table_counts(assembly_id: int, person: domain.Person) -> list[domain.TableCounts]:
    """Every table of the assembly as counts about ``person`` (who is not counted): one
    grouped query over the seated people plus one over the tables, so a late check-in costs
    the same in a room of 500 or of 50,000 (the database counts; Python sees one row a table).
    """
    counts = _tallies(assembly_id, person)
    tables = db.session.execute(
        select(Table.id, Group.theme_id, Table.number, Table.capacity, Table.locked)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .order_by(Group.number, Table.number)
    )
    out = []
    for table_id, theme_id, number, capacity, locked in tables:
        size, leaders, org, sex, age, muni = counts.get(table_id, (0, 0, 0, 0, 0, 0))
        out.append(
            domain.TableCounts(
                theme_id=theme_id,
                number=number,
                size=size,
                capacity=capacity,
                locked=bool(locked),
                leaders=leaders,
                same_org=org,
                same_sex=sex,
                same_age=age,
                same_muni=muni,
            )
        )
    return out


def seating_counts(assembly_id: int, person: domain.Person) -> list[domain.TableCounts]:
    """What :func:`domain.place_by_counts` needs to seat ``person``, small whatever the room:
    the tables with a free seat (unlocked, below capacity) as :func:`table_counts` gives them,
    and per mesa ONE locked summary of its other tables (their people added up, the highest
    table number).  ``place_by_counts`` never picks a locked or full table and reads the others
    only for the mesa's size and the next table number, so the placement and its tie-breaks
    are exactly those over every table.  The database does the counting in two grouped
    queries over ``ix_attendees_seating``; Python sees a handful of rows."""
    sizes = (
        select(Attendee.table_id.label("table_id"), func.count(Attendee.id).label("size"))
        .where(
            Attendee.assembly_id == assembly_id,
            Attendee.table_id.is_not(None),
            Attendee.id != person.id,
        )
        .group_by(Attendee.table_id)
        .subquery()
    )
    # a literal 0, not a bound one: PostgreSQL must see the same expression in GROUP BY
    size = func.coalesce(sizes.c.size, literal_column("0"))
    free = and_(Table.locked.is_(False), size < Table.capacity)
    own_row = case((free, Table.id), else_=None)  # a free table alone, the rest per mesa
    rows = db.session.execute(
        select(
            Group.theme_id,
            own_row,
            func.sum(size),
            func.max(Table.number),
            func.max(Table.capacity),
            func.min(Group.number),
        )
        .select_from(Table)
        .join(Group, Table.group_id == Group.id)
        .outerjoin(sizes, sizes.c.table_id == Table.id)
        .where(Group.assembly_id == assembly_id)
        .group_by(Group.theme_id, own_row)
    ).all()
    free_ids = [row[1] for row in rows if row[1] is not None]
    tallies = _tallies(assembly_id, person, free_ids) if free_ids else {}
    out = []
    for theme_id, table_id, seated, number, capacity, mesa in rows:
        if table_id is None:
            out.append(
                (mesa, number, domain.TableCounts(theme_id, number, int(seated or 0), locked=True))
            )
            continue
        _size, leaders, org, sex, age, muni = tallies.get(table_id, (0, 0, 0, 0, 0, 0))
        counts = domain.TableCounts(
            theme_id=theme_id,
            number=number,
            size=int(seated or 0),
            capacity=capacity,
            locked=False,
            leaders=leaders,
            same_org=org,
            same_sex=sex,
            same_age=age,
            same_muni=muni,
        )
        out.append((mesa, number, counts))
    return [counts for _mesa, _number, counts in sorted(out, key=lambda row: row[:2])]


def _unseated_query(assembly_id: int, checked_in_only: bool):
    query = select(Attendee).where(Attendee.assembly_id == assembly_id, Attendee.table_id.is_(None))
    if checked_in_only:
        query = query.where(Attendee.checked_in_at.is_not(None))
    return query


def unseated(
    assembly_id: int, *, checked_in_only: bool = True, limit: int | None = None
) -> list[Attendee]:
    """The people without a table (checked in, unless told otherwise), by name; the first
    ``limit`` of them when given."""
    query = _unseated_query(assembly_id, checked_in_only).order_by(
        Attendee.last_names, Attendee.first_names
    )
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def unseated_count(assembly_id: int, *, checked_in_only: bool = True) -> int:
    query = _unseated_query(assembly_id, checked_in_only)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def facilitators() -> list[User]:
    """Active staff accounts with the facilitator role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.FACILITATOR.value, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def groups_facilitated_by(user: User, assembly_id: int) -> list[Group]:
    return [g for g in groups_of(assembly_id) if g.facilitator_id == user.id]


def find_table_by_code(code: object) -> Table | None:
    """The table a typed or scanned join code opens (case, spaces and dashes ignored)."""
    clean = codes.normalize(code)
    if clean is None:
        return None
    return db.session.scalar(select(Table).where(Table.join_code == clean))


def retired_table(code: object) -> Table | None:
    """The table whose old (rotated) join code this is, or None."""
    return codes.retired_table(code)


def is_split(assembly_id: int) -> bool:
    """True once the room has tables (a split ran, or tables were opened)."""
    return (
        db.session.scalar(
            select(func.count(Table.id)).join(Group).where(Group.assembly_id == assembly_id)
        )
        or 0
    ) > 0


def to_person(attendee) -> domain.Person:
    """What the split needs of an attendee; a leader candidate knows the PIT and took part
    in earlier spaces."""
    return domain.Person(
        id=attendee.id,
        preferred_theme=attendee.preferred_theme_id,
        organization=attendee.organization_key or None,
        sex=attendee.sex,
        age_range=attendee.age_range,
        municipality=attendee.municipality_code,
        leader_candidate=bool(attendee.knows_pit and attendee.took_part_before),
    )
