"""The demo's moments of the day, built on the seeded assembly through the real services.

``inicio``  before check-in: the assembly, its agenda and the pre-registrations.
``dia``     the day in progress: most people checked in, the room split into mesas and
            tables, Moment 4 running (solutions), needs on every table and some solutions.
``plenaria`` every table's puzzle written, Moment 5 running, one mesa revealed, one agenda
            approved by hands and a phone vote open with most tickets already cast.
``cierre``  every agenda decided, Moments 2/3 noted, the survey answered, the assembly closed
            (acta stored), a lessons card, and every report exported.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from assembly.agenda.services import control, load_agenda
from assembly.assemblies import periods
from assembly.assemblies import services as assemblies
from assembly.assemblies.models import Assembly
from assembly.assemblies.realtime import broadcasting
from assembly.auth.models import User
from assembly.board.services import approvals, plenary
from assembly.demo import after, texts
from assembly.desk import services as desk
from assembly.extensions import db
from assembly.grouping import services as grouping
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from assembly.reports import domain as report_kinds
from assembly.reports import services as reports

STATES = ("inicio", "dia", "plenaria", "cierre")
#: what ``serve --demo`` with no value seeds
DEFAULT_STATE = "dia"
SEED = 2026


def advance(assembly: Assembly, state: str) -> None:
    """Bring a freshly seeded assembly (state ``inicio``) to ``state``."""
    if state not in STATES:
        raise ValueError(f"unknown demo state {state!r}; one of {', '.join(STATES)}")
    if state == "inicio":
        return
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    rng = random.Random(SEED)
    _check_in_and_split(admin, assembly, rng)
    if state == "dia":
        _write(assembly, rng, complete=False)
        _clock_at(admin, assembly, moment_kind="mesas", step_kind="solutions")
        return
    _write(assembly, rng, complete=True)
    _spokespeople(admin, assembly)
    _clock_at(admin, assembly, moment_kind="plenaria", step_kind=None)
    groups = grouping.groups_of(assembly.id)
    if state == "plenaria":
        _plenary(admin, assembly, groups, rng)
        return
    _decide_all(admin, assembly, groups, rng)
    after.before_closing(admin, assembly, _tickets(assembly.id), rng)
    with broadcasting():
        assemblies.close_assembly(admin, db.session.get(Assembly, assembly.id))
    after.after_closing(admin, assembly)
    _export_reports(admin, assembly)


def _check_in_and_split(admin: User, assembly: Assembly, rng: random.Random) -> None:
    people = db.session.scalars(
        select(Attendee).where(Attendee.assembly_id == assembly.id).order_by(Attendee.id)
    ).all()
    arrived = [a.id for a in people if rng.random() < 0.88]
    late = arrived[-12:]
    start = utcnow() - timedelta(hours=5)
    with broadcasting():
        for n, attendee_id in enumerate(arrived[:-12]):
            desk_name = f"Mesa {n % 4 + 1}"
            desk.check_in_by_id(
                admin, assembly.id, attendee_id, desk_name, start + timedelta(seconds=20 * n)
            )
    with broadcasting():
        grouping.run_split(admin, assembly.id, population="checked_in", seed=SEED)
    with broadcasting():  # late arrivals: the desk seats them at a table with room
        for n, attendee_id in enumerate(late):
            desk.check_in_by_id(
                admin, assembly.id, attendee_id, "Mesa 1", utcnow() - timedelta(minutes=90 - n)
            )


def _tables(assembly_id: int) -> list[Table]:
    return db.session.scalars(
        select(Table)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .order_by(Group.number, Table.number)
    ).all()


def _write(assembly: Assembly, rng: random.Random, *, complete: bool) -> None:
    """Needs on every table; then solutions (all, or about half); plans only when complete."""
    quarters = [q.value for q in periods.offered(assembly)] or [None]
    tables = _tables(assembly.id)
    written: dict[int, list[texts.Written]] = {t.id: [] for t in tables}
    kinds = ("need", "solution", "plan") if complete else ("need", "solution")
    now = utcnow() - timedelta(minutes=40)
    with broadcasting():
        for kind in kinds:
            for table in tables:
                parents = texts.missing(kind, written[table.id])
                if kind == "need" and rng.random() < 0.4:
                    parents = parents * 2  # two needs at this table
                elif kind == "solution" and not complete:
                    parents = parents[: rng.choice((0, 1))]
                for parent_id in parents:
                    piece = _piece(table, kind, parent_id, rng, quarters, now)
                    written[table.id].append(texts.Written(piece.id, kind, parent_id))
                    now += timedelta(seconds=7)
        db.session.flush()


def _piece(table, kind, parent_id, rng, quarters, when) -> Piece:
    if kind == "plan":
        text, who = rng.choice(texts.PLANS)
        due = rng.choice(quarters)
    else:
        text, who, due = rng.choice(texts.NEEDS if kind == "need" else texts.SOLUTIONS), None, None
    piece = Piece(
        id=str(uuid.uuid4()),
        table_id=table.id,
        kind=kind,
        parent_id=parent_id,
        text=text,
        who=who,
        due=due,
        status="pendiente",
        hidden=False,
        version=1,
        created_at=when,
    )
    db.session.add(piece)
    return piece


def _clock_at(admin: User, assembly: Assembly, *, moment_kind: str, step_kind: str | None) -> None:
    """Start the live clock at the first slot of that moment (and step) kind, now."""
    agenda = load_agenda(db.session.get(Assembly, assembly.id))
    slot = next(
        s
        for s in agenda.slots
        if s.moment_kind == moment_kind and (step_kind is None or s.step_kind == step_kind)
    )
    with broadcasting():
        control(admin, assembly.id, "start", position=slot.key)


def _spokespeople(admin: User, assembly: Assembly) -> None:
    """Each table's leader speaks for it; each mesa's first table's leader for the mesa."""
    with broadcasting():
        for table in _tables(assembly.id):
            table.spokesperson_id = table.leader_id
        for group in grouping.groups_of(assembly.id):
            first = next((t for t in sorted(group.tables, key=lambda t: t.number)), None)
            group.spokesperson_id = first.leader_id if first else None
        db.session.flush()


def _tickets(assembly_id: int) -> list[str]:
    return db.session.scalars(
        select(Attendee.ticket_token)
        .where(Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None))
        .order_by(Attendee.id)
    ).all()


def _plenary(admin, assembly, groups, rng) -> None:
    """Mesa 1 approved by hands, mesa 2 revealed with its phone vote open and mostly cast."""
    electorate = len(_tickets(assembly.id))
    with broadcasting():
        approvals.record_hands(
            admin,
            assembly.id,
            groups[0].id,
            {"for": electorate - 9, "against": 5, "abstain": 4},
        )
        plenary.plenary_command(admin, assembly.id, "reveal", group_id=groups[0].id)
        plenary.plenary_command(admin, assembly.id, "reveal", group_id=groups[1].id)
        vote = approvals.open_vote(admin, assembly.id, groups[1].id)
    _cast(vote.id, _tickets(assembly.id), rng, share=0.7)


def _cast(approval_id: int, tickets: list[str], rng, *, share: float) -> None:
    with broadcasting():
        for token in tickets:
            if rng.random() < share:
                choice = rng.choices(("for", "against", "abstain"), (85, 9, 6))[0]
                approvals.cast_vote(token, approval_id, choice)


def _decide_all(admin, assembly, groups, rng) -> None:
    """Every mesa revealed and decided: odd ones by hands, even ones by phone."""
    electorate = len(_tickets(assembly.id))
    for n, group in enumerate(groups):
        with broadcasting():
            plenary.plenary_command(admin, assembly.id, "reveal", group_id=group.id)
            if n % 2 == 0:
                approvals.record_hands(
                    admin,
                    assembly.id,
                    group.id,
                    {"for": electorate - 10 - n, "against": 6 + n, "abstain": 4},
                )
                continue
            vote = approvals.open_vote(admin, assembly.id, group.id)
        _cast(vote.id, _tickets(assembly.id), rng, share=0.8)
        with broadcasting():
            approvals.close_vote(admin, assembly.id, group.id)
    with broadcasting():
        plenary.plenary_command(admin, assembly.id, "whole")


def _export_reports(admin: User, assembly: Assembly) -> None:
    """Every report of the closed day, saved and logged as the reports page does it."""
    with broadcasting():
        for kind in report_kinds.REPORTS:
            reports.export_report(
                admin,
                kind,
                [assembly.id],
                report_kinds.PSEUDONYMISED,
                exports_dir=Path(current_app.config["EXPORTS_DIR"]),
                secret=current_app.config["PSEUDONYM_KEY"],  # never the session key
                k=current_app.config["EXPORT_K"],
            )
