"""Each mesa's agenda approved by show of hands or by the attendees' phones."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.models import User
from assembly.board import domain, signals
from assembly.board.models import Approval, Vote
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping.models import Group
from assembly.grouping.services import get_group as _group
from assembly.helpers import utcnow
from assembly.registration.models import Attendee


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- approval -------------------------------------------------------------------------------


def _approval(group_id: int) -> Approval | None:
    return db.session.scalar(select(Approval).where(Approval.group_id == group_id))


def _live_counts(approval: Approval) -> dict[str, int]:
    rows = db.session.execute(
        select(Vote.choice, func.count(Vote.id))
        .where(Vote.approval_id == approval.id)
        .group_by(Vote.choice)
    ).all()
    counts = dict.fromkeys(domain.CHOICES, 0)
    counts.update({choice: n for choice, n in rows})
    return counts


def approval_dict(approval: Approval, *, live: bool = False) -> dict:
    """The approval as the screens, the acta and the reports read it: method, the counts, the
    decision and when it closed, plus id, group and status."""
    if live and approval.status == "open":
        counts = _live_counts(approval)
    else:
        counts = {
            "for": approval.votes_for,
            "against": approval.votes_against,
            "abstain": approval.votes_abstain,
        }
    return {
        "id": approval.id,
        "group_id": approval.group_id,
        "method": approval.method,
        "status": approval.status,
        **counts,
        "approved": approval.approved,
        "closed_at": approval.closed_at,
    }


def approval_results(assembly_id: int, *, live: bool = False) -> dict[int, dict]:
    """group_id -> {"method", "for", "against", "abstain", "approved", "closed_at", ...}.
    With ``live`` an open phone vote shows its running count (else zeros until it closes)."""
    approvals = db.session.scalars(
        select(Approval).where(Approval.assembly_id == assembly_id)
    ).all()
    results = {a.group_id: approval_dict(a, live=live) for a in approvals}
    if live:
        for result in results.values():
            result["closed_at"] = _iso(result["closed_at"])
    return results


def json_approval(approval: Approval | None) -> dict | None:
    if approval is None:
        return None
    result = approval_dict(approval, live=True)
    result["closed_at"] = _iso(result["closed_at"])
    return result


def is_frozen(group_id: int) -> bool:
    """True once the plenary approved this mesa's agenda (``Group.agenda_frozen``): its pieces
    can no longer be edited from the tables' phones (amendments go through
    :func:`amend_piece`, which keeps history)."""
    group = db.session.get(Group, group_id)
    return bool(group and group.agenda_frozen)


def _decided(approval: Approval) -> None:
    """Keep the mesa's frozen flag in step with its decision, and tell who listens."""
    group = db.session.get(Group, approval.group_id)
    group.agenda_frozen = bool(approval.status == "closed" and approval.approved)
    db.session.flush()
    if group.agenda_frozen:
        signals.agenda_approved.send(group)


def _refuse_if_decided(group: Group) -> None:
    existing = _approval(group.id)
    if existing is None:
        return
    if existing.status == "open":
        raise Conflict("Ya hay una votación abierta para esta mesa. Ciérrela primero.")
    raise Conflict("La agenda de esta mesa ya tiene una decisión. Anúlela para repetirla.")


def record_hands(actor: User, assembly_id: int, group_id: int, raw: dict) -> Approval:
    """A show-of-hands tally counted in the room: recorded and closed at once."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    _refuse_if_decided(group)
    clean, errors = domain.clean_tally(raw)
    if errors:
        raise InvalidInput("Revise el conteo. " + " ".join(errors.values()), fields=errors)
    approval = Approval(
        assembly_id=assembly_id,
        group_id=group.id,
        method="manos",
        status="closed",
        votes_for=clean["for"],
        votes_against=clean["against"],
        votes_abstain=clean["abstain"],
        approved=domain.decide(clean["for"], clean["against"]),
        opened_at=utcnow(),
        closed_at=utcnow(),
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(approval)
    db.session.flush()
    _decided(approval)
    return approval


def open_vote(actor: User, assembly_id: int, group_id: int) -> Approval:
    """Open a phone vote on a mesa's agenda: every checked-in ticket may vote once."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    _refuse_if_decided(group)
    approval = Approval(
        assembly_id=assembly_id,
        group_id=group.id,
        method="telefono",
        status="open",
        opened_at=utcnow(),
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(approval)
    db.session.flush()
    return approval


def close_vote(actor: User, assembly_id: int, group_id: int) -> Approval:
    """Close a phone vote: count it, decide, freeze the agenda if approved."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    approval = _approval(group.id)
    if approval is None or approval.status != "open":
        raise Conflict("No hay una votación abierta para esta mesa.")
    counts = _live_counts(approval)
    approval.votes_for = counts["for"]
    approval.votes_against = counts["against"]
    approval.votes_abstain = counts["abstain"]
    approval.approved = domain.decide(counts["for"], counts["against"])
    approval.status = "closed"
    approval.closed_at = utcnow()
    db.session.flush()
    _decided(approval)
    return approval


def reset_approval(actor: User, assembly_id: int, group_id: int) -> Group:
    """Annul a mesa's decision (a mistaken tally): its votes go, its agenda thaws."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    approval = _approval(group.id)
    if approval is None:
        raise Conflict(_("Esta mesa no tiene una decisión que anular."))
    db.session.delete(approval)
    group.agenda_frozen = False
    db.session.flush()
    signals.approval_annulled.send(group)
    return group


def attendee_by_ticket(token: str) -> Attendee:
    attendee = db.session.scalar(select(Attendee).where(Attendee.ticket_token == token))
    if attendee is None:
        raise NotFound("El tiquete no existe.")
    return attendee


def open_votes(assembly_id: int) -> list[Approval]:
    return db.session.scalars(
        select(Approval)
        .where(
            Approval.assembly_id == assembly_id,
            Approval.status == "open",
            Approval.method == "telefono",
        )
        .options(joinedload(Approval.group).joinedload(Group.theme))
        .order_by(Approval.opened_at, Approval.id)
    ).all()


def votes_of(attendee: Attendee) -> dict[int, str]:
    """approval id -> this attendee's current choice."""
    rows = db.session.execute(
        select(Vote.approval_id, Vote.choice).where(Vote.attendee_id == attendee.id)
    ).all()
    return dict(rows)


def cast_vote(token: str, approval_id: int | None, choice: str) -> Approval:
    """One vote per ticket and mesa; casting again changes it while the vote is open."""
    attendee = attendee_by_ticket(token)
    ensure_writable(get_assembly(attendee.assembly_id))
    if choice not in domain.CHOICES:
        raise InvalidInput(_("Elija a favor, en contra o abstención."))
    approval = db.session.get(Approval, approval_id) if approval_id else None
    if approval is None or approval.assembly_id != attendee.assembly_id:
        raise NotFound("Esa votación no existe.")
    if approval.method != "telefono":
        raise Conflict("Esta agenda se votó a mano alzada.")
    if approval.status != "open":
        raise Conflict("La votación ya se cerró: su voto no se registró.")
    if attendee.checked_in_at is None:
        raise PermissionDenied(
            "Solo votan las personas registradas hoy. Pase por la mesa de registro."
        )
    vote = db.session.scalar(
        select(Vote).where(Vote.approval_id == approval.id, Vote.attendee_id == attendee.id)
    )
    if vote is None:
        db.session.add(Vote(approval_id=approval.id, attendee_id=attendee.id, choice=choice))
    else:
        vote.choice = choice
    db.session.flush()
    return approval
