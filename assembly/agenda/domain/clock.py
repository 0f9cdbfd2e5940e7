"""The agenda items and the stored clock state, and how to read it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
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


#: Seconds a table may still send a step's pieces after its time runs out (config
#: ``TIME_UP_GRACE_SECONDS`` overrides it).
DEFAULT_INPUT_GRACE_S = 30


def input_time_up(state: ClockState, now: float, grace_s: float) -> bool:
    """True when the current slot ran out of time more than ``grace_s`` seconds ago: the
    phones' input for its step is closed until the moderator extends it or goes back."""
    return state.status in ACTIVE and remaining_s(state, now) < -max(0.0, grace_s)
