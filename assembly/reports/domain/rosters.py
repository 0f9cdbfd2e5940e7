"""Mesas y sub-mesas: who sits where, with facilitators, leaders and spokespersons."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .attendance import ATTENDED
from .common import Column, yes_no

ROSTER_COLUMNS = (
    Column("Mesa", "short"),
    Column("Eje temático", "long"),
    Column("Facilitador(a) de la mesa", "long"),
    Column("Vocero(a) de la mesa", "long"),
    Column("Sub-mesa", "short"),
    Column("Líder de la sub-mesa", "long"),
    Column("Vocero(a) de la sub-mesa", "long"),
    Column("Rol", "text"),
    Column("Persona", "long"),
    Column(ATTENDED, "short"),
)

LEADER, TABLE_SPOKESPERSON, GROUP_SPOKESPERSON = (
    "Líder",
    "Vocero(a) de sub-mesa",
    "Vocero(a) de la mesa",
)

_ROLE_ORDER = (LEADER, GROUP_SPOKESPERSON, TABLE_SPOKESPERSON)


@dataclass(frozen=True)
class GroupInfo:
    id: int
    assembly_id: int
    number: int
    theme: str
    facilitator: str | None
    spokesperson_id: int | None


@dataclass(frozen=True)
class TableInfo:
    id: int
    group_id: int
    number: int
    leader_id: int | None
    spokesperson_id: int | None


def roster_rows(
    groups: Sequence[GroupInfo],
    tables: Sequence[TableInfo],
    people: Sequence[Mapping[str, object]],
    *,
    person_label: Callable[[Mapping[str, object]], str],
    assembly_names: Mapping[int, str] | None = None,
) -> list[list[object]]:
    """One row per person seated in a mesa, sorted by mesa, sub-mesa and role (leader and
    spokespersons first); ``person_label`` gives a name or a pseudonym. ``people`` are
    mappings with id, group_id, table_id, checked_in_at and what person_label reads."""
    by_id = {p["id"]: p for p in people}
    tables_by_id = {t.id: t for t in tables}

    def label(person_id: int | None) -> str | None:
        return person_label(by_id[person_id]) if person_id in by_id else None

    group_by_id = {g.id: g for g in groups}
    rows = []
    for person in people:
        group = group_by_id.get(person.get("group_id"))
        if group is None:
            continue
        table = tables_by_id.get(person.get("table_id"))
        roles = []
        if table and table.leader_id == person["id"]:
            roles.append(LEADER)
        if table and table.spokesperson_id == person["id"]:
            roles.append(TABLE_SPOKESPERSON)
        if group.spokesperson_id == person["id"]:
            roles.append(GROUP_SPOKESPERSON)
        row = [
            group.number,
            group.theme,
            group.facilitator,
            label(group.spokesperson_id),
            f"{group.number}.{table.number}" if table else None,
            label(table.leader_id) if table else None,
            label(table.spokesperson_id) if table else None,
            " · ".join(roles) or "Participante",
            person_label(person),
            yes_no(person.get("checked_in_at") is not None),
        ]
        rank = min((_ROLE_ORDER.index(role) for role in roles), default=len(_ROLE_ORDER))
        order = (group.assembly_id, group.number, table.number if table else 0, rank, row[8])
        if assembly_names is not None:
            row.insert(0, assembly_names.get(group.assembly_id))
        rows.append((order, row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]
