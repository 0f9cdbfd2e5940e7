"""Splitting the room on stored data, late arrivals, manual changes.  Flush, never commit.

The pure split lives in :mod:`assembly.grouping.domain`; here it meets the database: attendees
become :class:`domain.Person`, the plans become ``Table`` rows, and every attendee gets its
``group_id`` / ``table_id``.  Broadcasts (after the commit) are in
:mod:`assembly.grouping.broadcasts`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.domain import Role
from assembly.auth.models import User
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.grouping import codes, domain, signals
from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee
from assembly.registration.services import get_attendee

log = logging.getLogger(__name__)

POPULATIONS = {
    "checked_in": "Personas registradas hoy (la sala real)",
    "registered": "Todas las inscripciones (planeación)",
}


@dataclass
class SplitReport:
    """What a split did (or, in a preview, would do) and how well it met the soft goals."""

    population: str
    seed: int
    quality: domain.Quality
    #: people seated before whose table changes (a first split moves nobody)
    moved: int = 0
    #: people who were seated before and are not in the chosen population (they lose the seat)
    unseated: int = 0
    #: people kept where they are because their table is locked
    kept_locked: int = 0
    new_tables: int = 0
    removed_tables: int = 0
    #: True when people were already seated: re-running changes an existing split
    resplit: bool = False
    applied: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.moved or self.unseated or self.new_tables or self.removed_tables)


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


def unseated(assembly_id: int, *, checked_in_only: bool = True) -> list[Attendee]:
    query = select(Attendee).where(Attendee.assembly_id == assembly_id, Attendee.table_id.is_(None))
    if checked_in_only:
        query = query.where(Attendee.checked_in_at.is_not(None))
    return list(db.session.scalars(query.order_by(Attendee.last_names, Attendee.first_names)))


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


def is_split(assembly_id: int) -> bool:
    """True once the room has tables (a split ran, or tables were opened)."""
    return (
        db.session.scalar(
            select(func.count(Table.id)).join(Group).where(Group.assembly_id == assembly_id)
        )
        or 0
    ) > 0


# --- the split --------------------------------------------------------------------------------


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


@dataclass
class _Plan:
    assembly: Assembly
    groups: list[Group]
    result: domain.SplitResult
    population: list[Attendee]
    report: SplitReport


def _compute(assembly_id: int, population: str, seed: int) -> _Plan:
    if population not in POPULATIONS:
        raise InvalidInput(
            "Elija a quiénes repartir: las personas registradas hoy o todas las inscritas."
        )
    assembly = get_assembly(assembly_id)
    groups = groups_of(assembly_id)
    if not groups:
        raise Conflict("La asamblea no tiene mesas: agregue al menos un eje temático.")
    tables = tables_of(assembly_id)
    table_by_id = {t.id: t for t in tables}

    query = select(Attendee).where(Attendee.assembly_id == assembly_id)
    everyone = list(db.session.scalars(query))
    wanted = [a for a in everyone if population == "registered" or a.checked_in_at is not None]
    # People at locked tables stay, whether or not they are in the chosen population.
    locked: dict[int, tuple[int, int]] = {}
    for a in everyone:
        table = table_by_id.get(a.table_id) if a.table_id else None
        if table is not None and table.locked:
            locked[a.id] = (table.group.theme_id, table.number)
    people_rows = {a.id: a for a in wanted}
    people_rows.update({a.id: a for a in everyone if a.id in locked})

    settings = domain.Settings(
        theme_ids=tuple(g.theme_id for g in groups), table_size=assembly.table_size, seed=seed
    )
    try:
        result = domain.split([to_person(a) for a in people_rows.values()], settings, locked)
    except ValueError as error:
        log.warning("split refused for assembly %s: %s", assembly_id, error)
        raise Conflict(
            "Una mesa bloqueada tiene más personas que el tamaño de sub-mesa; "
            "desbloquéela o aumente el tamaño antes de repartir."
        ) from error

    # What would change, against what is stored now.
    now = {a.id: (a.table_id and table_by_id.get(a.table_id)) for a in everyone if a.table_id}
    existing = {(t.group.theme_id, t.number) for t in tables}
    planned = {(p.theme_id, p.number) for p in result.tables}
    moved = 0
    for plan in result.tables:
        for pid in plan.members:
            table = now.get(pid)
            if table and (table.group.theme_id, table.number) != (plan.theme_id, plan.number):
                moved += 1
    report = SplitReport(
        population=population,
        seed=seed,
        quality=result.quality,
        moved=moved,
        unseated=sum(1 for pid in now if pid not in people_rows),
        kept_locked=len(locked),
        new_tables=len(planned - existing),
        removed_tables=len(
            [t for t in tables if (t.group.theme_id, t.number) not in planned and not t.locked]
        ),
        resplit=bool(now),
    )
    if report.resplit and assembly.status == "live":
        report.warnings.append(
            "La asamblea está en curso: las sub-mesas pueden estar trabajando ya. "
            "Bloquee las que deban quedarse como están antes de volver a repartir."
        )
    if not people_rows:
        report.warnings.append(
            "No hay personas para repartir: nadie se ha registrado hoy."
            if population == "checked_in"
            else "No hay personas inscritas."
        )
    return _Plan(assembly, groups, result, list(people_rows.values()), report)


def preview_split(assembly_id: int, *, population: str, seed: int) -> SplitReport:
    """What :func:`run_split` would do, without writing anything."""
    plan = _compute(assembly_id, population, seed)
    db.session.rollback()  # nothing was written; end the read
    return plan.report


def run_split(
    actor: User | None,
    assembly_id: int,
    *,
    population: str = "checked_in",
    seed: int = 0,
    confirm: bool = False,
) -> SplitReport:
    """Split ``population`` ("checked_in" or "registered") into the mesas and their tables.

    People at locked tables stay where they are.  Tables are created as needed (each with a
    fresh join code); tables the split no longer needs are removed when they hold no pieces.
    Re-running over an existing split moves people: it needs ``confirm=True`` (the refusal
    says how many would move), and is refused once the assembly is closed.
    """
    plan = _compute(assembly_id, population, seed)
    report = plan.report
    ensure_writable(plan.assembly)
    if report.resplit and report.changes_anything and not confirm:
        raise Conflict(
            "Ya hay un reparto. Volver a repartir "
            + _describe_changes(report)
            + ". Marque la confirmación para aplicarlo."
        )
    by_theme = {g.theme_id: g for g in plan.groups}
    rows: dict[tuple[int, int], Table] = {
        (t.group.theme_id, t.number): t for t in tables_of(assembly_id)
    }
    planned = {(p.theme_id, p.number) for p in plan.result.tables}
    taken = set(db.session.scalars(select(Table.join_code)))
    table_for: dict[int, Table] = {}
    for p in plan.result.tables:
        table = rows.get((p.theme_id, p.number))
        if table is None:
            table = Table(
                group=by_theme[p.theme_id],
                number=p.number,
                capacity=plan.assembly.table_size,
                join_code=codes.new_join_code(taken),
            )
            db.session.add(table)
            rows[(p.theme_id, p.number)] = table
        elif not table.locked:
            table.capacity = plan.assembly.table_size
        if not table.locked or table.leader_id not in p.members:
            table.leader_id = p.leader
        if table.spokesperson_id is not None and table.spokesperson_id not in p.members:
            table.spokesperson_id = None
        for pid in p.members:
            table_for[pid] = table
    db.session.flush()

    # One executemany instead of thousands of ORM updates; the loaded rows are told the new
    # values so that the session stays in step with the database.
    changed, rows_changed = [], []
    for a in db.session.scalars(select(Attendee).where(Attendee.assembly_id == assembly_id)):
        table = table_for.get(a.id)
        seat = (table.id, table.group_id) if table else (None, None)
        if (a.table_id, a.group_id) != seat:
            changed.append({"id": a.id, "table_id": seat[0], "group_id": seat[1]})
            rows_changed.append((a, seat))
    if changed:
        db.session.execute(update(Attendee), changed)
        for a, (table_id, group_id) in rows_changed:
            set_committed_value(a, "table_id", table_id)
            set_committed_value(a, "group_id", group_id)
    for key, table in rows.items():
        if key not in planned and not table.locked:
            table.leader_id = table.spokesperson_id = None
            if not any(keep for _receiver, keep in signals.table_retiring.send(table)):
                table.group.tables.remove(table)
    db.session.flush()
    report.applied = True
    log.info(
        "assembly %s split by %s: %s people, %s tables, %s moved",
        assembly_id,
        actor.username if actor else "-",
        report.quality.people,
        report.quality.tables_count,
        report.moved,
    )
    return report


def _describe_changes(report: SplitReport) -> str:
    parts = [f"cambiaría de sub-mesa a {report.moved} persona(s)"]
    if report.unseated:
        parts.append(f"dejaría sin mesa a {report.unseated} que no están en el grupo elegido")
    if report.new_tables:
        parts.append(f"abriría {report.new_tables} sub-mesa(s)")
    if report.removed_tables:
        parts.append(f"quitaría {report.removed_tables} sub-mesa(s)")
    return ", ".join(parts)


def describe_changes(report: SplitReport) -> str:
    """The Spanish sentence a preview shows ("cambiaría de sub-mesa a 12 persona(s), ...")."""
    return _describe_changes(report)


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
    tables = tables_of(assembly_id)
    if not tables:
        return None
    assembly = db.session.get(Assembly, assembly_id)
    groups = groups_of(assembly_id)
    people = people_by_table(assembly_id)
    seats = [
        domain.TableSeat(
            theme_id=t.group.theme_id,
            number=t.number,
            members=tuple(p for p in people.get(t.id, []) if p.id != attendee.id),
            capacity=t.capacity,
            locked=t.locked,
        )
        for t in tables
    ]
    settings = domain.Settings(
        theme_ids=tuple(g.theme_id for g in groups), table_size=assembly.table_size
    )
    person = to_person(attendee)
    while True:
        placement = domain.place_late_arrival(person, seats, settings)
        if placement.new_table:
            break
        chosen = next(
            t
            for t in tables
            if t.group.theme_id == placement.theme_id and t.number == placement.number
        )
        if _still_has_a_seat(chosen, attendee.id):
            break
        # Another desk (another process) took the last seat since we read the room: mark the
        # table full and place again, so that no table ever goes over its capacity.
        seats = [
            replace(seat, capacity=len(seat.members))
            if (seat.theme_id, seat.number) == (placement.theme_id, placement.number)
            else seat
            for seat in seats
        ]
    group = next(g for g in groups if g.theme_id == placement.theme_id)
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
        table = next(t for t in tables if t.group_id == group.id and t.number == placement.number)
    attendee.group_id, attendee.table_id = group.id, table.id
    if table.leader_id is None and to_person(attendee).leader_candidate:
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
                f"La sub-mesa {table.group.number}.{table.number} está bloqueada: "
                "desbloquéela para mover personas."
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


def move_attendee(actor: User, assembly_id: int, attendee_id: int, table_id: int) -> Change:
    """Seat one person at another table (neither table locked, the target with a free seat)."""
    ensure_writable(get_assembly(assembly_id))
    attendee = get_attendee(assembly_id, attendee_id)
    target = _table(assembly_id, table_id)
    source = db.session.get(Table, attendee.table_id) if attendee.table_id else None
    if source is not None and source.id == target.id:
        raise InvalidInput(f"{attendee.full_name} ya está en esa sub-mesa.")
    _refuse_locked(source, target)
    if _seated_count(target) >= target.capacity:
        raise Conflict(
            f"La sub-mesa {target.group.number}.{target.number} está llena "
            f"({target.capacity} personas). Use «Intercambiar» o mueva primero a alguien."
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
        raise InvalidInput("Elija a dos personas distintas para intercambiar.")
    a, b = get_attendee(assembly_id, first_id), get_attendee(assembly_id, second_id)
    for person in (a, b):
        if person.table_id is None:
            raise Conflict(f"{person.full_name} todavía no tiene sub-mesa: use «Mover».")
    ta, tb = db.session.get(Table, a.table_id), db.session.get(Table, b.table_id)
    if ta.id == tb.id:
        raise InvalidInput("Las dos personas ya están en la misma sub-mesa.")
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
                f"{attendee.full_name} no está en la sub-mesa {table.group.number}.{table.number}."
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


def assign_facilitator(actor: User, assembly_id: int, group_id: int, user_id: int | None) -> Change:
    """Put a staff facilitator in charge of a mesa, or leave it without one (None)."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    if user_id is not None:
        user = db.session.get(User, user_id)
        if user is None or not user.active or user.role != Role.FACILITATOR.value:
            raise InvalidInput("Elija una cuenta activa con el rol de facilitación.")
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
    members = members_by_table(assembly_id)
    people = [to_person(a) for rows in members.values() for a in rows]
    plans = []
    for t in tables:
        ids = sorted(a.id for a in members.get(t.id, []))
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
