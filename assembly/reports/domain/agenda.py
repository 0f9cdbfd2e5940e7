"""Agenda consolidada and Compromisos: need → solution → plan, and the plans to follow up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from assembly.assemblies import periods
from assembly.board.domain import APPROVAL_METHODS, outcome_label
from assembly.followup import domain as followup
from assembly.puzzle.domain import shown_pieces

from . import venue
from .common import DEFAULT_ZONE, Column

#: the follow-up statuses (the commitment holds them: followup.domain)
STATUS_LABELS = dict(followup.STATUSES)
SOURCE_LABELS = {"responsable": "Responsable (enlace)", "equipo": "Equipo"}
REVIEW_LABELS = {"pendiente": "Por revisar", "confirmado": "Confirmado", "corregido": "Corregido"}


def due_parts(due: str | None) -> tuple[str | None, date | None]:
    """(label, deadline) of a plan's "when": "2025-T2" -> ("T2 2025 (abr–jun)", 30/06/2025)
    (assemblies.periods owns the format); an older ISO date -> ("14/03/2026", that date);
    anything else is kept as text."""
    if not due:
        return None, None
    quarter = periods.parse(due)
    if quarter is not None:
        return quarter.label, quarter.last_day
    try:
        deadline = date.fromisoformat(due)
    except ValueError:
        return due, None
    return deadline.strftime("%d/%m/%Y"), deadline


def approval_parts(result: Mapping[str, object] | None) -> list[object]:
    """[decision, method, for, against, abstain] of one mesa's approval (blank when none)."""
    if not result:
        return [None, None, None, None, None]
    decision = "Votación abierta" if result.get("approved") is None else outcome_label(result)
    return [
        decision,
        APPROVAL_METHODS.get(str(result.get("method")), result.get("method")),
        result.get("for"),
        result.get("against"),
        result.get("abstain"),
    ]


APPROVAL_COLUMNS = (
    Column("Aprobación en plenaria"),
    Column("Método de aprobación"),
    Column("Votos a favor", "int"),
    Column("Votos en contra", "int"),
    Column("Abstenciones", "int"),
)
AGENDA_COLUMNS = (
    Column("Mesa", "short"),
    Column("Eje temático", "long"),
    Column("Sub-mesa", "short"),
    Column("Necesidad", "wide"),
    Column("Solución", "wide"),
    Column("Plan de trabajo: qué se hará", "wide"),
    Column("Quién", "long"),
    Column("Cuándo"),
    *APPROVAL_COLUMNS,
)
COMMITMENT_COLUMNS = (
    Column("Código", "short"),
    Column("Mesa", "short"),
    Column("Eje temático", "long"),
    Column("Sub-mesa", "short"),
    Column("Necesidad", "wide"),
    Column("Solución", "wide"),
    Column("Compromiso (qué se hará)", "wide"),
    Column("Responsables (quién)", "long"),
    Column("Plazo", "text"),
    Column("Fecha límite", "date"),
    Column("Estado", "text"),
    Column("Avance (%)", "int"),
    Column("Última actualización", "datetime"),
    Column("Observaciones de seguimiento", "wide"),
    Column("Fecha de seguimiento", "date"),
)
FOLLOWUP_COLUMNS = (
    Column("Código", "short"),
    Column("Mesa", "short"),
    Column("Compromiso (qué se hará)", "wide"),
    Column("Responsables (quién)", "long"),
    Column("Fecha del reporte", "datetime"),
    Column("Fuente", "text"),
    Column("Estado", "text"),
    Column("Avance (%)", "int"),
    Column("Nota", "wide"),
    Column("Revisión", "text"),
    Column("Foto", "short"),
)
#: the Estado column offers these in a drop-down list
STATUS_CHOICES = tuple(STATUS_LABELS.values())


@dataclass(frozen=True)
class FollowInfo:
    """A commitment's follow-up as the workbooks read it (followup.models.Commitment)."""

    status: str
    progress: int
    updated_at: datetime | None
    note: str | None
    noted_at: datetime | None


@dataclass(frozen=True)
class UpdateInfo:
    """One progress report of a commitment (followup.models.CommitmentUpdate)."""

    piece_id: str | None
    commitment_id: int
    assembly_id: int
    group_number: int
    what: str
    who: str
    created_at: datetime
    source: str
    status: str
    progress: int
    note: str
    review: str
    has_photo: bool


@dataclass(frozen=True)
class PieceInfo:
    """A piece with where it was written: what the agenda and commitments need."""

    id: str
    kind: str
    parent_id: str | None
    text: str
    who: str | None
    due: str | None
    status: str
    hidden: bool
    assembly_id: int
    group_id: int
    group_number: int
    theme: str
    table_number: int
    updated_at: datetime | None = None


def _sort_key(piece: PieceInfo) -> tuple:
    return (piece.assembly_id, piece.group_number, piece.table_number)


def agenda_rows(
    pieces: Sequence[PieceInfo],
    approvals: Mapping[int, Mapping[str, object]],
    *,
    assembly_names: Mapping[int, str] | None = None,
) -> list[list[object]]:
    """One row per need → solution → plan chain, mesa by mesa, as the plenary saw it: hidden
    pieces (duplicates merged by the facilitator) and what hangs from them are left out; a
    need without a solution, or a solution without a plan, still gets its row. ``pieces``
    come in writing order; ``approvals`` is board.services.approval_results()."""
    visible = shown_pieces(pieces)
    children: dict[str, list[PieceInfo]] = {}
    for piece in visible:
        if piece.parent_id:
            children.setdefault(piece.parent_id, []).append(piece)
    needs = sorted((p for p in visible if p.kind == "need"), key=_sort_key)
    rows = []
    for need in needs:
        solutions = [c for c in children.get(need.id, []) if c.kind == "solution"] or [None]
        for solution in solutions:
            plans = (
                [c for c in children.get(solution.id, []) if c.kind == "plan"] if solution else []
            )
            for plan in plans or [None]:
                when, _ = due_parts(plan.due if plan else None)
                row = [
                    need.group_number,
                    need.theme,
                    f"{need.group_number}.{need.table_number}",
                    need.text,
                    solution.text if solution else None,
                    plan.text if plan else None,
                    plan.who if plan else None,
                    when,
                    *approval_parts(approvals.get(need.group_id)),
                ]
                if assembly_names is not None:
                    row.insert(0, assembly_names.get(need.assembly_id))
                rows.append(row)
    return rows


def commitment_rows(
    pieces: Sequence[PieceInfo],
    *,
    assembly_names: Mapping[int, str] | None = None,
    zones: Mapping[int, tzinfo] | None = None,
    follow: Mapping[str, FollowInfo] | None = None,
) -> list[list[object]]:
    """One row per visible work-plan piece, with its solution and need, ready to follow up:
    a short code, a real deadline date, the status, the last change (at the venue: ``zones``
    maps assembly ids to zones) and the follow-up: ``follow`` maps plan ids to their
    commitment's status, progress and last report (blank until the agenda is approved)."""
    zones = zones or {}
    follow = follow or {}
    by_id = {p.id: p for p in pieces}
    rows = []
    for plan in sorted((p for p in shown_pieces(pieces) if p.kind == "plan"), key=_sort_key):
        solution = by_id.get(plan.parent_id or "")
        need = by_id.get(solution.parent_id or "") if solution else None
        when, deadline = due_parts(plan.due)
        zone = zones.get(plan.assembly_id, DEFAULT_ZONE)
        info = follow.get(plan.id)
        status = info.status if info else plan.status
        row = [
            plan.id[:8].upper(),
            plan.group_number,
            plan.theme,
            f"{plan.group_number}.{plan.table_number}",
            need.text if need else None,
            solution.text if solution else None,
            plan.text,
            plan.who,
            when,
            deadline,
            STATUS_LABELS.get(status, status),
            info.progress if info else None,
            venue.local(info.updated_at if info else plan.updated_at, zone),
            (info.note or None) if info else None,
            venue.local(info.noted_at, zone).date() if info and info.noted_at else None,
        ]
        if assembly_names is not None:
            row.insert(0, assembly_names.get(plan.assembly_id))
        rows.append(row)
    return rows


def followup_rows(
    updates: Sequence[UpdateInfo],
    *,
    assembly_names: Mapping[int, str] | None = None,
    zones: Mapping[int, tzinfo] | None = None,
) -> list[list[object]]:
    """The history of the follow-up: one row per report, commitment by commitment, oldest
    first (when, from whom, what status and progress, the note, staff's review)."""
    zones = zones or {}
    rows = []
    ordered = sorted(updates, key=lambda u: (u.assembly_id, u.group_number, u.commitment_id,
                                             u.created_at))  # fmt: skip
    for update in ordered:
        row = [
            (update.piece_id or "")[:8].upper() or None,
            update.group_number,
            update.what,
            update.who,
            venue.local(update.created_at, zones.get(update.assembly_id, DEFAULT_ZONE)),
            SOURCE_LABELS.get(update.source, update.source),
            STATUS_LABELS.get(update.status, update.status),
            update.progress,
            update.note or None,
            REVIEW_LABELS.get(update.review, update.review),
            "Sí" if update.has_photo else "No",
        ]
        if assembly_names is not None:
            row.insert(0, assembly_names.get(update.assembly_id))
        rows.append(row)
    return rows
