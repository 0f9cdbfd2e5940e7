"""Commitments: made from an approved agenda, followed through private links and by staff.
Services flush, never commit nor emit."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.assemblies.services import get_assembly
from assembly.auth.models import User
from assembly.errors import InvalidInput, NotFound, refuse_fields
from assembly.extensions import db
from assembly.followup import domain
from assembly.followup.models import Commitment, CommitmentUpdate, FollowupLink
from assembly.followup.photos import PhotoError, clean_photo
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow, venue_today
from assembly.puzzle import domain as puzzle_domain
from assembly.puzzle.models import Piece

# --- from the plenary (signal receivers call these) -----------------------------------------


def _chain(plan: Piece) -> tuple[str, str]:
    solution = plan.parent
    need = solution.parent if solution else None
    return (need.text if need else ""), (solution.text if solution else "")


def _copy(commitment: Commitment, plan: Piece) -> None:
    commitment.need, commitment.solution = _chain(plan)
    commitment.what = plan.text
    commitment.who = plan.who or ""
    commitment.due = plan.due


def commit_agenda(group: Group) -> list[Commitment]:
    """Each visible plan piece of the mesa becomes (again) a commitment; a commitment made
    before an annulment comes back with its history. Every responsible gets a link."""
    pieces = db.session.scalars(
        select(Piece)
        .join(Table, Piece.table_id == Table.id)
        .where(Table.group_id == group.id)
        .order_by(Table.number, Piece.created_at, Piece.id)
    ).all()
    # the plans the plenary saw (none under a hidden need or solution)
    plans = [p for p in puzzle_domain.shown_pieces(pieces) if p.kind == "plan"]
    existing = {
        c.piece_id: c
        for c in db.session.scalars(select(Commitment).where(Commitment.group_id == group.id))
    }
    made = []
    for plan in plans:
        commitment = existing.get(plan.id)
        if commitment is None:
            commitment = Commitment(
                assembly_id=group.assembly_id, group_id=group.id, piece_id=plan.id
            )
            _copy(commitment, plan)  # before add: reading the chain may autoflush
            db.session.add(commitment)
        commitment.annulled = False
        _copy(commitment, plan)
        made.append(commitment)
        if commitment.who:
            link_for(group.assembly_id, commitment.who)
    db.session.flush()
    return made


def annul_agenda(group: Group) -> int:
    """The plenary annulled the mesa's approval: its commitments stop being followed."""
    commitments = db.session.scalars(
        select(Commitment).where(Commitment.group_id == group.id)
    ).all()
    for commitment in commitments:
        commitment.annulled = True
    db.session.flush()
    return len(commitments)


def carry_amendment(piece: Piece) -> None:
    """An amendment in the plenary reaches the commitments built on the piece."""
    if piece.kind == "plan":
        plans = [piece]
    elif piece.kind == "solution":
        plans = db.session.scalars(select(Piece).where(Piece.parent_id == piece.id)).all()
    else:
        solutions = select(Piece.id).where(Piece.parent_id == piece.id)
        plans = db.session.scalars(select(Piece).where(Piece.parent_id.in_(solutions))).all()
    ids = [p.id for p in plans]
    if not ids:
        return
    by_piece = {
        c.piece_id: c
        for c in db.session.scalars(select(Commitment).where(Commitment.piece_id.in_(ids)))
    }
    for plan in plans:
        commitment = by_piece.get(plan.id)
        if commitment is not None:
            _copy(commitment, plan)
            if commitment.who:
                link_for(commitment.assembly_id, commitment.who)
    db.session.flush()


# --- links ----------------------------------------------------------------------------------


def link_for(assembly_id: int, who: str) -> FollowupLink:
    """The responsible's private link in this assembly (made once, then the same)."""
    key = domain.who_key(who)
    link = db.session.scalar(
        select(FollowupLink).where(
            FollowupLink.assembly_id == assembly_id, FollowupLink.who_key == key
        )
    )
    if link is None:
        link = FollowupLink(
            assembly_id=assembly_id,
            who_key=key,
            who=who.strip()[:300],
            token=secrets.token_urlsafe(32),
        )
        db.session.add(link)
        db.session.flush()
    return link


def link_by_token(token: str) -> FollowupLink:
    link = db.session.scalar(select(FollowupLink).where(FollowupLink.token == str(token or "")))
    if link is None:
        raise NotFound(_("Este enlace de seguimiento no existe. Pida uno nuevo al equipo."))
    return link


# --- reading --------------------------------------------------------------------------------


def commitments_of(assembly_id: int, *, include_annulled: bool = False) -> list[Commitment]:
    query = select(Commitment).where(Commitment.assembly_id == assembly_id)
    if not include_annulled:
        query = query.where(Commitment.annulled.is_(False))
    return db.session.scalars(
        query.join(Group, Commitment.group_id == Group.id).order_by(Group.number, Commitment.id)
    ).all()


def commitments_for_link(link: FollowupLink) -> list[Commitment]:
    return [c for c in commitments_of(link.assembly_id) if domain.who_key(c.who) == link.who_key]


def get_commitment(assembly_id: int, commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.assembly_id != assembly_id:
        raise NotFound(_("El compromiso no existe en esta asamblea."))
    return commitment


def flags_of(commitment: Commitment, assembly=None) -> dict[str, bool]:
    assembly = assembly or get_assembly(commitment.assembly_id)
    return domain.flags(commitment.status, commitment.due, venue_today(assembly))


def pending_reviews(assembly_id: int) -> list[CommitmentUpdate]:
    return db.session.scalars(
        select(CommitmentUpdate)
        .join(Commitment, CommitmentUpdate.commitment_id == Commitment.id)
        .where(Commitment.assembly_id == assembly_id, CommitmentUpdate.review == "pendiente")
        .order_by(CommitmentUpdate.id)
    ).all()


def get_update(assembly_id: int, update_id: int) -> CommitmentUpdate:
    update = db.session.get(CommitmentUpdate, update_id)
    if update is None or update.commitment.assembly_id != assembly_id:
        raise NotFound(_("El reporte de avance no existe en esta asamblea."))
    return update


# --- writing --------------------------------------------------------------------------------


def _apply(commitment: Commitment, clean: dict) -> None:
    commitment.status = clean["status"]
    commitment.progress = clean["progress"]
    commitment.updated_at = utcnow()


def report_progress(token: str, commitment_id: int | None, raw: dict, photo: bytes | None = None):
    """The responsible reports through the private link (no account). The commitment takes
    the reported status at once; staff confirm or correct it afterwards."""
    link = link_by_token(token)
    commitment = next((c for c in commitments_for_link(link) if c.id == commitment_id), None)
    if commitment is None:
        raise NotFound(_("Ese compromiso no está a su cargo."))
    clean, errors = domain.clean_report(raw)
    stored_photo = None
    if photo:
        try:
            stored_photo = clean_photo(photo)
        except PhotoError as error:
            errors["photo"] = str(error)
    refuse_fields(errors)
    update = CommitmentUpdate(
        commitment=commitment,
        source="responsable",
        status=clean["status"],
        progress=clean["progress"],
        note=clean["note"],
        photo=stored_photo,
        review="pendiente",
    )
    db.session.add(update)
    _apply(commitment, clean)
    db.session.flush()
    return update


def staff_report(actor: User, assembly_id: int, commitment_id: int, raw: dict):
    """Staff set the status themselves (a call, a visit): recorded as confirmed."""
    commitment = get_commitment(assembly_id, commitment_id)
    clean, errors = domain.clean_report(raw)
    refuse_fields(errors)
    update = CommitmentUpdate(
        commitment=commitment,
        source="equipo",
        status=clean["status"],
        progress=clean["progress"],
        note=clean["note"],
        review="confirmado",
        author_id=actor.id if actor else None,
        reviewed_by_id=actor.id if actor else None,
        reviewed_at=utcnow(),
    )
    db.session.add(update)
    _apply(commitment, clean)
    db.session.flush()
    return update


def review_update(actor: User, assembly_id: int, update_id: int, raw: dict) -> CommitmentUpdate:
    """Staff confirm a responsible's report, or correct it (the correction is a new staff
    update and the commitment takes it)."""
    update = get_update(assembly_id, update_id)
    action = str(raw.get("action") or "")
    if action not in ("confirm", "correct"):
        raise InvalidInput(_("Elija confirmar o corregir."))
    update.reviewed_by_id = actor.id if actor else None
    update.reviewed_at = utcnow()
    if action == "confirm":
        update.review = "confirmado"
        db.session.flush()
        return update
    corrected = staff_report(actor, assembly_id, update.commitment_id, raw)
    update.review = "corregido"
    db.session.flush()
    return corrected


def update_details(actor: User, assembly_id: int, commitment_id: int, raw: dict) -> Commitment:
    """Staff complete how, how much and the indicator of done, and who's kind."""
    commitment = get_commitment(assembly_id, commitment_id)
    clean, errors = domain.clean_details(raw)
    refuse_fields(errors)
    for field, value in clean.items():
        setattr(commitment, field, value)
    db.session.flush()
    return commitment


def links_of(assembly_id: int) -> list[tuple[FollowupLink, list[Commitment]]]:
    """Each responsible's link with their active commitments (the commitments sheet)."""
    commitments = commitments_of(assembly_id)
    links = db.session.scalars(
        select(FollowupLink)
        .where(FollowupLink.assembly_id == assembly_id)
        .order_by(FollowupLink.who)
    ).all()
    rows = []
    for link in links:
        mine = [c for c in commitments if domain.who_key(c.who) == link.who_key]
        if mine:
            rows.append((link, mine))
    return rows
