"""The plenary amends a piece with the phones' own rules; the old text is kept."""

from flask_babel import gettext as _

from assembly.assemblies import periods
from assembly.assemblies.services import ensure_writable, get_assembly
from assembly.auth.models import User
from assembly.board import domain, signals
from assembly.errors import InvalidInput, NotFound, refuse_fields
from assembly.extensions import db
from assembly.helpers import utcnow
from assembly.puzzle.models import Piece
from assembly.puzzle.services import record_version

# --- amendments and history -----------------------------------------------------------------


def get_piece(assembly_id: int, piece_id: str) -> Piece:
    piece = db.session.get(Piece, piece_id)
    if piece is None or piece.table.group.assembly_id != assembly_id:
        raise NotFound(_("La pieza no existe en esta asamblea."))
    return piece


def amend_piece(actor: User, assembly_id: int, piece_id: str, raw: dict) -> Piece:
    """The plenary amends a piece (also of an approved, frozen agenda): the same rules as the
    phones' (:func:`board.domain.clean_amendment`), the old text is kept as a PieceVersion and
    the piece's version grows, so every screen takes the new one."""
    assembly = get_assembly(assembly_id)
    ensure_writable(assembly)
    piece = get_piece(assembly_id, piece_id)
    clean, errors = domain.clean_amendment(piece.kind, raw, periods.plan_years(assembly))
    refuse_fields(errors)
    if (piece.text, piece.who, piece.due) == (clean["text"], clean["who"], clean["due"]):
        raise InvalidInput(_("La enmienda no cambia nada."), fields={"text": _("No hay cambios.")})
    record_version(piece, actor, clean["reason"], amendment=True)
    piece.text, piece.who, piece.due = clean["text"], clean["who"], clean["due"]
    piece.version += 1
    piece.updated_at = utcnow()
    db.session.flush()
    signals.piece_amended.send(piece)
    return piece
