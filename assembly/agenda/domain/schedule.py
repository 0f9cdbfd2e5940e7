"""Plan against actual: delay and projected times; the clients' clock offset."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assembly.agenda.domain.clock import (
    ACTIVE,
    FINISHED,
    IDLE,
    AgendaItem,
    ClockState,
    planned_times,
    remaining_s,
    to_epoch,
)

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
