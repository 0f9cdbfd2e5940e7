"""The whole room split into mesas and sub-mesas (and its preview)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.models import User
from assembly.core import jobs, locks, offload
from assembly.errors import Conflict, InvalidInput
from assembly.extensions import db
from assembly.grouping import codes, domain, signals
from assembly.grouping.models import Group, Table
from assembly.grouping.services.reading import _PERSON_COLUMNS, groups_of, tables_of, to_person
from assembly.marks import N_, Problem, said
from assembly.registration.models import Attendee

log = logging.getLogger(__name__)

POPULATIONS = {
    "checked_in": N_("Personas registradas hoy (la sala real)"),
    "registered": N_("Todas las inscripciones (planeación)"),
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


# --- the split --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatRow:
    """What the split reads of one attendee: plain values, never a loaded record (50,000 of
    those cost seconds of CPU)."""

    id: int
    table_id: int | None
    group_id: int | None
    checked_in: bool
    person: domain.Person


#: seats written per statement; a background split commits and yields between them
SEAT_CHUNK = 500
#: tables opened between two commits of a background split
TABLE_CHUNK = 100


def seat_rows(assembly_id: int, *, after_id: int = 0, limit: int | None = None) -> list[SeatRow]:
    """The assembly's attendees as :class:`SeatRow`, by id, from ``after_id`` on (a background
    split reads them ``limit`` at a time, a short read each)."""
    query = (
        select(*_PERSON_COLUMNS, Attendee.group_id, Attendee.checked_in_at)
        .where(Attendee.assembly_id == assembly_id, Attendee.id > after_id)
        .order_by(Attendee.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        SeatRow(r.id, r.table_id, r.group_id, r.checked_in_at is not None, to_person(r))
        for r in db.session.execute(query)
    ]


@dataclass
class _Plan:
    assembly: Assembly
    groups: list[Group]
    result: domain.SplitResult
    population: list[SeatRow]
    everyone: list[SeatRow]
    report: SplitReport


SplitFn = Callable[..., domain.SplitResult]


def _split_off_loop(people, settings, locked=None) -> domain.SplitResult:
    """The pure split, computed in the worker process (:func:`offload.off_loop`: seconds of
    arithmetic at 50,000 people would otherwise hold every other request of the worker); the
    people cross as plain tuples."""
    return offload.off_loop(domain.split_rows, domain.person_rows(people), settings, locked)


def _compute(
    assembly_id: int,
    population: str,
    seed: int,
    rows: list[SeatRow] | None = None,
    split_fn: SplitFn = _split_off_loop,
    before_split: Callable[[], None] | None = None,
) -> _Plan:
    if population not in POPULATIONS:
        raise InvalidInput(
            Problem(
                N_("Elija a quiénes repartir: las personas registradas hoy o todas las inscritas.")
            )
        )
    assembly = get_assembly(assembly_id)
    groups = groups_of(assembly_id)
    if not groups:
        raise Conflict(Problem(N_("La asamblea no tiene mesas: agregue al menos un eje temático.")))
    # the tables as plain values: (theme, number, locked) by id, and the retirable ones
    table_info = {t.id: ((t.group.theme_id, t.number), t.locked) for t in tables_of(assembly_id)}
    status, table_size = assembly.status, assembly.table_size
    theme_ids = tuple(g.theme_id for g in groups)

    everyone = seat_rows(assembly_id) if rows is None else rows
    wanted = [a for a in everyone if population == "registered" or a.checked_in]
    # People at locked tables stay, whether or not they are in the chosen population.
    locked: dict[int, tuple[int, int]] = {}
    for a in everyone:
        info = table_info.get(a.table_id) if a.table_id else None
        if info is not None and info[1]:
            locked[a.id] = info[0]
    people_rows = {a.id: a for a in wanted}
    people_rows.update({a.id: a for a in everyone if a.id in locked})

    settings = domain.Settings(theme_ids=theme_ids, table_size=table_size, seed=seed)
    if before_split is not None:
        before_split()  # a background split ends its read here: the computing holds nothing
    try:
        result = split_fn([a.person for a in people_rows.values()], settings, locked)
    except ValueError as error:
        log.warning("split refused for assembly %s: %s", assembly_id, error)
        raise Conflict(
            Problem(
                N_(
                    "Una mesa bloqueada tiene más personas que el tamaño de sub-mesa; desbloquéela o aumente el tamaño antes de repartir."
                )
            )
        ) from error

    # What would change, against what is stored now.
    now = {
        a.id: table_info[a.table_id][0] for a in everyone if a.table_id and a.table_id in table_info
    }
    existing = {key for key, _locked in table_info.values()}
    planned = {(p.theme_id, p.number) for p in result.tables}
    moved = 0
    for plan in result.tables:
        for pid in plan.members:
            key = now.get(pid)
            if key and key != (plan.theme_id, plan.number):
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
            [key for key, is_locked in table_info.values() if key not in planned and not is_locked]
        ),
        resplit=bool(now),
    )
    if report.resplit and status == "live":
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
    return _Plan(assembly, groups, result, list(people_rows.values()), everyone, report)


#: people a preview reads before it lets the rest of the room be served
PREVIEW_CHUNK = 1000


def preview_split(assembly_id: int, *, population: str, seed: int) -> SplitReport:
    """What :func:`run_split` would do, without writing anything.  The people are read a
    chunk at a time, each read ended (nothing is written) before the other requests of the
    worker get their turn, and the arithmetic runs off the event loop: a preview of 50,000
    does not hold the room."""
    rows: list[SeatRow] = []
    while chunk := seat_rows(assembly_id, after_id=rows[-1].id if rows else 0, limit=PREVIEW_CHUNK):
        rows += chunk
        jobs.breathe()  # nothing was written: ends the read, lets the room be served
    plan = _compute(assembly_id, population, seed, rows)
    db.session.rollback()  # nothing was written; end the read
    return plan.report


def run_split(
    actor: User | None,
    assembly_id: int,
    *,
    population: str = "checked_in",
    seed: int = 0,
    confirm: bool = False,
    rows: list[SeatRow] | None = None,
    split_fn: SplitFn = _split_off_loop,
    on_chunk: Callable[[int, int], None] | None = None,
) -> SplitReport:
    """Split ``population`` ("checked_in" or "registered") into the mesas and their tables.

    People at locked tables stay where they are.  Tables are created as needed (each with a
    fresh join code); tables the split no longer needs are removed when they hold no pieces.
    Re-running over an existing split moves people: it needs ``confirm=True`` (the refusal
    says how many would move), and is refused once the assembly is closed.

    A background split (:mod:`assembly.grouping.split_job`) passes the ``rows`` it read in
    chunks and ``on_chunk(done, total)``, called after each :data:`TABLE_CHUNK` tables opened
    (``0, 0``) and each :data:`SEAT_CHUNK` seats written (it commits and yields).
    """
    plan = _compute(
        assembly_id,
        population,
        seed,
        rows,
        split_fn,
        before_split=None if on_chunk is None else (lambda: on_chunk(0, 0)),
    )
    report = plan.report
    ensure_writable(plan.assembly)
    if report.resplit and report.changes_anything and not confirm:
        raise Conflict(
            Problem(
                N_(
                    "Ya hay un reparto. Volver a repartir %(changes)s. Marque la confirmación "
                    "para aplicarlo."
                ),
                changes=_change_parts(report),
            )
        )
    by_theme = {g.theme_id: g for g in plan.groups}
    by_key: dict[tuple[int, int], Table] = {
        (t.group.theme_id, t.number): t for t in tables_of(assembly_id)
    }
    planned = {(p.theme_id, p.number) for p in plan.result.tables}
    key_for = {pid: (p.theme_id, p.number) for p in plan.result.tables for pid in p.members}
    if on_chunk is None:
        # One transaction: every person it moves, then every sub-mesa of the room, before
        # writing any (core.locks).  A background split locks chunk by chunk instead.
        key_of_table = {t.id: key for key, t in by_key.items()}
        locks.hold_people(
            a.id for a in plan.everyone if key_of_table.get(a.table_id) != key_for.get(a.id)
        )
        locks.hold_tables(t.id for t in by_key.values())
    taken = codes.taken_codes()
    size = plan.assembly.table_size
    # (theme, number) -> (table id, mesa id), noted at each flush: a background split commits
    # between chunks, and an expired table read back one by one would cost a query each
    seats: dict[tuple[int, int], tuple[int, int]] = {}
    pending: list[tuple[tuple[int, int], Table]] = []

    def settle() -> None:
        db.session.flush()
        for key, table in pending:
            seats[key] = (table.id, table.group_id)
        pending.clear()

    for n, p in enumerate(plan.result.tables, 1):
        key = (p.theme_id, p.number)
        table = by_key.get(key)
        if table is None:
            table = Table(
                group=by_theme[p.theme_id],
                number=p.number,
                capacity=size,
                join_code=codes.new_join_code(taken),
            )
            db.session.add(table)
            by_key[key] = table
        elif not table.locked:
            table.capacity = size
        if not table.locked or table.leader_id not in p.members:
            table.leader_id = p.leader
        if table.spokesperson_id is not None and table.spokesperson_id not in p.members:
            table.spokesperson_id = None
        pending.append((key, table))
        if on_chunk is not None and n % TABLE_CHUNK == 0:
            settle()
            on_chunk(0, 0)  # tables opened so far are committed; the room goes on meanwhile
    settle()
    if on_chunk is not None:
        on_chunk(0, 0)  # the tables' own writes committed before any seat's (core.locks)

    # Executemany in chunks instead of thousands of ORM updates; records this session has
    # loaded are told the new values, so that it stays in step with the database.
    changed = []
    for a in plan.everyone:
        seat = seats[key_for[a.id]] if a.id in key_for else (None, None)
        if (a.table_id, a.group_id) != seat:
            changed.append({"id": a.id, "table_id": seat[0], "group_id": seat[1]})
    for start in range(0, len(changed), SEAT_CHUNK):
        chunk = changed[start : start + SEAT_CHUNK]
        if on_chunk is not None:  # each chunk its own transaction: its own locks first
            _hold_seats(chunk)
        db.session.execute(update(Attendee), chunk)
        if on_chunk is not None:
            on_chunk(min(start + SEAT_CHUNK, len(changed)), len(changed))
    seat_of = {c["id"]: c for c in changed}
    for loaded in list(db.session.identity_map.values()):
        if isinstance(loaded, Attendee) and loaded.id in seat_of:
            set_committed_value(loaded, "table_id", seat_of[loaded.id]["table_id"])
            set_committed_value(loaded, "group_id", seat_of[loaded.id]["group_id"])
    retiring = [t for key, t in by_key.items() if key not in planned and not t.locked]
    if retiring:  # anyone seated there since the read, then the sub-mesas (core.locks)
        ids = [t.id for t in retiring]
        locks.hold_people(db.session.scalars(select(Attendee.id).where(Attendee.table_id.in_(ids))))
        locks.hold_tables(ids, delete=True)
    for table in retiring:
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


def _hold_seats(chunk: list[dict]) -> None:
    """A background split's chunk of seats, locked as core.locks says before it is written:
    its people, then the sub-mesas they sit at now (read once they are held) and join."""
    ids = [c["id"] for c in chunk]
    locks.hold_people(ids)
    leaving = db.session.scalars(select(Attendee.table_id).where(Attendee.id.in_(ids)))
    locks.hold_tables([*leaving, *(c["table_id"] for c in chunk)])


def _change_parts(report: SplitReport) -> list[Problem]:
    """What a re-split would change, each part as its msgid and parameters (a refusal a
    split job keeps says them in its reader's language)."""
    parts = [Problem(N_("cambiaría de sub-mesa a %(n)s persona(s)"), n=report.moved)]
    if report.unseated:
        parts.append(
            Problem(
                N_("dejaría sin mesa a %(n)s que no están en el grupo elegido"), n=report.unseated
            )
        )
    if report.new_tables:
        parts.append(Problem(N_("abriría %(n)s sub-mesa(s)"), n=report.new_tables))
    if report.removed_tables:
        parts.append(Problem(N_("quitaría %(n)s sub-mesa(s)"), n=report.removed_tables))
    return parts


def _describe_changes(report: SplitReport) -> str:
    return ", ".join(said(part, _) for part in _change_parts(report))


def describe_changes(report: SplitReport) -> str:
    """The Spanish sentence a preview shows ("cambiaría de sub-mesa a 12 persona(s), ...")."""
    return _describe_changes(report)
