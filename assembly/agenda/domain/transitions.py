"""The moderator's commands as pure transitions of the clock state."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from assembly.agenda.domain.clock import (
    ACTIVE,
    FINISHED,
    IDLE,
    MAX_EXTENSION_MINUTES,
    PAUSED,
    RUNNING,
    AgendaItem,
    ClockError,
    ClockState,
    SlotRun,
)

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
