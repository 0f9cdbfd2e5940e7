"""The cross-assembly comparison (issue 19.7): for a report of several assemblies, one row per
assembly with its commitments' progress (how many in each status, how many overdue, the mean
progress) and its satisfaction (answers and the first scale question's mean, shown only from
k answers, as the Satisfacción sheet does). Pure: plain values in, rows out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from assembly.followup import domain as followup

from .common import AssemblyInfo, Column

_STATUSES = tuple(followup.STATUSES)


@dataclass(frozen=True)
class CommitmentInfo:
    """What the comparison reads of one (not annulled) commitment."""

    assembly_id: int
    status: str
    progress: int
    due: str | None


def comparison_columns(satisfaction_label: str | None) -> tuple[Column, ...]:
    """The sheet's columns; the satisfaction mean is named after its question."""
    mean = f"{satisfaction_label} (promedio 1 a 5)" if satisfaction_label else "Satisfacción"
    return (
        Column("Asamblea", "long"),
        Column("Fecha", "date"),
        Column("Compromisos", "int"),
        *(Column(label, "int") for label in followup.STATUSES.values()),
        Column("Vencidos", "int"),
        Column("Avance promedio (%)", "int"),
        Column("Respuestas a la encuesta", "int"),
        Column(mean, "short"),
    )


def comparison_rows(
    infos: Sequence[AssemblyInfo],
    commitments: Iterable[CommitmentInfo],
    satisfaction: Mapping[int, tuple[int, float | None]],
    today: Mapping[int, date],
) -> list[list]:
    """One row per assembly, in ``infos``' order. ``satisfaction``: assembly id → (answers,
    mean or None when under k answers); ``today``: each assembly's own date (overdue is read
    in its venue's calendar). A mean with nothing to average is left empty."""
    by_assembly: dict[int, list[CommitmentInfo]] = {info.id: [] for info in infos}
    for item in commitments:
        by_assembly.setdefault(item.assembly_id, []).append(item)
    rows = []
    for info in infos:
        items = by_assembly[info.id]
        counts = {status: 0 for status in _STATUSES}
        overdue = 0
        for item in items:
            counts[item.status] = counts.get(item.status, 0) + 1
            overdue += followup.flags(item.status, item.due, today[info.id])["overdue"]
        followed = [item.progress for item in items if item.status != "cancelado"]
        mean = round(sum(followed) / len(followed)) if followed else None
        answers, satisfied = satisfaction.get(info.id, (0, None))
        rows.append(
            [info.name, info.date, len(items), *(counts[s] for s in _STATUSES), overdue, mean,
             answers, satisfied]
        )  # fmt: skip
    return rows
