"""A piece's earlier versions, and the rule that freezes it (closed assembly, approved agenda)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable
from assembly.auth.models import User
from assembly.errors import Conflict
from assembly.extensions import db
from assembly.grouping.models import Table
from assembly.puzzle.models import Piece, PieceVersion

# --- history and the frozen agenda -------------------------------------------------------------


def record_version(
    piece: Piece, actor: User | None = None, reason: str = "", *, amendment: bool = False
) -> PieceVersion:
    """Keep the piece as it is now before it changes; the caller then edits it and bumps
    ``piece.version`` (phones, facilitators and plenary amendments all call it)."""
    row = PieceVersion(
        piece_id=piece.id,
        version=piece.version,
        text=piece.text,
        who=piece.who,
        due=piece.due,
        status=piece.status,
        hidden=piece.hidden,
        changed_by_id=actor.id if actor else None,
        reason=reason[:300],
        amendment=amendment,
    )
    db.session.add(row)
    return row


def piece_history(piece_id: str) -> list[PieceVersion]:
    """A piece's earlier versions, newest first."""
    return db.session.scalars(
        select(PieceVersion)
        .where(PieceVersion.piece_id == piece_id)
        .order_by(PieceVersion.version.desc())
    ).all()


def ensure_editable(table: Table) -> None:
    """Refuse a change from the phones or the facilitation: the assembly is closed
    (``closed``) or the plenary approved the mesa's agenda (``frozen``; from then on only
    plenary amendments change it)."""
    ensure_writable(db.session.get(Assembly, table.group.assembly_id))
    if table.group.agenda_frozen:
        raise Conflict(
            _("La plenaria ya aprobó la agenda de esta mesa: sus piezas no se pueden cambiar."),
            code="frozen",
        )
