"""The speakers list: the moderator queues turns inside any step; the current one is timed
from the server clock (the same epoch seconds the agenda clock uses).  Flush, never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from assembly.agenda.domain import speakers as rules
from assembly.agenda.models import Speaker
from assembly.agenda.services.plans import _now
from assembly.agenda.services.reading import _current_slot, _current_state, clock_snapshot
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.errors import InvalidInput, NotFound
from assembly.extensions import db

KIND_LABELS = {
    "talk": _l("Experiencia o ponencia"),
    "spokesperson": _l("Vocería"),
    "floor": _l("Intervención del público"),
}


def _turns(assembly_id: int, *statuses: str) -> list[Speaker]:
    return list(
        db.session.scalars(
            select(Speaker)
            .where(Speaker.assembly_id == assembly_id, Speaker.status.in_(statuses))
            .order_by(Speaker.position, Speaker.id)
        )
    )


def _payload(turn: Speaker) -> dict:
    return {
        "id": turn.id,
        "name": turn.name,
        "kind": turn.kind,
        "kind_label": str(KIND_LABELS[turn.kind]),
        "minutes": turn.minutes,
        "duration_s": turn.minutes * 60,
        "started_at": turn.started_at,
    }


def speakers_view(assembly_id: int) -> dict:
    """What the console and the projector show: the current turn (its start in server epoch
    seconds: the screens count from it) and the queue in order."""
    current = _turns(assembly_id, "speaking")
    return {
        "current": _payload(current[0]) if current else None,
        "queue": [_payload(t) for t in _turns(assembly_id, "queued")],
        "done": db.session.scalar(
            select(func.count(Speaker.id)).where(
                Speaker.assembly_id == assembly_id, Speaker.status == "done"
            )
        )
        or 0,
        "default_kind": _default_kind(assembly_id),
        "kinds": {kind: minutes for kind, minutes in rules.SPEAKER_KINDS.items()},
    }


def _default_kind(assembly_id: int) -> str:
    _assembly, agenda, state = _current_state(assembly_id)
    slot = _current_slot(agenda, state)
    return rules.default_kind(slot.step_kind if slot else None, slot.moment_kind if slot else None)


def _slot_key(assembly_id: int) -> str | None:
    _assembly, agenda, state = _current_state(assembly_id)
    slot = _current_slot(agenda, state)
    return slot.key if slot else None


def speakers_command(
    actor,
    assembly_id: int,
    action: str,
    *,
    name=None,
    kind=None,
    minutes=None,
    speaker_id=None,
    now: float | None = None,
) -> None:
    """add (name, kind, minutes), remove (speaker_id), next (the current turn ends, the first
    queued one speaks), finish (the current turn ends)."""
    ensure_writable(get_assembly(assembly_id))
    now = _now(now)
    if action not in rules.SPEAKER_ACTIONS:
        raise InvalidInput(_("Acción de la lista de intervenciones desconocida."))
    if action == "add":
        _add(assembly_id, name, kind, minutes)
    elif action == "remove":
        turn = db.session.get(Speaker, speaker_id) if isinstance(speaker_id, int) else None
        if turn is None or turn.assembly_id != assembly_id or turn.status != "queued":
            raise NotFound(_("Esa intervención ya no está en la lista."))
        db.session.delete(turn)
    else:
        for turn in _turns(assembly_id, "speaking"):
            turn.status, turn.ended_at = "done", now
        if action == "next":
            queued = _turns(assembly_id, "queued")
            if not queued:
                raise InvalidInput(_("No hay nadie más en la lista de intervenciones."))
            queued[0].status, queued[0].started_at = "speaking", now
    db.session.flush()


def _add(assembly_id: int, name, kind, minutes) -> Speaker:
    clean = rules.clean_name(name)
    if clean is None:
        raise InvalidInput(
            _("Escriba el nombre de quien va a hablar."), fields={"name": _("Falta el nombre.")}
        )
    kind = kind or _default_kind(assembly_id)
    if kind not in rules.SPEAKER_KINDS:
        raise InvalidInput(_("Elija el tipo de intervención."), fields={"kind": _("Elija uno.")})
    length = rules.clean_minutes(minutes, kind)
    if length is None:
        raise InvalidInput(
            _("La duración va de 0,5 a 60 minutos."), fields={"minutes": _("Entre 0,5 y 60.")}
        )
    last = db.session.scalar(
        select(func.max(Speaker.position)).where(Speaker.assembly_id == assembly_id)
    )
    turn = Speaker(
        assembly_id=assembly_id,
        slot_key=_slot_key(assembly_id),
        name=clean,
        kind=kind,
        minutes=length,
        position=(last or 0) + 1,
        status="queued",
    )
    db.session.add(turn)
    return turn


def clock_with_speakers(assembly_id: int, now: float | None = None) -> dict:
    """The clock snapshot every clock screen gets, with the speakers list: one message, so a
    turn and the agenda's time never disagree."""
    return {**clock_snapshot(assembly_id, now), "speakers": speakers_view(assembly_id)}
