"""Lessons-learned cards: the area → code table, filling and editing cards, finding them
again across assemblies. Services flush, never commit nor emit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.auth import scope
from assembly.auth.models import User
from assembly.errors import NotFound, refuse_fields
from assembly.extensions import db
from assembly.followup import lessons_domain as rules
from assembly.followup.models import Commitment, LessonArea, LessonCard
from assembly.grouping.models import Group
from assembly.helpers import utcnow


def areas() -> list[LessonArea]:
    return db.session.scalars(select(LessonArea).order_by(LessonArea.name)).all()


def add_area(actor: User | None, raw: dict) -> LessonArea:
    existing = areas()
    clean, errors = rules.clean_area(
        raw, {rules.fold(a.name) for a in existing}, {a.code for a in existing}
    )
    refuse_fields(errors)
    area = LessonArea(name=clean["name"], code=clean["code"])
    db.session.add(area)
    db.session.flush()
    return area


def add_default_areas() -> list[LessonArea]:
    """The seed's table, for an installation that has none yet (CLI, demo, tests)."""
    if areas():
        return []
    made = [LessonArea(name=name, code=code) for name, code in rules.DEFAULT_AREAS]
    db.session.add_all(made)
    db.session.flush()
    return made


def _options(assembly_id: int) -> tuple[set[int], set[int], set[int]]:
    area_ids = {a.id for a in areas()}
    group_ids = set(db.session.scalars(select(Group.id).where(Group.assembly_id == assembly_id)))
    commitment_ids = set(
        db.session.scalars(
            select(Commitment.id).where(
                Commitment.assembly_id == assembly_id, Commitment.annulled.is_(False)
            )
        )
    )
    return area_ids, group_ids, commitment_ids


def _clean(assembly_id: int, raw: dict, lists: dict) -> dict:
    area_ids, group_ids, commitment_ids = _options(assembly_id)
    clean, errors = rules.clean_card(
        raw, lists, area_ids=area_ids, group_ids=group_ids, commitment_ids=commitment_ids
    )
    refuse_fields(errors)
    return clean


def _apply(card: LessonCard, clean: dict) -> None:
    card.kind = clean["kind"]
    card.group_id = clean["group_id"]
    card.texts = {key: clean[key] for key in rules.TEXT_FIELDS}
    for key in ("gcm_principles", "gcm_objectives", "sdgs", "commitment_ids"):
        setattr(card, key, clean[key])
    card.updated_at = utcnow()


def _next_number(area_id: int) -> int:
    top = db.session.scalar(
        select(func.max(LessonCard.number)).where(LessonCard.area_id == area_id)
    )
    return (top or 0) + 1


def create_card(actor: User | None, assembly_id: int, raw: dict, lists: dict) -> LessonCard:
    """A new card, numbered next in its area ("LA3_ISE" after "LA2_ISE", any assembly)."""
    clean = _clean(assembly_id, raw, lists)
    card = LessonCard(
        assembly_id=assembly_id,
        area_id=clean["area_id"],
        number=_next_number(clean["area_id"]),
        created_by_id=actor.id if actor else None,
    )
    _apply(card, clean)
    db.session.add(card)
    db.session.flush()
    return card


def get_card(assembly_id: int, card_id: int) -> LessonCard:
    card = db.session.get(LessonCard, card_id)
    if card is None or card.assembly_id != assembly_id:
        raise NotFound(_("La ficha no existe en esta asamblea."))
    return card


def update_card(actor: User | None, assembly_id: int, card_id: int, raw: dict, lists: dict):
    """Edit a card; moving it to another area gives it that area's next number."""
    card = get_card(assembly_id, card_id)
    clean = _clean(assembly_id, raw, lists)
    if clean["area_id"] != card.area_id:
        number = _next_number(clean["area_id"])  # before the change: no flush half-way
        card.area, card.number = db.session.get(LessonArea, clean["area_id"]), number
    _apply(card, clean)
    db.session.flush()
    return card


def cards_of(assembly_id: int) -> list[LessonCard]:
    return db.session.scalars(
        select(LessonCard)
        .join(LessonArea, LessonArea.id == LessonCard.area_id)
        .where(LessonCard.assembly_id == assembly_id)
        .order_by(LessonArea.code, LessonCard.number)
    ).all()


def search(filters: dict[str, str], user=None) -> list[tuple[LessonCard, Assembly]]:
    """Cards of every assembly the account works on, by keyword (any text, the code, the
    area), territory, type and area; newest assembly first."""
    stmt = (
        select(LessonCard, Assembly)
        .join(Assembly, Assembly.id == LessonCard.assembly_id)
        .join(LessonArea, LessonArea.id == LessonCard.area_id)
        .order_by(Assembly.date.desc(), LessonArea.code, LessonCard.number)
    )
    stmt = scope.scoped(stmt, LessonCard.assembly_id, user)
    if filters.get("kind"):
        stmt = stmt.where(LessonCard.kind == filters["kind"])
    if filters.get("area"):
        stmt = stmt.where(LessonArea.code == filters["area"])
    found = []
    for card, assembly in db.session.execute(stmt).all():
        texts = {**card.texts, "code": card.code, "area": card.area.name, "assembly": assembly.name}
        texts["territory"] = card.texts.get("territory", "")
        if rules.matches(texts, filters):
            found.append((card, assembly))
    return found


def commitments_for(assembly_id: int) -> list[Commitment]:
    return db.session.scalars(
        select(Commitment)
        .where(Commitment.assembly_id == assembly_id, Commitment.annulled.is_(False))
        .order_by(Commitment.id)
    ).all()


def export_rows(found: list[tuple[LessonCard, Assembly]]) -> tuple[list[str], list[list]]:
    """The cards as plain rows for the lessons workbook (reports.workbooks.lessons): the text
    headers and one row per card (fixed columns, texts, relations)."""
    headers = [label for label, _limit, _long in rules.TEXT_FIELDS.values()]
    ids = {cid for card, _a in found for cid in card.commitment_ids}
    whats = dict(
        db.session.execute(
            select(Commitment.id, Commitment.what).where(Commitment.id.in_(ids))
        ).all()
    )
    rows = []
    for card, assembly in found:
        rows.append(
            [card.code, card.area.name, assembly.name, assembly.date, assembly.region or "",
             card.group.number if card.group else None, rules.KINDS.get(card.kind, card.kind),
             *(card.texts.get(key, "") for key in rules.TEXT_FIELDS),
             "; ".join(f"{k}) {rules.GCM_PRINCIPLES[k]}" for k in card.gcm_principles
                       if k in rules.GCM_PRINCIPLES),
             "; ".join(f"{n}. {rules.GCM_OBJECTIVES[n]}" for n in card.gcm_objectives
                       if n in rules.GCM_OBJECTIVES),
             "; ".join(f"{n}. {rules.SDGS[n]}" for n in card.sdgs if n in rules.SDGS),
             "; ".join(whats[i] for i in card.commitment_ids if i in whats)]
        )  # fmt: skip
    return headers, rows
