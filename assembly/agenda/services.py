"""The live agenda: the stored clock, its controls, what the screens read, and the log.

Every function flushes; the caller commits (``unit_of_work``) and then broadcasts
(``assembly.agenda.broadcasts``).  Arithmetic lives in ``domain.py``; here we only load the
agenda from the database, turn planned times into aware datetimes in the assembly's zone,
and store the result.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from assembly.agenda import domain
from assembly.agenda.domain import AgendaItem, ClockError, ClockState, MomentPlan, StepPlan
from assembly.agenda.models import AgendaClock, ClockAction
from assembly.assemblies.models import Assembly, Moment, Step
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.helpers import venue_zone

#: step kind -> the puzzle piece kinds a table may write while that step runs
PIECES_BY_STEP_KIND = {"needs": {"need"}, "solutions": {"solution"}, "plan": {"plan"}}
#: moment kinds during which the projector shows its idle slideshow
IDLE_MOMENT_KINDS = {"receso", "registro"}
ACTIONS = ("start", "pause", "resume", "extend", "next", "back", "jump", "reset")

ACTION_LABELS = {
    "start": "Inició",
    "pause": "Pausó",
    "resume": "Reanudó",
    "extend": "Extendió",
    "next": "Pasó al siguiente",
    "back": "Volvió al anterior",
    "jump": "Saltó a",
    "reset": "Reinició la agenda",
    "reanchor": "Agenda editada",
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
    return time.time() if now is None else now


# --------------------------------------------------------------------------- controls


def _parse_minutes(value) -> float:
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        try:
            value = float(value)
        except ValueError:
            raise InvalidInput(_("La extensión debe ser un número de minutos.")) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(_("La extensión debe ser un número de minutos."))
    return value


def _parse_position(value) -> int | str:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return value
    raise InvalidInput(_("Indique a qué momento o paso saltar."))


def control(
    actor,
    assembly_id: int,
    action: str,
    *,
    minutes=None,
    position=None,
    now: float | None = None,
) -> ClockState:
    """Carry out one moderator command, store the new state and log who did it."""
    if action not in ACTIONS:
        raise InvalidInput(_("Acción del reloj desconocida."))
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    now = _now(now)
    agenda = load_agenda(assembly)
    record = _record(assembly.id, create=True)
    before = _carried(ClockState.from_dict(record.state), record, agenda)
    items = agenda.items
    details: dict = {"from": before.key}
    try:
        if action == "start":
            after = domain.start(
                items, before, now, 0 if position is None else _parse_position(position)
            )
        elif action == "pause":
            after = domain.pause(before, now)
        elif action == "resume":
            after = domain.resume(before, now)
        elif action == "extend":
            details["minutes"] = _parse_minutes(minutes)
            after = domain.extend(before, now, details["minutes"])
        elif action == "next":
            after = domain.next_slot(items, before, now)
        elif action == "back":
            after = domain.back(items, before, now)
        elif action == "jump":
            if position is None:
                raise InvalidInput(_("Indique a qué momento o paso saltar."))
            after = domain.jump(items, before, now, _parse_position(position))
        else:
            after = domain.reset(before)
    except ClockError as error:
        raise Conflict(error.message) from None
    details["to"] = after.key
    if after.position is not None:
        details["title"] = _slot_title(agenda.slots[after.position])
    record.state = after.to_dict()
    record.agenda = _agenda_fingerprint(items)
    _log(actor, assembly.id, action, details, now)
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(
            _("Otra persona cambió el reloj en este mismo momento; revise y repita.")
        ) from None
    return after


def reanchor_after_edit(actor, assembly_id: int, now: float | None = None) -> ClockState | None:
    """Carry a running clock over an agenda edit made in this transaction (rename, reorder,
    new durations).  Removing the running slot is refused with :class:`Conflict`, so the
    caller's transaction rolls back and the edit does not happen."""
    record = _record(assembly_id, create=False)
    if record is None:
        return None
    state = ClockState.from_dict(record.state)
    agenda = load_agenda(get_assembly(assembly_id))
    fingerprint = _agenda_fingerprint(agenda.items)
    if state.status not in domain.ACTIVE or not record.agenda:
        if record.agenda != fingerprint:
            record.agenda = fingerprint
            db.session.flush()
        return state
    try:
        after = domain.reanchor(state, _items_from_fingerprint(record.agenda), agenda.items)
    except ClockError as error:
        after = _into_first_step(state, agenda.items)
        if after is None:
            raise Conflict(error.message) from None
    if after is not state:
        record.state = after.to_dict()
        _log(actor, assembly_id, "reanchor", {"from": state.key, "to": after.key}, _now(now))
    record.agenda = fingerprint
    db.session.flush()
    return after


def _into_first_step(state: ClockState, items: list[AgendaItem]) -> ClockState | None:
    """A running moment that just got its first steps goes on as its first step (same
    start, pauses and extensions); None when the running slot is really gone."""
    if state.key is None or "." in state.key:
        return None
    for index, item in enumerate(items):
        if item.key.startswith(state.key + "."):
            return replace(
                state,
                position=index,
                key=item.key,
                duration_s=item.planned_minutes * 60 + state.extended_s,
                version=state.version + 1,
            )
    return None


def _log(actor, assembly_id: int, action: str, details: dict, now: float) -> None:
    db.session.add(
        ClockAction(
            assembly_id=assembly_id,
            user_id=getattr(actor, "id", None),
            actor_name=getattr(actor, "display_name", "") or "",
            at=dt.datetime.fromtimestamp(now, dt.UTC).replace(tzinfo=None),
            action=action,
            details=details,
        )
    )


def action_log(assembly_id: int, limit: int = 50) -> list[dict]:
    """The latest clock commands, newest first, with venue times for the console."""
    zone = venue_zone(get_assembly(assembly_id))
    rows = db.session.scalars(
        select(ClockAction)
        .where(ClockAction.assembly_id == assembly_id)
        .order_by(ClockAction.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": row.id,
            "at": row.at.replace(tzinfo=dt.UTC).timestamp(),
            "time": row.at.replace(tzinfo=dt.UTC).astimezone(zone).strftime("%H:%M:%S"),
            "who": row.actor_name,
            "action": row.action,
            "label": _describe(row),
        }
        for row in rows
    ]


def _describe(row: ClockAction) -> str:
    label = ACTION_LABELS.get(row.action, row.action)
    details = row.details or {}
    if row.action == "extend":
        minutes = details.get("minutes", 0)
        shown = int(minutes) if float(minutes).is_integer() else minutes
        return f"{label} {shown} min"
    if details.get("title") and row.action in {"start", "next", "back", "jump"}:
        return f"{label}: {details['title']}"
    return label


def _slot_title(slot: Slot) -> str:
    return f"{slot.moment_title} · {slot.step_title}" if slot.step_title else slot.moment_title


# --------------------------------------------------------------------------- reading


def _run_day(assembly: Assembly, state: ClockState) -> dt.date:
    """The day the plan is measured on: the assembly's date, or the day the clock actually
    ran when that differs (a rehearsal the day before must not read "vamos 1440 min tarde")."""
    first = state.history[0].actual_start if state.history else state.started_at
    if first is None:
        return assembly.date
    return dt.datetime.fromtimestamp(first, venue_zone(assembly)).date()


def _projection_now(assembly: Assembly, agenda: Agenda, state: ClockState, now: float) -> float:
    """``now`` for delay and projections; before the day starts on another day than the
    assembly's, the plan itself (no delay, projected = planned)."""
    if state.status != domain.IDLE or not agenda.items:
        return now
    if dt.datetime.fromtimestamp(now, venue_zone(assembly)).date() == assembly.date:
        return now
    first = domain.planned_times(agenda.items)[0][0]
    return now if first is None else first


def _current_state(assembly_id: int) -> tuple[Assembly, Agenda, ClockState]:
    assembly = get_assembly(assembly_id)
    record = _record(assembly.id, create=False)
    state = ClockState.from_dict(record.state if record else None)
    agenda = load_agenda(assembly, _run_day(assembly, state))
    return assembly, agenda, _carried(state, record, agenda)


def _current_slot(agenda: Agenda, state: ClockState) -> Slot | None:
    if state.status not in domain.ACTIVE or state.position is None:
        return None
    if state.position >= len(agenda.slots) or agenda.slots[state.position].key != state.key:
        return None
    return agenda.slots[state.position]


def _hhmm(epoch: float | None, zone: dt.tzinfo) -> str:
    if epoch is None:
        return ""
    return dt.datetime.fromtimestamp(epoch, zone).strftime("%H:%M")


def clock_snapshot(assembly_id: int, now: float | None = None) -> dict:
    """What every clock screen needs — ``ClockState.to_dict()`` plus the current
    moment and step (title, kind), the next moment with its start, the delay and
    ``server_now`` (epoch seconds)."""
    now = _now(now)
    assembly, agenda, state = _current_state(assembly_id)
    zone = venue_zone(assembly)
    slot = _current_slot(agenda, state)
    at = _projection_now(assembly, agenda, state, now)
    delay = domain.delay_minutes(agenda.items, state, at) if agenda.items else 0.0
    return {
        **state.to_dict(),
        "assembly_id": assembly.id,
        "server_now": now,
        "moment": (
            {"id": slot.moment_id, "title": slot.moment_title, "kind": slot.moment_kind}
            if slot
            else None
        ),
        "step": (
            {"id": slot.step_id, "title": slot.step_title, "kind": slot.step_kind}
            if slot and slot.step_id
            else None
        ),
        "next": _next_moment(agenda, state, at, zone),
        "idle": slot is None or slot.moment_kind in IDLE_MOMENT_KINDS,
        "delay_minutes": round(delay, 2),
        "delay_text": domain.format_delay(delay),
        "slots": len(agenda.items),
    }


def _next_moment(agenda: Agenda, state: ClockState, now: float, zone) -> dict | None:
    """The next moment after the current one (the first when the day has not started)."""
    if not agenda.items or state.status == domain.FINISHED:
        return None
    current = _current_slot(agenda, state)
    rows = domain.projected_schedule(agenda.items, state, now)
    start = 0 if current is None else state.position + 1
    for index in range(start, len(agenda.slots)):
        slot = agenda.slots[index]
        if current is not None and slot.moment_id == current.moment_id:
            continue
        row = rows[index]
        return {
            "title": slot.moment_title,
            "kind": slot.moment_kind,
            "planned_start": row.planned_start,
            "planned_text": _hhmm(row.planned_start, zone),
            "projected_start": row.projected_start,
            "projected_text": _hhmm(row.projected_start, zone),
        }
    return None


def schedule(assembly_id: int, now: float | None = None) -> dict:
    """The moderator's agenda: every slot with planned, actual and projected times (epoch
    seconds and local HH:MM), the running delay and how far each slot is from the current."""
    now = _now(now)
    assembly, agenda, state = _current_state(assembly_id)
    zone = venue_zone(assembly)
    now = _projection_now(assembly, agenda, state, now)
    rows = domain.projected_schedule(agenda.items, state, now) if agenda.items else []
    delay = domain.delay_minutes(agenda.items, state, now) if agenda.items else 0.0
    out = []
    for row, slot in zip(rows, agenda.slots, strict=True):
        shift = None
        if row.status == "pending" and row.planned_start is not None:
            shift = round((row.projected_start - row.planned_start) / 60)
        out.append(
            {
                **row.to_dict(),
                "moment_id": slot.moment_id,
                "moment_title": slot.moment_title,
                "moment_kind": slot.moment_kind,
                "step_title": slot.step_title,
                "step_kind": slot.step_kind,
                "planned_text": _range(row.planned_start, row.planned_end, zone),
                "actual_text": _range(row.actual_start, row.actual_end, zone),
                "projected_text": _range(row.projected_start, row.projected_end, zone),
                "shift_minutes": shift,
            }
        )
    end = rows[-1].projected_end if rows else None
    return {
        "rows": out,
        "status": state.status,
        "position": state.position,
        "delay_minutes": round(delay, 2),
        "delay_text": domain.format_delay(delay),
        "projected_end_text": _hhmm(end, zone),
        "planned_end_text": _hhmm(rows[-1].planned_end if rows else None, zone),
    }


def _range(start: float | None, end: float | None, zone) -> str:
    if start is None:
        return ""
    return f"{_hhmm(start, zone)}–{_hhmm(end, zone)}" if end is not None else _hhmm(start, zone)


def open_piece_kinds(assembly_id: int) -> set[str]:
    """The piece kinds a table may write/edit/delete now — the kind of the current
    (running or paused) step: needs -> {"need"}, solutions -> {"solution"}, plan -> {"plan"};
    otherwise an empty set."""
    try:
        _, agenda, state = _current_state(assembly_id)
    except NotFound:
        return set()
    slot = _current_slot(agenda, state)
    if slot is None or slot.step_kind is None:
        return set()
    return set(PIECES_BY_STEP_KIND.get(slot.step_kind, set()))
