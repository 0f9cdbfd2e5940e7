"""What every clock screen and the console read: snapshot, schedule, open piece kinds."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from assembly.agenda import domain
from assembly.agenda.domain import ClockState
from assembly.agenda.services.plans import (
    IDLE_MOMENT_KINDS,
    PIECES_BY_STEP_KIND,
    Agenda,
    Slot,
    _carried,
    _now,
    _record,
    load_agenda,
)
from assembly.assemblies.models import Assembly
from assembly.assemblies.services import get_assembly
from assembly.errors import NotFound
from assembly.helpers import venue_zone

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
        #: the phones' countdown after time-up: their input closes this long after 00:00
        "input_grace_s": input_grace_s(),
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


def input_grace_s() -> float:
    """Seconds the phones may still send a step's pieces after its time ran out (config)."""
    return float(current_app.config.get("TIME_UP_GRACE_SECONDS", domain.DEFAULT_INPUT_GRACE_S))


def piece_window(assembly_id: int, now: float | None = None) -> tuple[set[str], bool]:
    """The piece kinds the current step opens, and whether its time (plus the grace) is up.

    Time-up closes the step's input on the server, whatever the page shows; extending the
    step or going back to it opens it again."""
    try:
        _, agenda, state = _current_state(assembly_id)
    except NotFound:
        return set(), False
    slot = _current_slot(agenda, state)
    if slot is None or slot.step_kind is None:
        return set(), False
    kinds = set(PIECES_BY_STEP_KIND.get(slot.step_kind, set()))
    return kinds, bool(kinds) and domain.input_time_up(state, _now(now), input_grace_s())
