"""How the puzzle reacts to the packages below it (their signals; see ARCHITECTURE.md)."""

from sqlalchemy import select

from assembly.extensions import db
from assembly.grouping.signals import table_retiring
from assembly.puzzle.models import Piece


@table_retiring.connect
def keep_tables_with_pieces(table, **_kwargs) -> bool:
    """A table that wrote pieces stays through a re-split (its work is part of the record)."""
    return (
        db.session.scalar(select(Piece.id).where(Piece.table_id == table.id).limit(1)) is not None
    )
