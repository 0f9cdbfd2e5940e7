"""Each mesa's agenda approved by show of hands or by the attendees' phones."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from assembly.assemblies.services import clean_reason, ensure_writable, get_assembly, log_incident
from assembly.auth.models import User
from assembly.board import domain, signals
from assembly.board.models import Approval, Vote
from assembly.board.services.rules import present_count, results_hidden, rules_of
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping.models import Group
from assembly.grouping.services import get_group as _group
from assembly.helpers import utcnow
from assembly.registration.models import Attendee
from assembly.registration.services import ticket_owner


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


def approval_dict(approval: Approval, *, live: bool = False, hidden: bool = False) -> dict:
    """The approval as the screens, the acta and the reports read it: method, the counts, the
    decision (``outcome``: approved, rejected, no_quorum) with the rule and the people present
    it was decided with, plus id, group and status. ``hidden``: an open vote shows only how
    many voted (the assembly hides results until closing)."""
    if live and approval.status == "open":
        counts = _live_counts(approval)
    else:
        counts = {
            "for": approval.votes_for,
            "against": approval.votes_against,
            "abstain": approval.votes_abstain,
        }
    cast = sum(counts.values())
    concealed = hidden and approval.status == "open"
    if concealed:
        counts = dict.fromkeys(domain.CHOICES, None)
    rule = approval.rule or {}
    return {
        "id": approval.id,
        "group_id": approval.group_id,
        "method": approval.method,
        "status": approval.status,
        **counts,
        "cast": cast,
        "hidden": concealed,
        "approved": approval.approved,
        "outcome": approval.outcome,
        "rule": rule,
        "present_open": approval.present_open,
        "present_close": approval.present_close,
        "closed_at": approval.closed_at,
    }


def approval_results(assembly_id: int, *, live: bool = False) -> dict[int, dict]:
    """group_id -> {"method", "for", "against", "abstain", "approved", "closed_at", ...}.
    With ``live`` an open phone vote shows its running count (else zeros until it closes)."""
    approvals = db.session.scalars(
        select(Approval).where(Approval.assembly_id == assembly_id)
    ).all()
    hidden = live and results_hidden(assembly_id)
    results = {a.group_id: approval_dict(a, live=live, hidden=hidden) for a in approvals}
    if live:
        for approval in approvals:
            result = results[approval.group_id]
            result["closed_at"] = _iso(result["closed_at"])
            result["shared_devices"] = shared_devices(approval) if approval.id else 0
    return results


def json_approval(approval: Approval | None) -> dict | None:
    if approval is None:
        return None
    hidden = results_hidden(approval.assembly_id)
    result = approval_dict(approval, live=True, hidden=hidden)
    result["closed_at"] = _iso(result["closed_at"])
    result["shared_devices"] = shared_devices(approval)
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
        raise Conflict(_("Ya hay una votación abierta para esta mesa. Ciérrela primero."))
    raise Conflict(_("La agenda de esta mesa ya tiene una decisión. Anúlela para repetirla."))


def _rule_now(assembly_id: int, present: int) -> dict:
    """The rules in force, as stored with a vote: their parameters and the quorum (never their
    sentence, which is written when read, in the reader's language: ``approval_rule_text``)."""
    current = rules_of(assembly_id)
    return {**current.as_dict(), "quorum_needed": domain.quorum_needed(current, present)}


def _settle(approval: Approval, counts: dict[str, int], present: int) -> None:
    """Store the counts and the outcome under the rule stored at opening."""
    approval.votes_for = counts["for"]
    approval.votes_against = counts["against"]
    approval.votes_abstain = counts["abstain"]
    approval.present_close = present
    stored = domain.Rules.from_dict(approval.rule)
    approval.outcome = domain.outcome(stored, counts, present)
    # a sentence stored before the rule was written when read (``approval_rule_text``) goes
    approval.rule = {**stored.as_dict(), "quorum_needed": domain.quorum_needed(stored, present)}
    approval.approved = approval.outcome == "approved"
    approval.status = "closed"
    approval.closed_at = utcnow()


def _checked_tally(assembly_id: int, raw: dict, present: int) -> dict[str, int]:
    clean, errors = domain.clean_tally(raw, present)
    if errors:
        raise InvalidInput(_("Revise el conteo.") + " " + " ".join(errors.values()), fields=errors)
    return clean


def record_hands(actor: User, assembly_id: int, group_id: int, raw: dict) -> Approval:
    """A show-of-hands tally counted in the room: checked against the people present (it can
    not exceed them; a declared total must match), decided under the rules, closed at once."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    _refuse_if_decided(group)
    present = present_count(assembly_id)
    clean = _checked_tally(assembly_id, raw, present)
    approval = Approval(
        assembly_id=assembly_id,
        group_id=group.id,
        method="manos",
        opened_at=utcnow(),
        recorded_by_id=actor.id if actor else None,
        rule=_rule_now(assembly_id, present),
        present_open=present,
    )
    _settle(approval, clean, present)
    db.session.add(approval)
    db.session.flush()
    _decided(approval)
    return approval


def correct_hands(actor: User, assembly_id: int, group_id: int, raw: dict) -> Approval:
    """Correct a show-of-hands tally already recorded: checked like the first one, decided
    again under its stored rule, and logged with who corrected it and the counts before."""
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    group = _group(assembly_id, group_id)
    approval = _approval(group.id)
    if approval is None or approval.method != "manos" or approval.status != "closed":
        raise Conflict(_("Esta mesa no tiene un conteo a mano alzada que corregir."))
    reason = clean_reason(raw.get("reason"))
    if not reason:
        raise InvalidInput(
            _("Diga por qué corrige el conteo (queda en el acta)."),
            fields={"reason": _("Falta el motivo.")},
        )
    present = approval.present_close if approval.present_close is not None else 0
    present = max(present, present_count(assembly_id))
    clean = _checked_tally(assembly_id, raw, present)
    before = {
        "for": approval.votes_for,
        "against": approval.votes_against,
        "abstain": approval.votes_abstain,
        "outcome": approval.outcome,
    }
    _settle(approval, clean, present)
    db.session.flush()
    log_incident(
        assembly,
        "correction",
        actor,
        reason,
        {
            "group_id": group.id,
            "number": group.number,
            "before": before,
            "after": {**clean, "outcome": approval.outcome},
        },
    )
    _decided(approval)
    return approval


def open_vote(actor: User, assembly_id: int, group_id: int) -> Approval:
    """Open a phone vote on a mesa's agenda: every ticket present may vote once. The rules
    and the people present are stored with it."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    _refuse_if_decided(group)
    present = present_count(assembly_id)
    approval = Approval(
        assembly_id=assembly_id,
        group_id=group.id,
        method="telefono",
        status="open",
        opened_at=utcnow(),
        recorded_by_id=actor.id if actor else None,
        rule=_rule_now(assembly_id, present),
        present_open=present,
    )
    db.session.add(approval)
    db.session.flush()
    return approval


def settle_vote(approval: Approval) -> Approval:
    """Count an open phone vote and decide it under its rule (the votes cast, abstentions
    included, must reach the quorum of the people present now)."""
    _settle(approval, _live_counts(approval), present_count(approval.assembly_id))
    db.session.flush()
    _decided(approval)
    return approval


def close_vote(actor: User, assembly_id: int, group_id: int) -> Approval:
    """Close a phone vote: count it, decide, freeze the agenda if approved."""
    ensure_writable(get_assembly(assembly_id))
    group = _group(assembly_id, group_id)
    approval = _approval(group.id)
    if approval is None or approval.status != "open":
        raise Conflict(_("No hay una votación abierta para esta mesa."))
    return settle_vote(approval)


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
    attendee = ticket_owner(token)
    if attendee is None:
        raise NotFound(_("El tiquete no existe."))
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


def cast_vote(
    token: str, approval_id: int | None, choice: str, device: str | None = None
) -> Approval:
    """One vote per ticket and mesa; casting again changes it while the vote is open. The
    device (a cookie) is stored: several tickets voting from one device are flagged to the
    moderator (:func:`shared_devices`), not blocked (a family may share a phone)."""
    attendee = attendee_by_ticket(token)
    ensure_writable(get_assembly(attendee.assembly_id))
    if choice not in domain.CHOICES:
        raise InvalidInput(_("Elija a favor, en contra o abstención."))
    approval = db.session.get(Approval, approval_id) if approval_id else None
    if approval is None or approval.assembly_id != attendee.assembly_id:
        raise NotFound(_("Esa votación no existe."))
    if approval.method != "telefono":
        raise Conflict(_("Esta agenda se votó a mano alzada."))
    if approval.status != "open":
        raise Conflict(_("La votación ya se cerró: su voto no se registró."))
    if attendee.checked_in_at is None:
        raise PermissionDenied(
            _("Solo votan las personas registradas hoy. Pase por la mesa de registro.")
        )
    if attendee.checked_out_at is not None:
        raise PermissionDenied(
            _("Su salida quedó registrada: pase por la mesa de registro para volver a entrar.")
        )
    vote = db.session.scalar(
        select(Vote).where(Vote.approval_id == approval.id, Vote.attendee_id == attendee.id)
    )
    device = (device or "")[:64] or None
    if vote is None:
        db.session.add(
            Vote(approval_id=approval.id, attendee_id=attendee.id, choice=choice, device=device)
        )
    else:
        vote.choice = choice
        vote.device = device or vote.device
    db.session.flush()
    return approval


def shared_devices(approval: Approval) -> int:
    """How many devices cast this vote for more than one ticket (flagged to the moderator)."""
    per_device = (
        select(Vote.device)
        .where(Vote.approval_id == approval.id, Vote.device.is_not(None))
        .group_by(Vote.device)
        .having(func.count(Vote.id) > 1)
    ).subquery()
    return db.session.scalar(select(func.count()).select_from(per_device)) or 0
