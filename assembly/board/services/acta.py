"""The consolidated agenda and the acta: the snapshot stored when the assembly closes."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.agenda.notes import acta_notes
from assembly.assemblies.models import Assembly
from assembly.assemblies.services import incidents, log_incident
from assembly.auth.models import User
from assembly.board import domain
from assembly.board.models import Acta
from assembly.board.services.acta_record import amendments, opening_attendance
from assembly.board.services.approvals import _iso, approval_results, open_votes, settle_vote
from assembly.board.services.plenary import assembly_pieces, board_groups, spokespeople
from assembly.board.services.rules import present_count
from assembly.errors import Conflict
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow, venue_time
from assembly.puzzle.domain import shown_pieces
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
    assembly = db.session.get(Assembly, assembly_id)
    every = assembly_pieces(assembly_id, include_hidden=True)
    sources = domain.merged_sources(
        [{**piece_payload(p), "merged_into_id": p.merged_into_id} for p in every]
    )
    by_group: dict[int, list[dict]] = {}
    for piece in shown_pieces(every):
        payload = piece_payload(piece)
        payload["amended"] = amended.get(piece.id, 0) > 0
        payload.pop("updated_at", None)
        # where it was written, and the sub-mesas of the duplicates merged into it (14.4)
        payload["table_label"] = domain.table_label(payload)
        payload["merged_from"] = sources.get(piece.id, [])
        by_group.setdefault(piece.table.group_id, []).append(payload)
    results = approval_results(assembly_id)
    sections = []
    groups = board_groups(assembly_id)
    speakers = spokespeople(groups)
    for group in groups:
        result = results.get(group.id)
        if result:
            result = {
                **result,
                "closed_at": _iso(result["closed_at"]),
                "closed_local": venue_time(result["closed_at"], assembly, "%H:%M"),
            }
        sections.append(
            {
                "group_id": group.id,
                "number": group.number,
                "title": group.theme.title,
                "description": group.theme.description,
                "rows": domain.agenda_rows(by_group.get(group.id, [])),
                "spokesperson": speakers.get(group.spokesperson_id),
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
        # the venue's own clock (Colombia for every assembly of the plan), for the document
        "generated_local": venue_time(utcnow(), assembly, "%d/%m/%Y %H:%M"),
        "time_zone": assembly.time_zone,
        "attendance": {**attendance_totals(assembly.id), "present": present_count(assembly.id)},
        # present when the agenda started (each vote keeps its own count at opening and close)
        "opening": opening_attendance(assembly),
        "amendments": amendments(assembly),
        "agenda": consolidated_agenda(assembly.id),
        # Moments 2 and 3 on the record: allies' offers, the experiences told
        "moment_notes": acta_notes(assembly.id),
        "kinds": PIECE_KINDS,
        "incidents": [
            {
                "kind": row.kind,
                "reason": row.reason,
                "detail": row.detail,
                "at": row.created_at.isoformat(timespec="seconds") if row.created_at else None,
                "at_local": venue_time(row.created_at, assembly, "%d/%m/%Y %H:%M"),
            }
            for row in incidents(assembly.id)
        ],
    }


def store_acta(actor: User | None, assembly: Assembly, reason: str = "") -> Acta:
    """A new version of the acta (the stored ones are never edited)."""
    version = (
        db.session.scalar(select(func.max(Acta.version)).where(Acta.assembly_id == assembly.id))
        or 0
    ) + 1
    snapshot = acta_snapshot(assembly)
    snapshot["version"] = version
    snapshot["close_reason"] = reason
    acta = Acta(
        assembly_id=assembly.id,
        snapshot=snapshot,
        version=version,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(acta)
    db.session.flush()
    return acta


def closing_blockers(assembly: Assembly) -> dict:
    """What should be decided before closing: open phone votes and undecided mesas (numbers)."""
    results = approval_results(assembly.id)
    open_numbers = [a.group.number for a in open_votes(assembly.id)]
    undecided = [
        g.number
        for g in board_groups(assembly.id)
        if g.id not in results or results[g.id]["status"] != "closed"
    ]
    undecided = [n for n in undecided if n not in open_numbers]
    return {"open_votes": open_numbers, "undecided": undecided}


def refuse_closing_with_open_votes(
    assembly: Assembly, actor: User | None = None, reason: str = ""
) -> None:
    """The assembly does not close while a phone vote is open or a mesa is undecided
    (``assembly_closing``), unless the moderator confirms with a reason: then the open votes
    are counted and closed, and the reason goes into the acta's incidents."""
    blockers = closing_blockers(assembly)
    if not blockers["open_votes"] and not blockers["undecided"]:
        return
    if not reason:
        parts = []
        if blockers["open_votes"]:
            parts.append(
                _(
                    "Cierre primero las votaciones abiertas (mesa %(numbers)s).",
                    numbers=", ".join(map(str, blockers["open_votes"])),
                )
            )
        if blockers["undecided"]:
            parts.append(
                _(
                    "Hay mesas sin decisión (mesa %(numbers)s).",
                    numbers=", ".join(map(str, blockers["undecided"])),
                )
            )
        parts.append(_("Para cerrar de todos modos, escriba el motivo (queda en el acta)."))
        raise Conflict(" ".join(parts), fields={"reason": _("Falta el motivo.")})
    for approval in open_votes(assembly.id):
        settle_vote(approval)
    log_incident(assembly, "close_forced", actor, reason, blockers)


def latest_acta(assembly_id: int) -> Acta | None:
    return db.session.scalar(
        select(Acta)
        .where(Acta.assembly_id == assembly_id)
        .order_by(Acta.created_at.desc(), Acta.id.desc())
        .limit(1)
    )
