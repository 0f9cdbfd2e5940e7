"""The live agenda clock: pure arithmetic, no Flask, no database.

One clock for the whole room. The server stores a small :class:`ClockState` (which slot
is running, when it started, its duration, its pauses) and every screen derives its
countdown from that state and its own measured offset to the server clock. Nothing here
keeps time in memory: after a server restart, loading the stored state is enough.

Vocabulary:

* An **item** (:class:`AgendaItem`) is one *slot* the clock walks through. The agenda is
  flattened: a moment without steps is one slot, a moment with steps is one slot per step
  (see :func:`flatten`).
* Times are UTC epoch seconds (``float``) everywhere in the state, so it serialises to
  JSON as-is and the browser can use the same numbers.
* Every transition is a function ``(state, now, ...) -> new state`` that raises
  :class:`ClockError` (with a Spanish, user-facing message) on an impossible command.

Delay against plan (:func:`delay_minutes`, :func:`projected_schedule`), deliberately simple:

* The planned start of an item is its own ``planned_start`` when it has one (an *anchor*,
  e.g. "Momento 4 a las 2:45"), otherwise the planned end of the item before it.
* The delay is the running slot's projected end (now + what is left of it, or now when it
  is overtime) minus its planned end. Extensions and pauses make it grow; so does overtime.
* The rest of the day is shifted by that delay, except that an item with its own planned
  start never starts before it: a gap in the plan (slack before a break or the next
  moment) absorbs lateness, and being early does not pull anchored items forward.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

#: Largest single extension the moderator may type, in minutes.
MAX_EXTENSION_MINUTES = 180

IDLE, RUNNING, PAUSED, FINISHED = "idle", "running", "paused", "finished"
STATUSES = (IDLE, RUNNING, PAUSED, FINISHED)
ACTIVE = (RUNNING, PAUSED)


class ClockError(Exception):
    """A clock command that cannot be carried out; ``message`` is shown to the moderator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- agenda items


@dataclass
class AgendaItem:
    """One slot of the flattened agenda.

    ``key`` must be a *stable* identity (built from database ids, e.g. ``"m12"`` or
    ``"m12.s40"``), never the position: reordering the agenda must not change it, because
    :func:`reanchor` finds the running slot by its key. ``planned_start`` is an aware
    datetime (a naive one is read as UTC), an epoch number, or ``None`` when the slot simply
    follows the one before it. ``moment_title`` is the enclosing moment's title for a step.
    """

    key: str
    title: str
    planned_start: datetime | float | None
    planned_minutes: int
    moment_title: str | None = None

    def __post_init__(self) -> None:
        if self.planned_minutes < 0:
            raise ValueError(f"planned_minutes must be >= 0, got {self.planned_minutes}")


@dataclass
class StepPlan:
    """A step of a moment, as the agenda editor holds it (input to :func:`flatten`)."""

    id: int | str
    title: str
    planned_minutes: int


@dataclass
class MomentPlan:
    """A moment of the agenda, as the agenda editor holds it (input to :func:`flatten`)."""

    id: int | str
    title: str
    planned_start: datetime | float | None
    planned_minutes: int
    steps: Sequence[StepPlan] = ()


def flatten(moments: Iterable[MomentPlan]) -> list[AgendaItem]:
    """Turn ordered moments (and their ordered steps) into the slots the clock walks.

    Keys are ``"m<moment id>"`` and ``"m<moment id>.s<step id>"``. The first step inherits
    the moment's planned start; later steps follow the step before them.
    """
    items: list[AgendaItem] = []
    for moment in moments:
        if not moment.steps:
            items.append(
                AgendaItem(
                    f"m{moment.id}", moment.title, moment.planned_start, moment.planned_minutes
                )
            )
            continue
        for index, step in enumerate(moment.steps):
            items.append(
                AgendaItem(
                    key=f"m{moment.id}.s{step.id}",
                    title=step.title,
                    planned_start=moment.planned_start if index == 0 else None,
                    planned_minutes=step.planned_minutes,
                    moment_title=moment.title,
                )
            )
    return items


def to_epoch(value: datetime | float | None) -> float | None:
    """Epoch seconds of a datetime (naive means UTC, never the server's zone) or number."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    return float(value)


def planned_times(items: Sequence[AgendaItem]) -> list[tuple[float | None, float | None]]:
    """Planned (start, end) per slot, in epoch seconds; ``None`` before the first anchor."""
    times: list[tuple[float | None, float | None]] = []
    cursor: float | None = None
    for item in items:
        start = to_epoch(item.planned_start)
        if start is None:
            start = cursor
        end = None if start is None else start + item.planned_minutes * 60
        times.append((start, end))
        cursor = end
    return times


# --------------------------------------------------------------------------- clock state


@dataclass(frozen=True)
class SlotRun:
    """One finished run of a slot: what actually happened, for planned-vs-actual."""

    key: str
    actual_start: float
    actual_end: float
    paused_s: float = 0.0
    extended_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SlotRun:
        return cls(
            key=str(data["key"]),
            actual_start=float(data["actual_start"]),
            actual_end=float(data["actual_end"]),
            paused_s=float(data.get("paused_s", 0.0)),
            extended_s=float(data.get("extended_s", 0.0)),
        )


@dataclass(frozen=True)
class ClockState:
    """Everything the server stores about the clock; everything a screen needs to count.

    ``started_at`` is when the current slot's run began; ``duration_s`` is its planned
    length plus ``extended_s``; while paused, ``paused_at`` is set and the time since then
    is not yet in ``paused_total_s``. ``version`` grows with every change so a screen can
    drop a snapshot older than the one it already shows. ``history`` holds finished runs.
    """

    status: str = IDLE
    position: int | None = None
    key: str | None = None
    started_at: float | None = None
    duration_s: float = 0.0
    extended_s: float = 0.0
    paused_at: float | None = None
    paused_total_s: float = 0.0
    version: int = 0
    history: tuple[SlotRun, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape stored by the server and read by ``static/js/clock.js``."""
        return {**asdict(self), "history": [run.to_dict() for run in self.history]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ClockState:
        """Load a stored state; missing fields take their defaults (``None`` -> idle)."""
        if not data:
            return cls()
        status = data.get("status", IDLE)
        if status not in STATUSES:
            raise ValueError(f"unknown clock status {status!r}")

        def opt_float(name: str) -> float | None:
            value = data.get(name)
            return None if value is None else float(value)

        state = cls(
            status=status,
            position=None if data.get("position") is None else int(data["position"]),
            key=data.get("key"),
            started_at=opt_float("started_at"),
            duration_s=float(data.get("duration_s", 0.0)),
            extended_s=float(data.get("extended_s", 0.0)),
            paused_at=opt_float("paused_at"),
            paused_total_s=float(data.get("paused_total_s", 0.0)),
            version=int(data.get("version", 0)),
            history=tuple(SlotRun.from_dict(run) for run in data.get("history", ())),
        )
        if status in ACTIVE and (state.position is None or state.started_at is None):
            raise ValueError("an active clock needs position and started_at")
        if status == PAUSED and state.paused_at is None:
            raise ValueError("a paused clock needs paused_at")
        return state


# --------------------------------------------------------------------------- reading the clock


def elapsed_s(state: ClockState, now: float) -> float:
    """Seconds the current slot has actually run (pauses excluded); 0 with no slot running."""
    if state.status not in ACTIVE or state.started_at is None:
        return 0.0
    reference = state.paused_at if state.status == PAUSED else now
    # Clamped: a screen whose offset is slightly off may see "now" just before the start.
    return max(0.0, reference - state.started_at - state.paused_total_s)


def remaining_s(state: ClockState, now: float) -> float:
    """Seconds left in the current slot; negative when overtime, 0 with no slot running."""
    if state.status not in ACTIVE:
        return 0.0
    return state.duration_s - elapsed_s(state, now)


def is_overtime(state: ClockState, now: float) -> bool:
    """True when the current slot has used up its duration (extensions included)."""
    return state.status in ACTIVE and remaining_s(state, now) < 0


# --------------------------------------------------------------------------- transitions


def _check_items(items: Sequence[AgendaItem]) -> None:
    if not items:
        raise ClockError("La agenda no tiene momentos.")


def _resolve(items: Sequence[AgendaItem], position: int | str) -> int:
    """A slot index from an index or a key."""
    if isinstance(position, str):
        for index, item in enumerate(items):
            if item.key == position:
                return index
    elif (
        isinstance(position, int) and not isinstance(position, bool) and 0 <= position < len(items)
    ):
        return position
    raise ClockError("No existe ese momento o paso en la agenda.")


def _close_run(state: ClockState, now: float) -> tuple[SlotRun, ...]:
    """History with the current run appended (if there is one)."""
    if state.status not in ACTIVE:
        return state.history
    paused = state.paused_total_s
    if state.status == PAUSED:
        paused += max(0.0, now - state.paused_at)
    run = SlotRun(state.key or "", state.started_at, now, paused, state.extended_s)
    return (*state.history, run)


def _begin(items: Sequence[AgendaItem], state: ClockState, now: float, position: int) -> ClockState:
    """Close whatever runs and start ``position`` afresh (no extension, no pauses)."""
    return ClockState(
        status=RUNNING,
        position=position,
        key=items[position].key,
        started_at=now,
        duration_s=float(items[position].planned_minutes * 60),
        version=state.version + 1,
        history=_close_run(state, now),
    )


def _current(items: Sequence[AgendaItem], state: ClockState) -> int:
    """The running slot's index, checked against the items (they must be the same agenda)."""
    if state.status == IDLE:
        raise ClockError("La agenda aún no ha comenzado.")
    if state.status == FINISHED:
        raise ClockError("La agenda ya terminó.")
    _check_items(items)
    if state.position >= len(items) or items[state.position].key != state.key:
        raise ClockError("La agenda cambió; recarga la página e inténtalo de nuevo.")
    return state.position


def start(
    items: Sequence[AgendaItem], state: ClockState, now: float, position: int | str = 0
) -> ClockState:
    """Start the day (or start it again after it finished) at ``position`` (index or key)."""
    if state.status in ACTIVE:
        raise ClockError("La agenda ya está en marcha.")
    _check_items(items)
    return _begin(items, state, now, _resolve(items, position))


def pause(state: ClockState, now: float) -> ClockState:
    """Freeze the countdown of the running slot."""
    if state.status == PAUSED:
        raise ClockError("El reloj ya está en pausa.")
    if state.status != RUNNING:
        raise ClockError("Solo se puede pausar un momento en curso.")
    return replace(state, status=PAUSED, paused_at=now, version=state.version + 1)


def resume(state: ClockState, now: float) -> ClockState:
    """Continue after a pause; the paused time does not count against the slot."""
    if state.status != PAUSED:
        raise ClockError("El reloj no está en pausa.")
    return replace(
        state,
        status=RUNNING,
        paused_at=None,
        paused_total_s=state.paused_total_s + max(0.0, now - state.paused_at),
        version=state.version + 1,
    )


def extend(state: ClockState, now: float, minutes: float) -> ClockState:
    """Add ``minutes`` to the current slot's duration (also while paused or overtime).

    The minutes are added to the duration, not to "now": 3 minutes overtime plus 5 leaves 2.
    ``now`` is unused but kept so that every transition has the same shape.
    """
    if state.status not in ACTIVE:
        raise ClockError("Solo se puede extender un momento en curso.")
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or math.isnan(minutes):
        raise ClockError("La extensión debe ser un número de minutos.")
    if minutes <= 0:
        raise ClockError("La extensión debe ser de más de 0 minutos.")
    if minutes > MAX_EXTENSION_MINUTES:
        raise ClockError(f"La extensión no puede pasar de {MAX_EXTENSION_MINUTES} minutos.")
    seconds = float(minutes) * 60
    return replace(
        state,
        duration_s=state.duration_s + seconds,
        extended_s=state.extended_s + seconds,
        version=state.version + 1,
    )


def next_slot(items: Sequence[AgendaItem], state: ClockState, now: float) -> ClockState:
    """Close the current slot and start the next one; after the last, the day is finished."""
    position = _current(items, state)
    if position + 1 < len(items):
        return _begin(items, state, now, position + 1)
    return ClockState(status=FINISHED, version=state.version + 1, history=_close_run(state, now))


#: "Skip" and "next" are the same command: the current slot ends now, whatever is left.
skip = next_slot


def back(items: Sequence[AgendaItem], state: ClockState, now: float) -> ClockState:
    """Go back one slot and restart it from its full planned duration.

    After the day finished, "back" restarts the last slot (the moderator pressed next once
    too often).
    """
    if state.status == FINISHED:
        _check_items(items)
        return _begin(items, state, now, len(items) - 1)
    position = _current(items, state)
    if position == 0:
        raise ClockError("Ya estamos en el primer momento de la agenda.")
    return _begin(items, state, now, position - 1)


def jump(
    items: Sequence[AgendaItem], state: ClockState, now: float, position: int | str
) -> ClockState:
    """Start any slot (index or key) from its full duration.

    Works from any status; jumping to the current slot restarts it.
    """
    _check_items(items)
    return _begin(items, state, now, _resolve(items, position))


def reset(state: ClockState) -> ClockState:
    """Back to "not started", history forgotten (e.g. after a rehearsal); version keeps growing."""
    return ClockState(version=state.version + 1)


def reanchor(
    state: ClockState, old_items: Sequence[AgendaItem], new_items: Sequence[AgendaItem]
) -> ClockState:
    """Carry the clock over an agenda edit (rename, reorder, change durations).

    The running slot is found in ``new_items`` by its key; it keeps its ``started_at``,
    pauses and extensions, and its duration becomes its new planned length plus the
    extensions already granted. Removing the running slot is refused; with no slot running
    the state is returned unchanged (history is keyed, so it survives reordering).
    """
    if state.status not in ACTIVE:
        return state
    _current(old_items, state)  # the caller must pass the agenda the state was built on
    for index, item in enumerate(new_items):
        if item.key == state.key:
            duration = item.planned_minutes * 60 + state.extended_s
            if index == state.position and duration == state.duration_s:
                return state
            return replace(state, position=index, duration_s=duration, version=state.version + 1)
    raise ClockError("No se puede quitar de la agenda el momento que está en curso.")


# --------------------------------------------------------------------------- plan vs actual


@dataclass(frozen=True)
class ScheduleRow:
    """One line of the moderator's agenda: planned, actual and projected times (epoch s).

    ``status`` is ``done`` or ``skipped`` (behind the current slot), ``current``, or
    ``pending`` (ahead of it). Actual times span the slot's first start to its last end.
    """

    position: int
    key: str
    title: str
    status: str
    planned_start: float | None
    planned_end: float | None
    actual_start: float | None
    actual_end: float | None
    projected_start: float | None
    projected_end: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def delay_s(items: Sequence[AgendaItem], state: ClockState, now: float) -> float:
    """Seconds late against plan (positive = late, negative = early); see the module docs."""
    times = planned_times(items)
    if state.status in ACTIVE:
        if state.position >= len(items) or times[state.position][1] is None:
            return 0.0
        projected_end = now + max(0.0, remaining_s(state, now))
        return projected_end - times[state.position][1]
    if state.status == IDLE:
        planned_first = times[0][0] if times else None
        return 0.0 if planned_first is None else max(0.0, now - planned_first)
    # Finished: how the last run ended against that slot's plan.
    if state.history:
        last = state.history[-1]
        for item, (_, planned_end) in zip(items, times, strict=True):
            if item.key == last.key and planned_end is not None:
                return last.actual_end - planned_end
    return 0.0


def delay_minutes(items: Sequence[AgendaItem], state: ClockState, now: float) -> float:
    """Minutes late against plan (positive = late); what "vamos 12 min tarde" says."""
    return delay_s(items, state, now) / 60


def projected_schedule(
    items: Sequence[AgendaItem], state: ClockState, now: float
) -> list[ScheduleRow]:
    """Every slot with planned, actual and projected start/end, given the running delay."""
    actual: dict[str, tuple[float, float]] = {}
    for run in state.history:
        first_start = actual.get(run.key, (run.actual_start, 0.0))[0]
        actual[run.key] = (first_start, run.actual_end)

    # ``current`` is the running slot's index; every slot before it is behind us.
    if state.status in ACTIVE:
        current, cursor = state.position, now + max(0.0, remaining_s(state, now))
    elif state.status == FINISHED:
        current, cursor = len(items), now
    else:
        current, cursor = -1, now

    rows = []
    for index, (item, (p_start, p_end)) in enumerate(zip(items, planned_times(items), strict=True)):
        a_start, a_end = actual.get(item.key, (None, None))
        if index < current:
            status = "done" if item.key in actual else "skipped"
            proj_start, proj_end = a_start, a_end
        elif index == current:
            status = "current"
            if a_start is None:
                a_start = state.started_at
            a_end = None
            proj_start, proj_end = a_start, cursor
        else:
            # Ahead of us: follow the slot before, but never before an anchored start.
            status = "pending"
            anchor = to_epoch(item.planned_start)
            proj_start = cursor if anchor is None else max(cursor, anchor)
            proj_end = proj_start + item.planned_minutes * 60
            cursor = proj_end
        rows.append(
            ScheduleRow(
                position=index,
                key=item.key,
                title=item.title,
                status=status,
                planned_start=p_start,
                planned_end=p_end,
                actual_start=a_start,
                actual_end=a_end,
                projected_start=proj_start,
                projected_end=proj_end,
            )
        )
    return rows


# --------------------------------------------------------------------------- client clock offset


def clock_offset(t0_client: float, server_time: float, t1_client: float) -> tuple[float, float]:
    """NTP-style estimate from one request: ``(offset, rtt)``, server = client + offset.

    The server stamped ``server_time`` somewhere between the client's send (``t0``) and
    receive (``t1``); assuming the middle, the error is at most ``rtt / 2``.
    """
    rtt = t1_client - t0_client
    if rtt < 0:
        raise ValueError("t1_client is before t0_client")
    return server_time - (t0_client + t1_client) / 2, rtt


def best_offset(samples: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """The ``(offset, rtt)`` sample with the smallest round trip: its error bound is tightest."""
    samples = list(samples)
    if not samples:
        raise ValueError("no clock samples")
    return min(samples, key=lambda sample: sample[1])


# --------------------------------------------------------------------------- Spanish formatting


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def format_delay(minutes: float) -> str:
    """``"vamos 12 min tarde"``, ``"vamos 3 min adelantados"`` or ``"vamos a tiempo"``."""
    rounded = _round_half_up(abs(minutes))
    if rounded == 0:
        return "vamos a tiempo"
    return f"vamos {rounded} min {'tarde' if minutes > 0 else 'adelantados'}"


def format_mmss(seconds: float) -> str:
    """Countdown text: ``"14:05"``, ``"-01:30"`` when overtime, minutes not capped at 59.

    Rounds up to the whole second (a countdown shows 00:01 until it reaches zero), after
    snapping to the millisecond so float noise cannot add a second; clock.js does the same.
    """
    whole = math.ceil(math.floor(seconds * 1000 + 0.5) / 1000)
    sign = "-" if whole < 0 else ""
    minutes, secs = divmod(abs(whole), 60)
    return f"{sign}{minutes:02d}:{secs:02d}"
