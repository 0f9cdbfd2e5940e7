"""The agenda as the clock reads it: moments and steps from the database, in the venue's zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from assembly.agenda import domain
from assembly.agenda.domain import AgendaItem, ClockError, ClockState, MomentPlan, StepPlan
from assembly.agenda.models import AgendaClock
from assembly.assemblies.models import Assembly, Moment, Step
from assembly.core import testclock
from assembly.extensions import db
from assembly.helpers import venue_zone
from assembly.marks import N_

#: step kind -> the puzzle piece kinds a table may write while that step runs
PIECES_BY_STEP_KIND = {"needs": {"need"}, "solutions": {"solution"}, "plan": {"plan"}}
#: moment kinds during which the projector shows its idle slideshow
IDLE_MOMENT_KINDS = {"receso", "registro"}
ACTIONS = ("start", "pause", "resume", "extend", "next", "back", "jump", "reset")

#: what the console's log says each command did (translated where shown)
ACTION_LABELS = {
    "start": N_("Inició"),
    "pause": N_("Pausó"),
    "resume": N_("Reanudó"),
    "extend": N_("Extendió"),
    "next": N_("Pasó al siguiente"),
    "back": N_("Volvió al anterior"),
    "jump": N_("Saltó a"),
    "reset": N_("Reinició la agenda"),
    "reanchor": N_("Agenda editada"),
}


@dataclass(frozen=True)
class Slot:
    """What the screens need to know about one slot besides the arithmetic."""

    key: str
    moment_id: int
    moment_title: str
    moment_kind: str
    step_id: int | None
    step_title: str | None
    step_kind: str | None


@dataclass(frozen=True)
class Agenda:
    items: list[AgendaItem]
    slots: list[Slot]


def moment_plans(
    day: dt.date, moments: list[Moment], steps: list[Step], zone: dt.tzinfo
) -> list[MomentPlan]:
    """The domain's input: moments in order, each with its ordered steps and an *aware*
    planned start (the naive time of day is wall-clock time in ``zone`` on ``day``)."""
    by_moment: dict[int, list[Step]] = {}
    for step in steps:
        by_moment.setdefault(step.moment_id, []).append(step)
    return [
        MomentPlan(
            id=moment.id,
            title=moment.title,
            planned_start=dt.datetime.combine(day, moment.planned_start, tzinfo=zone),
            planned_minutes=moment.planned_minutes,
            steps=[
                StepPlan(step.id, step.title, step.minutes)
                for step in sorted(by_moment.get(moment.id, []), key=lambda s: s.position)
            ],
        )
        for moment in moments
    ]


def load_agenda(assembly: Assembly, day: dt.date | None = None) -> Agenda:
    """The flattened agenda read fresh from the database (never a cached relationship: an
    edit in the same transaction must be seen), planned on ``day`` (the assembly's date
    unless given)."""
    moments = db.session.scalars(
        select(Moment).where(Moment.assembly_id == assembly.id).order_by(Moment.position)
    ).all()
    steps = db.session.scalars(
        select(Step).where(Step.moment_id.in_([m.id for m in moments])).order_by(Step.position)
    ).all()
    items = domain.flatten(moment_plans(day or assembly.date, moments, steps, venue_zone(assembly)))
    by_id = {m.id: m for m in moments}
    step_by_id = {s.id: s for s in steps}
    slots = []
    for item in items:
        moment_part, _, step_part = item.key.partition(".")
        moment = by_id[int(moment_part[1:])]
        step = step_by_id[int(step_part[1:])] if step_part else None
        slots.append(
            Slot(
                key=item.key,
                moment_id=moment.id,
                moment_title=moment.title,
                moment_kind=moment.kind,
                step_id=step.id if step else None,
                step_title=step.title if step else None,
                step_kind=step.kind if step else None,
            )
        )
    return Agenda(items, slots)


def _agenda_fingerprint(items: list[AgendaItem]) -> list[dict]:
    return [{"key": i.key, "planned_minutes": i.planned_minutes} for i in items]


def _items_from_fingerprint(rows: list[dict]) -> list[AgendaItem]:
    return [AgendaItem(r["key"], "", None, int(r["planned_minutes"])) for r in rows]


def _record(assembly_id: int, *, create: bool) -> AgendaClock | None:
    record = db.session.get(AgendaClock, assembly_id)
    if record is None and create:
        record = AgendaClock(assembly_id=assembly_id, state=ClockState().to_dict(), agenda=[])
        db.session.add(record)
    return record


def _carried(state: ClockState, record: AgendaClock | None, agenda: Agenda) -> ClockState:
    """The stored state carried over any agenda edit made since it was stored.

    Read paths use this so that a screen never shows a stale slot even if the edit did not
    go through :func:`reanchor_after_edit`; a removed running slot leaves the state as is
    (the moderator's next command says so and "jump" recovers).
    """
    if record is None or state.status not in domain.ACTIVE:
        return state
    old = _items_from_fingerprint(record.agenda or [])
    if old == [] or _agenda_fingerprint(agenda.items) == record.agenda:
        return state
    try:
        return domain.reanchor(state, old, agenda.items)
    except ClockError:
        return state


def _now(now: float | None) -> float:
    return testclock.now() if now is None else now
