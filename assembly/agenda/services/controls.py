"""The moderator's commands on the stored clock, and their log."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from assembly.agenda import domain
from assembly.agenda.domain import AgendaItem, ClockError, ClockState
from assembly.agenda.models import ClockAction
from assembly.agenda.services.plans import (
    ACTION_LABELS,
    ACTIONS,
    Slot,
    _agenda_fingerprint,
    _carried,
    _items_from_fingerprint,
    _now,
    _record,
    load_agenda,
)
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.errors import Conflict, InvalidInput
from assembly.extensions import db
from assembly.helpers import venue_zone

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
    label = _(ACTION_LABELS.get(row.action, row.action))
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
