"""Every model, imported once so that Alembic and ``create_all`` see the whole schema."""

from assembly.agenda.models import AgendaClock, ClockAction, MomentNote, Slide, Speaker
from assembly.assemblies.models import (
    Assembly,
    AssemblyLog,
    ExtraQuestion,
    Moment,
    RoomSequence,
    Step,
    Theme,
)
from assembly.auth.models import AssemblyGrant, AuditEntry, User
from assembly.board.models import Acta, Approval, PlenaryState, Vote
from assembly.core.jobs import Job
from assembly.followup.models import (
    Commitment,
    CommitmentUpdate,
    FollowupLink,
    FollowupSettings,
    LessonArea,
    LessonCard,
    Survey,
    SurveyAnswer,
)
from assembly.grouping.models import Group, RetiredCode, Table
from assembly.puzzle.models import LatePiece, Piece, PieceVersion
from assembly.registration.models import Attendee, Erasure
from assembly.reports.models import ExportLog

__all__ = [
    "Acta",
    "AgendaClock",
    "Approval",
    "Assembly",
    "AssemblyGrant",
    "AssemblyLog",
    "Attendee",
    "AuditEntry",
    "ClockAction",
    "Commitment",
    "CommitmentUpdate",
    "Erasure",
    "ExportLog",
    "ExtraQuestion",
    "FollowupLink",
    "FollowupSettings",
    "Group",
    "Job",
    "LatePiece",
    "LessonArea",
    "LessonCard",
    "Moment",
    "MomentNote",
    "Piece",
    "PieceVersion",
    "PlenaryState",
    "RetiredCode",
    "RoomSequence",
    "Slide",
    "Speaker",
    "Step",
    "Survey",
    "SurveyAnswer",
    "Table",
    "Theme",
    "User",
    "Vote",
]
