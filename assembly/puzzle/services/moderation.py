"""The mesa's facilitator: hide, merge, fix, nudge, name the mesa's spokesperson."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable
from assembly.auth.models import User
from assembly.errors import InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping import services as grouping
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow
from assembly.puzzle import domain
from assembly.puzzle.models import Piece
from assembly.puzzle.services.access import (
    _facilitated_piece,
    _invalid,
    facilitated_group,
    may_facilitate,
)
from assembly.puzzle.services.history import record_version
from assembly.puzzle.services.phones import _with_descendants
from assembly.puzzle.services.reading import _plan_years
from assembly.registration.models import Attendee

# --- the mesa's facilitator --------------------------------------------------------------------


def hide_piece(actor: User, piece_id: object, hidden: bool) -> tuple[Piece, list[Piece]]:
    """Hide a duplicate or out-of-place piece (kept for the record), or show it again. What
    hangs from it goes and comes back with it (``domain.shown_pieces``); each of those keeps
    its own ``hidden``.

    Returns ``(piece, the pieces under it)``: every screen is told again whether it shows them."""
    piece = _facilitated_piece(actor, piece_id)
    if piece.hidden != bool(hidden):
        record_version(
            piece, actor, "Ocultada por la facilitación" if hidden else "Mostrada de nuevo"
        )
        piece.hidden = bool(hidden)
        if not hidden:
            piece.merged_into_id = None  # shown again: no longer a merged duplicate
        piece.version += 1
        db.session.flush()
    return piece, _with_descendants(piece)[1:]


def merge_piece(actor: User, piece_id: object, into_id: object) -> tuple[Piece, list[Piece]]:
    """Merge a duplicate into the piece that stays: the duplicate is hidden and its solutions
    (or plans) move under the kept piece, with what hangs from them, from whichever table of
    the mesa; each keeps its own table, where it was written (its provenance).

    Returns ``(duplicate, moved children)``."""
    duplicate = _facilitated_piece(actor, piece_id)
    kept = _facilitated_piece(actor, into_id)
    if kept.id == duplicate.id:
        raise InvalidInput(_("Elija otra pieza: una pieza no se une consigo misma."))
    if kept.kind != duplicate.kind or kept.table.group_id != duplicate.table.group_id:
        raise InvalidInput(_("Solo se unen piezas del mismo tipo y de la misma mesa."))
    if kept.hidden:
        raise InvalidInput(_("La pieza que queda está oculta; muéstrela antes de unir."))
    moved = list(
        db.session.scalars(
            select(Piece)
            .where(Piece.parent_id == duplicate.id)
            .order_by(Piece.created_at, Piece.id)
        )
    )
    for child in moved:
        record_version(child, actor, f"Movida bajo la pieza {kept.id[:8]} al unir un duplicado")
        child.parent_id = kept.id
        child.version += 1
    record_version(duplicate, actor, f"Unida como duplicado de la pieza {kept.id[:8]}")
    duplicate.hidden = True
    duplicate.merged_into_id = kept.id
    duplicate.version += 1
    db.session.flush()
    return duplicate, moved


def fix_piece(actor: User, raw: dict) -> Piece:
    """Fix a typo: the facilitator edits the text (and who/when of a plan) at any step."""
    piece = _facilitated_piece(actor, raw.get("id"))
    merged = {"who": piece.who, "due": piece.due, **raw}
    try:
        clean = domain.check_texts(piece.kind, merged, _plan_years(piece.table))
    except domain.PieceError as error:
        raise _invalid(error) from None
    if (piece.text, piece.who, piece.due) != (clean["text"], clean["who"], clean["due"]):
        record_version(piece, actor, "Corrección de la facilitación")
        piece.text, piece.who, piece.due = clean["text"], clean["who"], clean["due"]
        piece.version += 1
        db.session.flush()
    return piece


def nudge_table(actor: User, table_id: int, message: str | None) -> tuple[Table, str]:
    """A reminder for a lagging table of the actor's mesa; nothing is stored."""
    table = db.session.get(Table, table_id)
    if table is None:
        raise NotFound(_("La sub-mesa no existe."))
    if not may_facilitate(actor, table.group):
        raise PermissionDenied(_("Esta sub-mesa es de una mesa asignada a otra persona."))
    try:
        return table, domain.clean_nudge(message)
    except domain.PieceError as error:
        raise _invalid(error) from None


def set_group_spokesperson(actor: User, group_id: int, attendee_id: int | None) -> Group:
    """The facilitator records the mesa's vocero / vocera (one of the mesa's people)."""
    group = facilitated_group(actor, group_id)
    ensure_writable(db.session.get(Assembly, group.assembly_id))
    if attendee_id is None:
        group.spokesperson_id = None
    else:
        attendee = db.session.get(Attendee, attendee_id)
        if attendee is None or attendee.group_id != group.id:
            raise InvalidInput(_("Esa persona no está en esta mesa."))
        group.spokesperson_id = attendee.id
    db.session.flush()
    return group


def rotate_table_code(actor: User, table_id: int) -> tuple[Table, str]:
    """The mesa's facilitator gives one of its tables a new join code (the old one leaked, or
    a phone was lost).  Returns the table and its old code."""
    table = db.session.get(Table, table_id)
    if table is None:
        raise NotFound(_("La sub-mesa no existe."))
    if not may_facilitate(actor, table.group):
        raise PermissionDenied(_("Esta sub-mesa es de una mesa asignada a otra persona."))
    return grouping.rotate_join_code(actor, table.group.assembly_id, table.id, utcnow())
