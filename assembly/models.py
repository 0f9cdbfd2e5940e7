"""Every model, imported once so that Alembic and ``create_all`` see the whole schema."""

from assembly.agenda.models import AgendaClock, ClockAction, Slide
from assembly.assemblies.models import Assembly, ExtraQuestion, Moment, Step, Theme
from assembly.auth.models import User
from assembly.board.models import Acta, Approval, PieceVersion, PlenaryState, Vote
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from assembly.reports.models import ExportLog

__all__ = [
    "Acta",
    "AgendaClock",
    "Approval",
    "Assembly",
    "Attendee",
    "ClockAction",
    "ExportLog",
    "ExtraQuestion",
    "Group",
    "Moment",
    "Piece",
    "PieceVersion",
    "PlenaryState",
    "Slide",
    "Step",
    "Table",
    "Theme",
    "User",
    "Vote",
]
