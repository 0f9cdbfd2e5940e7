"""Every model, imported once so that Alembic and ``create_all`` see the whole schema."""

from assembly.assemblies.models import Assembly, ExtraQuestion, Moment, Step, Theme
from assembly.auth.models import User
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee

__all__ = [
    "Assembly",
    "Attendee",
    "ExtraQuestion",
    "Group",
    "Moment",
    "Piece",
    "Step",
    "Table",
    "Theme",
    "User",
]
