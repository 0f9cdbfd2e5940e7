"""The plenary board, the approval of each mesa's agenda, piece amendments and the acta.

Every function flushes; the caller commits (``realtime.broadcasting`` or ``unit_of_work``).
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from assembly.assemblies import periods
from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.models import User
from assembly.board import domain, signals
from assembly.board.models import Acta, Approval, PlenaryState, Vote
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.grouping.services import get_group as _group
from assembly.helpers import utcnow
from assembly.puzzle.models import PIECE_KINDS, Piece, PieceVersion
from assembly.puzzle.services import piece_payload, record_version
from assembly.registration.models import Attendee


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- what the board shows -------------------------------------------------------------------


def board_groups(assembly_id: int) -> list[Group]:
    """The assembly's mesas in order, with their theme and sub-tables loaded."""
    return (
        db.session.scalars(
            select(Group)
            .where(Group.assembly_id == assembly_id)
            .options(joinedload(Group.theme), joinedload(Group.tables))
            .order_by(Group.number)
        )
        .unique()
        .all()
    )


def assembly_pieces(assembly_id: int, *, include_hidden: bool = False) -> list[Piece]:
    """Every piece of the assembly, by mesa, table and time of writing."""
    query = (
        select(Piece)
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .options(joinedload(Piece.table).joinedload(Table.group))
        .order_by(Group.number, Table.number, Piece.created_at, Piece.id)
    )
    if not include_hidden:
        query = query.where(Piece.hidden.is_(False))
    return db.session.scalars(query).all()


def plenary_dict(state: PlenaryState | None, assembly_id: int) -> dict:
    if state is None:
        return {
            "assembly_id": assembly_id,
            "mode": "live",
            "group_id": None,
            "piece_id": None,
            "revealed": [],
            "version": 0,
        }
    return {
        "assembly_id": state.assembly_id,
        "mode": state.mode,
        "group_id": state.group_id,
        "piece_id": state.piece_id,
        "revealed": list(state.revealed or []),
        "version": state.version,
    }


def plenary_state(assembly_id: int) -> dict:
    return plenary_dict(db.session.get(PlenaryState, assembly_id), assembly_id)


def checked_in_count(assembly_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Attendee.id)).where(
                Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None)
            )
        )
        or 0
    )


def board_snapshot(assembly_id: int) -> dict:
    """Everything a board screen needs on (re)connect; deltas follow as events."""
    assembly = get_assembly(assembly_id)
    groups = board_groups(assembly_id)
    return {
        "assembly": {
            "id": assembly.id,
            "name": assembly.name,
            "agreement_line": assembly.agreement_line,
            "status": assembly.status,
        },
        "groups": [
            {
                "id": g.id,
                "number": g.number,
                "title": g.theme.title,
                "tables": [{"id": t.id, "number": t.number} for t in g.tables],
            }
            for g in groups
        ],
        "pieces": [piece_payload(p) for p in assembly_pieces(assembly_id)],
        "plenary": plenary_state(assembly_id),
        "approvals": {str(k): v for k, v in approval_results(assembly_id, live=True).items()},
        "electorate": checked_in_count(assembly_id),
    }


def plenary_command(
    actor: User, assembly_id: int, action: str, group_id=None, piece_id=None
) -> dict:
    """The moderator drives every board screen: ``reveal`` a mesa (its spokesperson's turn),
    ``zoom`` into a piece / ``unzoom``, show the ``whole`` puzzle, or go back to ``live``."""
    get_assembly(assembly_id)
    state = db.session.get(PlenaryState, assembly_id)
    if state is None:
        state = PlenaryState(assembly_id=assembly_id, mode="live", revealed=[], version=0)
        db.session.add(state)
    if action == "reveal":
        group = _group(assembly_id, group_id)
        state.mode, state.group_id, state.piece_id = "reveal", group.id, None
        if group.id not in (state.revealed or []):
            state.revealed = [*(state.revealed or []), group.id]
    elif action == "zoom":
        piece = db.session.get(Piece, str(piece_id or ""))
        if piece is None or piece.table.group.assembly_id != assembly_id or piece.hidden:
            raise NotFound("La pieza no existe en esta asamblea.")
        state.piece_id = piece.id
    elif action == "unzoom":
        state.piece_id = None
    elif action == "whole":
        state.mode, state.group_id, state.piece_id = "whole", None, None
    elif action == "live":
        state.mode, state.group_id, state.piece_id, state.revealed = "live", None, None, []
    else:
        raise InvalidInput("Acción de plenaria desconocida.")
    state.version = (state.version or 0) + 1
    db.session.flush()
    return plenary_dict(state, assembly_id)


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


# --- amendments and history -----------------------------------------------------------------


def get_piece(assembly_id: int, piece_id: str) -> Piece:
    piece = db.session.get(Piece, piece_id)
    if piece is None or piece.table.group.assembly_id != assembly_id:
        raise NotFound("La pieza no existe en esta asamblea.")
    return piece


def amend_piece(actor: User, assembly_id: int, piece_id: str, raw: dict) -> Piece:
    """The plenary amends a piece (also of an approved, frozen agenda): the same rules as the
    phones' (:func:`board.domain.clean_amendment`), the old text is kept as a PieceVersion and
    the piece's version grows, so every screen takes the new one."""
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    piece = get_piece(assembly_id, piece_id)
    clean, errors = domain.clean_amendment(piece.kind, raw, periods.plan_years(assembly))
    if errors:
        raise InvalidInput(
            _("Revise los campos marcados.") + " " + " ".join(errors.values()), fields=errors
        )
    if (piece.text, piece.who, piece.due) == (clean["text"], clean["who"], clean["due"]):
        raise InvalidInput(_("La enmienda no cambia nada."), fields={"text": _("No hay cambios.")})
    record_version(piece, actor, clean["reason"])
    piece.text, piece.who, piece.due = clean["text"], clean["who"], clean["due"]
    piece.version += 1
    piece.updated_at = utcnow()
    db.session.flush()
    return piece


# --- the consolidated agenda and the acta ---------------------------------------------------


def _versions_count(assembly_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(PieceVersion.piece_id, func.count(PieceVersion.id))
        .join(Piece, PieceVersion.piece_id == Piece.id)
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .group_by(PieceVersion.piece_id)
    ).all()
    return dict(rows)


def consolidated_agenda(assembly_id: int) -> list[dict]:
    """Per mesa: its theme, rows need → solution → who/when, and its approval."""
    amended = _versions_count(assembly_id)
    by_group: dict[int, list[dict]] = {}
    for piece in assembly_pieces(assembly_id):
        payload = piece_payload(piece)
        payload["amended"] = amended.get(piece.id, 0) > 0
        payload.pop("updated_at", None)
        by_group.setdefault(piece.table.group_id, []).append(payload)
    results = approval_results(assembly_id)
    sections = []
    for group in board_groups(assembly_id):
        result = results.get(group.id)
        if result:
            result = {**result, "closed_at": _iso(result["closed_at"])}
        sections.append(
            {
                "group_id": group.id,
                "number": group.number,
                "title": group.theme.title,
                "description": group.theme.description,
                "rows": domain.agenda_rows(by_group.get(group.id, [])),
                "approval": result,
            }
        )
    return sections


def attendance_totals(assembly_id: int) -> dict:
    registered = (
        db.session.scalar(
            select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly_id)
        )
        or 0
    )
    rows = db.session.execute(
        select(Attendee.sex, func.count(Attendee.id))
        .where(Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None))
        .group_by(Attendee.sex)
        .order_by(Attendee.sex)
    ).all()
    by_group = db.session.execute(
        select(Group.number, func.count(Attendee.id))
        .join(Attendee, Attendee.group_id == Group.id)
        .where(Group.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None))
        .group_by(Group.number)
        .order_by(Group.number)
    ).all()
    return {
        "registered": registered,
        "checked_in": sum(n for _, n in rows),
        "by_sex": {sex: n for sex, n in rows},
        "by_group": {str(number): n for number, n in by_group},
    }


def acta_snapshot(assembly: Assembly) -> dict:
    """The acta's content as plain JSON: nothing in it changes if the data changes later."""
    return {
        "assembly": {
            "id": assembly.id,
            "name": assembly.name,
            "region": assembly.region,
            "venue": assembly.venue,
            "date": assembly.date.isoformat(),
            "agreement_line": assembly.agreement_line,
            "plan_period": f"{assembly.plan_start_year}–{assembly.plan_end_year}",
        },
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "attendance": attendance_totals(assembly.id),
        "agenda": consolidated_agenda(assembly.id),
        "kinds": PIECE_KINDS,
    }


def store_acta(actor: User | None, assembly: Assembly) -> Acta:
    acta = Acta(
        assembly_id=assembly.id,
        snapshot=acta_snapshot(assembly),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(acta)
    db.session.flush()
    return acta


def refuse_closing_with_open_votes(assembly: Assembly) -> None:
    """The assembly does not close while a phone vote is open (``assembly_closing``)."""
    if open_votes(assembly.id):
        raise Conflict(_("Cierre primero las votaciones abiertas."))


def latest_acta(assembly_id: int) -> Acta | None:
    return db.session.scalar(
        select(Acta)
        .where(Acta.assembly_id == assembly_id)
        .order_by(Acta.created_at.desc(), Acta.id.desc())
        .limit(1)
    )
