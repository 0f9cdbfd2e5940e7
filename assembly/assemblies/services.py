"""Assemblies: creating, editing, status and the one way to close; the overview counters.
Their themes and agenda are edited in :mod:`assembly.assemblies.program`.

Every function flushes; the caller commits (``unit_of_work`` or ``realtime.broadcasting``).
The packages above react through :mod:`assembly.assemblies.signals` (a theme's mesa, the
clock over an agenda edit, the acta at closing), so nothing here imports them.
"""

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.assemblies import signals, template
from assembly.assemblies.domain import clean_assembly, clean_theme
from assembly.assemblies.models import (
    STATUSES,
    Assembly,
    AssemblyLog,
    Moment,
    Step,
    Theme,
    new_board_token,
)
from assembly.auth import scope
from assembly.auth.domain import Role
from assembly.auth.models import User
from assembly.config import DEFAULT_TIME_ZONE
from assembly.core.network import RoomAddress
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.helpers import utcnow
from assembly.marks import N_, Problem

CLOSED = "closed"


def raise_if_invalid(errors: dict) -> None:
    if errors:
        raise InvalidInput(
            _("Revise los campos marcados.") + " " + " ".join(errors.values()), fields=errors
        )


def list_assemblies(viewer=None) -> list[Assembly]:
    """The assemblies ``viewer`` works on (every one for admins and national accounts)."""
    return db.session.scalars(
        scope.scoped(
            select(Assembly).order_by(Assembly.date.desc(), Assembly.id.desc()), Assembly.id, viewer
        )
        if viewer is not None
        else select(Assembly).order_by(Assembly.date.desc(), Assembly.id.desc())
    ).all()


def get_assembly(assembly_id: int) -> Assembly:
    assembly = db.session.get(Assembly, assembly_id)
    if assembly is None:
        raise NotFound(Problem(N_("La asamblea no existe.")))
    return assembly


def create_from_template(
    actor: User | None, raw: dict, *, themes: Sequence[str] | None = None
) -> Assembly:
    """A new assembly with the methodology's agenda and its 5 themes, or the ``themes``
    titles given (a template title keeps its description); grouping opens one mesa per theme
    on ``theme_added``."""
    clean, errors = clean_assembly(raw)
    raise_if_invalid(errors)
    described = {theme.title: theme.description for theme in template.THEMES}
    chosen = []
    for title in themes if themes is not None else list(described):
        theme, theme_errors = clean_theme({"title": title, "description": described.get(title)})
        raise_if_invalid(theme_errors)
        chosen.append(theme)
    if not chosen:
        raise InvalidInput(_("La asamblea necesita al menos un eje temático."))
    assembly = Assembly(**clean, status="draft")
    for position, theme in enumerate(chosen, start=1):
        assembly.themes.append(Theme(position=position, **theme))
    for position, moment in enumerate(template.MOMENTS, start=1):
        row = Moment(
            position=position,
            title=moment.title,
            kind=moment.kind,
            planned_start=moment.start,
            planned_end=moment.end,
            objective=moment.objective,
            method=moment.method,
        )
        for step_position, step in enumerate(moment.steps, start=1):
            row.steps.append(
                Step(position=step_position, title=step.title, minutes=step.minutes, kind=step.kind)
            )
        assembly.moments.append(row)
    db.session.add(assembly)
    db.session.flush()
    for theme in assembly.themes:
        signals.theme_added.send(theme)
    db.session.flush()
    return assembly


def template_defaults() -> dict:
    """What the "new assembly" form starts with."""
    return {
        "capacity": template.CAPACITY,
        "table_size": template.TABLE_SIZE,
        "agreement_line": template.AGREEMENT_LINE,
        "plan_start_year": template.PLAN_START_YEAR,
        "plan_end_year": template.PLAN_END_YEAR,
        "time_zone": DEFAULT_TIME_ZONE,
    }


def set_public_board(
    actor: User | None, assembly_id: int, *, enabled: bool, new_address: bool = False
) -> Assembly:
    """Turn the public phone board on or off; ``new_address`` gives it a new token (the old
    QR and links stop working). Flush."""
    assembly = get_assembly(assembly_id)
    assembly.public_board = enabled
    if new_address:
        assembly.board_token = new_board_token()
    db.session.flush()
    return assembly


def update_assembly(actor: User, assembly_id: int, raw: dict) -> Assembly:
    assembly = get_assembly(assembly_id)
    clean, errors = clean_assembly(raw)
    raise_if_invalid(errors)
    for key, value in clean.items():
        setattr(assembly, key, value)
    db.session.flush()
    return assembly


REASON_MAX_LENGTH = 300


def clean_reason(raw) -> str:
    """A reason for the record (a forced close, a reopening, a headcount): trimmed, bounded."""
    reason = " ".join(str(raw or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("El motivo puede tener como máximo %(n)s caracteres.", n=REASON_MAX_LENGTH),
            fields={"reason": _("Motivo demasiado largo.")},
        )
    return reason


def log_incident(
    assembly: Assembly, kind: str, actor: User | None, reason: str = "", detail=None
) -> AssemblyLog:
    """Record what the acta reports as an incident (written once, never edited)."""
    row = AssemblyLog(
        assembly_id=assembly.id,
        kind=kind,
        reason=reason,
        detail=detail or {},
        user_id=actor.id if actor else None,
        created_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def incidents(assembly_id: int) -> list[AssemblyLog]:
    return db.session.scalars(
        select(AssemblyLog)
        .where(AssemblyLog.assembly_id == assembly_id)
        .order_by(AssemblyLog.created_at, AssemblyLog.id)
    ).all()


def set_status(actor: User | None, assembly_id: int, status: str, reason: str = "") -> Assembly:
    """Move the assembly between draft, open, live and closed; closing goes through
    :func:`close_assembly` (the status form and the plenary button share it). Leaving
    "closed" is a reopening: an admin only, with a reason that is logged."""
    assembly = get_assembly(assembly_id)
    if status not in STATUSES:
        raise InvalidInput(_("Estado no válido."))
    if status == CLOSED:
        if assembly.status != CLOSED:
            close_assembly(actor, assembly, reason=reason)
        return assembly
    reopening = assembly.status == CLOSED
    if reopening:
        reopen_assembly(actor, assembly, status, reason)
        return assembly
    assembly.status = status
    db.session.flush()
    return assembly


def reopen_assembly(actor: User | None, assembly: Assembly, status: str, reason: str) -> None:
    """An admin reopens a closed assembly with a logged reason; the stored acta stays as it
    is, and closing again stores a new version."""
    if actor is not None and getattr(actor, "role", None) != Role.ADMIN:
        raise PermissionDenied(_("Solo una persona administradora puede reabrir la asamblea."))
    reason = clean_reason(reason)
    if not reason:
        raise InvalidInput(
            _("Diga por qué se reabre la asamblea (queda registrado)."),
            fields={"reason": _("Falta el motivo.")},
        )
    assembly.status = status
    db.session.flush()
    log_incident(assembly, "reopened", actor, reason, {"status": status})
    signals.assembly_reopened.send(assembly, actor=actor)


def close_assembly(actor: User | None, assembly: Assembly, reason: str = "") -> Assembly:
    """THE way to close an assembly: the packages above may refuse (``assembly_closing``: the
    board while a vote is open or a mesa is undecided, unless a ``reason`` confirms it; the
    reason goes into the acta), then the status is stored and ``assembly_closed`` lets them
    finish (the board stores the acta). Closing a closed assembly is refused."""
    if assembly.status == CLOSED:
        raise Conflict(_("La asamblea ya está cerrada."), code="closed")
    reason = clean_reason(reason)
    signals.assembly_closing.send(assembly, actor=actor, reason=reason)
    assembly.status = CLOSED
    db.session.flush()
    signals.assembly_closed.send(assembly, actor=actor, reason=reason)
    return assembly


def note_printed(assembly: Assembly, room: RoomAddress) -> bool:
    """Remember the room's address a printout (cards, badges, poster) carries, so staff pages
    can warn when the laptop loses it; True when it changed.  A loopback-only room is not
    remembered (every page warns about it already).  Flushes; the printing route commits."""
    base_url = room.base_url[:200]
    if room.warning or assembly.printed_url == base_url:
        return False
    assembly.printed_url = base_url
    db.session.flush()
    return True


def ensure_writable(assembly: Assembly) -> None:
    """Refuse a write of the day (pieces, votes, amendments, clock, check-in, grouping) once
    the assembly is closed: ``Conflict(code="closed")``, never retryable."""
    if assembly.status == CLOSED:
        raise Conflict(
            Problem(N_("La asamblea está cerrada: ya no se registran cambios del día.")),
            code="closed",
        )


def overview(assembly: Assembly) -> dict:
    """Counters for the assembly's landing page and the staff screens' snapshot: what the
    packages above answer to ``assembly_counts`` (registered, checked_in)."""
    counts: dict = {}
    for _receiver, part in signals.assembly_counts.send(assembly):
        counts.update(part or {})
    return counts


def progress(assembly: Assembly) -> dict:
    """``overview`` plus what the packages above answer to ``assembly_progress``: the
    figures of the assembly page's checklist of the day."""
    counts = overview(assembly)
    for _receiver, part in signals.assembly_progress.send(assembly):
        counts.update(part or {})
    return counts
