"""What the screens read: piece payloads, a table's and a mesa's snapshot."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select

from assembly.agenda import services as agenda
from assembly.assemblies import periods
from assembly.assemblies.models import Assembly
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.helpers import venue_time
from assembly.puzzle import domain
from assembly.puzzle.models import LatePiece, Piece
from assembly.puzzle.services.access import identity_table
from assembly.registration.models import Attendee


def open_piece_kinds(assembly_id: int) -> set[str]:
    """The kinds the agenda clock has open now (its current step)."""
    return set(agenda.open_piece_kinds(assembly_id))


def clock_snapshot(assembly_id: int) -> dict:
    """The agenda clock's snapshot for the phone's first paint."""
    return agenda.clock_snapshot(assembly_id)


def is_shown(piece: Piece) -> bool:
    """Whether the plenary sees ``piece``: neither it nor its solution or need is hidden
    (``domain.shown_pieces``, the one rule, over the piece's chain)."""
    chain = [piece]
    while chain[-1].parent is not None and len(chain) < len(domain.KINDS):
        chain.append(chain[-1].parent)
    return piece in domain.shown_pieces(chain)


def piece_payload(piece: Piece) -> dict:
    """The stored piece as every screen receives it (never the client's copy). ``shown``
    says whether the plenary sees it (false under a hidden need or solution)."""
    table = piece.table
    group = table.group
    return {
        "id": piece.id,
        "kind": piece.kind,
        "parent_id": piece.parent_id,
        "text": piece.text,
        "who": piece.who,
        "due": piece.due,
        "status": piece.status,
        "hidden": piece.hidden,
        "shown": is_shown(piece),
        "version": piece.version,
        "table_id": table.id,
        "table_number": table.number,
        "group_id": group.id,
        "group_number": group.number,
        "theme_id": group.theme_id,
        "assembly_id": group.assembly_id,
        "created_at": piece.created_at.isoformat() if piece.created_at else None,
        "updated_at": piece.updated_at.isoformat() if piece.updated_at else None,
    }


# --- reading -----------------------------------------------------------------------------------


def _pieces_of(table_ids: list[int]) -> list[Piece]:
    if not table_ids:
        return []
    return list(
        db.session.scalars(
            select(Piece).where(Piece.table_id.in_(table_ids)).order_by(Piece.created_at, Piece.id)
        )
    )


def _views(pieces: list[Piece]) -> list[domain.PieceView]:
    return [domain.PieceView(p.id, p.kind, p.parent_id, p.hidden) for p in pieces]


def _members(table: Table) -> list[Attendee]:
    return list(
        db.session.scalars(
            select(Attendee)
            .where(Attendee.table_id == table.id)
            .order_by(Attendee.first_names, Attendee.last_names, Attendee.id)
        )
    )


def _person(attendee_id: int | None) -> dict | None:
    attendee = db.session.get(Attendee, attendee_id) if attendee_id else None
    return {"id": attendee.id, "name": attendee.full_name} if attendee else None


def table_info(table: Table) -> dict:
    """A table as its phones and its facilitator see it (no personal data but names)."""
    return {
        "id": table.id,
        "number": table.number,
        "group_id": table.group_id,
        "group_number": table.group.number,
        "members": db.session.scalar(
            select(func.count(Attendee.id)).where(Attendee.table_id == table.id)
        ),
        "leader": _person(table.leader_id),
        "spokesperson": _person(table.spokesperson_id),
        #: the plenary approved the mesa's agenda: its pieces no longer change from the phones
        "frozen": bool(table.group.agenda_frozen),
    }


def table_state(identity: dict) -> dict:
    """The full snapshot a table's phone paints on (re)connect."""
    table = identity_table(identity)
    group = table.group
    assembly = db.session.get(Assembly, group.assembly_id)
    pieces = _pieces_of([table.id])
    return {
        "table": table_info(table),
        "theme": {"title": group.theme.title, "description": group.theme.description},
        "assembly": {
            "id": assembly.id,
            "name": assembly.name,
            "plan_start_year": assembly.plan_start_year,
            "plan_end_year": assembly.plan_end_year,
            #: the quarters a commitment may take, as (value, label): assemblies.periods; the
            #: phone offers these (it builds no quarter of its own)
            "quarters": periods.choices(assembly, gettext),
        },
        "people": [{"id": a.id, "name": a.full_name} for a in _members(table)],
        "pieces": [piece_payload(p) for p in pieces],
        "progress": domain.progress(_views(pieces)),
        "open_kinds": sorted(open_piece_kinds(assembly.id)),
        #: ids of this table's pieces held «fuera de tiempo» (the facilitator may accept them)
        "late": [p.id for p in late_pieces_of([table.id])],
        "clock": clock_snapshot(assembly.id),
        "limits": domain.LIMITS,
    }


def group_info(group: Group) -> dict:
    return {
        "id": group.id,
        "number": group.number,
        "assembly_id": group.assembly_id,
        "theme": group.theme.title,
        "spokesperson": _person(group.spokesperson_id),
    }


def group_state(group: Group) -> dict:
    """A mesa's tables side by side with their pieces and progress, for its facilitator."""
    pieces = _pieces_of([t.id for t in group.tables])
    by_table: dict[int, list[Piece]] = {}
    for piece in pieces:
        by_table.setdefault(piece.table_id, []).append(piece)
    people = db.session.scalars(
        select(Attendee)
        .where(Attendee.group_id == group.id)
        .order_by(Attendee.first_names, Attendee.last_names, Attendee.id)
    )
    return {
        "group": group_info(group),
        "tables": [
            {
                **table_info(t),
                #: staff only (the mesa's room): the code the facilitator hands out
                "join_code": t.join_code,
                "pieces": [piece_payload(p) for p in by_table.get(t.id, [])],
                "progress": domain.progress(_views(by_table.get(t.id, []))),
            }
            for t in group.tables
        ],
        "people": [{"id": a.id, "name": a.full_name, "table_id": a.table_id} for a in people],
        "open_kinds": sorted(open_piece_kinds(group.assembly_id)),
        #: pieces sent after their step's time ran out, waiting for the facilitator
        "late": [late_payload(p) for p in late_pieces_of([t.id for t in group.tables])],
    }


def late_pieces_of(table_ids: list[int]) -> list[LatePiece]:
    if not table_ids:
        return []
    return list(
        db.session.scalars(
            select(LatePiece)
            .where(LatePiece.table_id.in_(table_ids))
            .order_by(LatePiece.received_at, LatePiece.id)
        )
    )


def late_payload(late: LatePiece) -> dict:
    table = db.session.get(Table, late.table_id)
    group = table.group
    return {
        "id": late.id,
        "op": late.op,
        "kind": late.kind,
        "parent_id": late.parent_id,
        "text": late.text,
        "who": late.who,
        "due": late.due,
        "table_id": table.id,
        "table_number": table.number,
        "group_id": group.id,
        "assembly_id": group.assembly_id,
        "received_at": late.received_at.isoformat(),
        "received_time": venue_time(
            late.received_at, db.session.get(Assembly, group.assembly_id), "%H:%M:%S"
        ),
    }


def _plan_years(table: Table) -> tuple[int, int]:
    assembly = db.session.get(Assembly, table.group.assembly_id)
    return assembly.plan_start_year, assembly.plan_end_year
