"""The grouping as stored: mesas, tables, rosters, the current quality."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from assembly.auth.domain import Permission, Role
from assembly.auth.models import User
from assembly.core.paging import Page, page_of
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


def tables_page(
    assembly_id: int, *, group_id: int | None = None, page: object = 1, per_page: int
) -> tuple[list[Table], Page]:
    """One page of the assembly's tables (of one mesa with ``group_id``), by mesa then number,
    with their mesa and its theme (printed on each join card) loaded alongside."""
    chosen = [Group.assembly_id == assembly_id]
    if group_id is not None:
        chosen.append(Group.id == group_id)
    total = db.session.scalar(select(func.count(Table.id)).join(Group).where(*chosen)) or 0
    shown = page_of(total, per_page, page)
    rows = db.session.scalars(
        select(Table)
        .join(Group)
        .where(*chosen)
        .options(contains_eager(Table.group).joinedload(Group.theme))
        .order_by(Group.number, Table.number)
        .offset(shown.offset)
        .limit(per_page)
    )
    return list(rows), shown


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
    """table id → people seated there (the tables that have someone): ``tables.seated``, kept
    by the database's triggers, not a count of the people."""
    return dict(
        db.session.execute(
            select(Table.id, Table.seated)
            .join(Group, Table.group_id == Group.id)
            .where(Group.assembly_id == assembly_id, Table.seated > 0)
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
