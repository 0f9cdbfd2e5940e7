"""The consolidated agenda and the acta: the snapshot stored when the assembly closes."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.auth.models import User
from assembly.board import domain
from assembly.board.models import Acta
from assembly.board.services.approvals import _iso, approval_results, open_votes
from assembly.board.services.plenary import assembly_pieces, board_groups
from assembly.errors import Conflict
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow
from assembly.puzzle.models import PIECE_KINDS, Piece, PieceVersion
from assembly.puzzle.services import piece_payload
from assembly.registration.models import Attendee

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
