"""Monitoring across assemblies (seed 004's "sistema de monitoreo, seguimiento y control") and
each assembly's public accountability page. Reading only, except the opt-in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from assembly.assemblies import periods
from assembly.assemblies.models import Assembly, Theme
from assembly.auth import scope
from assembly.extensions import db
from assembly.followup import domain
from assembly.followup.models import Commitment, FollowupSettings
from assembly.grouping.models import Group
from assembly.helpers import utcnow, venue_today
from assembly.registration.domain import normalize_name
from assembly.registration.models import Attendee

#: the groupings of the summary and their labels
DIMENSIONS = {"region": "Región", "theme": "Eje temático", "who": "Responsable", "due": "Trimestre"}


@dataclass
class Row:
    commitment: Commitment
    assembly: str
    region: str
    theme: str
    overdue: bool
    at_risk: bool

    @property
    def due_label(self) -> str:
        return periods.label(self.commitment.due) if self.commitment.due else "Sin fecha"


def _text(value: object, limit: int = 120) -> str:
    return str(value or "").strip()[:limit]


def clean_filters(raw) -> dict[str, str]:
    """Filters from the query string: region, theme, who (contains), due (quarter), status."""
    filters = {key: _text(raw.get(key)) for key in ("region", "theme", "who", "due", "status")}
    if filters["status"] not in domain.STATUSES:
        filters["status"] = ""
    return filters


def rows(filters: dict[str, str], user=None) -> list[Row]:
    """The followed commitments of every assembly the account works on (auth.scope), filtered."""
    stmt = (
        select(Commitment, Assembly, Theme.title)
        .join(Assembly, Assembly.id == Commitment.assembly_id)
        .join(Group, Group.id == Commitment.group_id)
        .join(Theme, Theme.id == Group.theme_id)
        .where(Commitment.annulled.is_(False))
        .order_by(Assembly.date.desc(), Assembly.id, Group.number, Commitment.id)
    )
    stmt = scope.scoped(stmt, Commitment.assembly_id, user)
    if filters.get("region"):
        stmt = stmt.where(Assembly.region == filters["region"])
    if filters.get("theme"):
        stmt = stmt.where(Theme.title == filters["theme"])
    if filters.get("status"):
        stmt = stmt.where(Commitment.status == filters["status"])
    if filters.get("due"):
        stmt = stmt.where(Commitment.due == filters["due"])
    found = []
    who = domain.who_key(filters.get("who"))
    for commitment, assembly, theme in db.session.execute(stmt).all():
        if who and who not in domain.who_key(commitment.who):
            continue
        flags = domain.flags(commitment.status, commitment.due, venue_today(assembly))
        found.append(
            Row(commitment, assembly.name, assembly.region or "", theme, flags["overdue"],
                flags["at_risk"])
        )  # fmt: skip
    return found


def options(user=None) -> dict[str, list[str]]:
    """The values the filters offer (from the commitments in scope)."""
    everything = rows({}, user)
    return {
        "region": sorted({r.region for r in everything if r.region}),
        "theme": sorted({r.theme for r in everything}),
        "due": sorted({r.commitment.due for r in everything if r.commitment.due}),
    }


def _key(row: Row, dimension: str) -> str:
    if dimension == "region":
        return row.region or "Sin región"
    if dimension == "theme":
        return row.theme
    if dimension == "who":
        return row.commitment.who or "Sin responsable"
    return row.due_label


def summary(found: list[Row], dimension: str) -> list[dict]:
    """Per value of ``dimension``: commitments, done, overdue, at risk and mean progress."""
    groups: dict[str, list[Row]] = {}
    for row in found:
        groups.setdefault(_key(row, dimension), []).append(row)
    result = []
    for label, members in sorted(groups.items()):
        result.append(
            {
                "label": label,
                "count": len(members),
                "done": sum(1 for r in members if r.commitment.status == "cumplido"),
                "overdue": sum(1 for r in members if r.overdue),
                "at_risk": sum(1 for r in members if r.at_risk),
                "progress": round(sum(r.commitment.progress for r in members) / len(members)),
            }
        )
    return result


def export_rows(found: list[Row]) -> list[list[object]]:
    """The selection as plain rows for the monitoring workbook (reports.workbooks.monitoring):
    assembly, region, theme, mesa, commitment, responsible, quarter, status, progress,
    overdue, at risk, indicator."""
    return [
        [row.assembly, row.region, row.theme, row.commitment.group.number, row.commitment.what,
         row.commitment.who, row.due_label,
         domain.STATUSES.get(row.commitment.status, row.commitment.status),
         row.commitment.progress, "Sí" if row.overdue else "No", "Sí" if row.at_risk else "No",
         row.commitment.indicator]
        for row in found
    ]  # fmt: skip


# --- the public accountability page (opt-in) ------------------------------------------------


def settings_of(assembly_id: int) -> FollowupSettings | None:
    return db.session.get(FollowupSettings, assembly_id)


def is_public(assembly_id: int) -> bool:
    settings = settings_of(assembly_id)
    return bool(settings and settings.public)


def set_public(assembly_id: int, public: bool) -> FollowupSettings:
    settings = settings_of(assembly_id)
    if settings is None:
        settings = FollowupSettings(assembly_id=assembly_id)
        db.session.add(settings)
    settings.public = bool(public)
    settings.updated_at = utcnow()
    db.session.flush()
    return settings


def _person_keys(assembly_id: int) -> set[str]:
    keys = set()
    people = db.session.execute(
        select(Attendee.first_names, Attendee.last_names).where(Attendee.assembly_id == assembly_id)
    ).all()
    for first, last in people:
        first_key = normalize_name(first or "")
        last_words = normalize_name(last or "").split()
        if first_key and last_words:
            keys.add(f"{first_key} {last_words[0]}")
    return keys


def public_who(commitment: Commitment, person_keys: set[str]) -> str | None:
    """The responsible as the public page may show it: organisations and institutions only.
    A commitment marked "persona", or whose responsible names a person registered in the
    assembly, shows no name."""
    if commitment.who_kind == "persona" or not commitment.who:
        return None
    padded = f" {normalize_name(commitment.who)} "
    if any(f" {key} " in padded for key in person_keys):
        return None
    return commitment.who


def public_rows(assembly_id: int, commitments: list[Commitment]) -> list[dict]:
    keys = _person_keys(assembly_id)
    return [{"c": c, "who": public_who(c, keys)} for c in commitments]
