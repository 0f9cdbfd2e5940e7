import datetime as dt
import secrets

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.config import DEFAULT_TIME_ZONE
from assembly.extensions import db
from assembly.marks import N_

STATUSES = {
    "draft": N_("Borrador"),
    "open": N_("Inscripciones abiertas"),
    "live": N_("En curso"),
    "closed": N_("Cerrada"),
}


def new_board_token() -> str:
    """256 bits, URL-safe: the public board's address."""
    return secrets.token_urlsafe(32)


class Assembly(db.Model):
    """One regional assembly: one day, one venue, one agreement."""

    __tablename__ = "assemblies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    region: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    #: DANE DIVIPOLA codes of where the assembly takes place
    department_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    municipality_code: Mapped[str | None] = mapped_column(String(5), nullable=True)
    date: Mapped[dt.date] = mapped_column(nullable=False)
    venue: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    capacity: Mapped[int] = mapped_column(nullable=False, default=500)
    #: printed on every badge, board and report
    agreement_line: Mapped[str] = mapped_column(String(300), nullable=False)
    #: draft, open, live or closed
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    #: people per sub-table (sub-mesa)
    table_size: Mapped[int] = mapped_column(nullable=False, default=20)
    #: the work plan's period (the methodology's 2024–2026)
    plan_start_year: Mapped[int] = mapped_column(nullable=False, default=2024)
    plan_end_year: Mapped[int] = mapped_column(nullable=False, default=2026)
    #: IANA zone of the venue: every time a person reads is shown there (stored times are UTC)
    time_zone: Mapped[str] = mapped_column(
        String(64), nullable=False, default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    #: bumped in the same transaction as every change that is broadcast (realtime.py): a
    #: screen compares it with its snapshot's
    revision: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
    #: the public phone board's address (/tablero/<token>): unguessable, unlike the id
    board_token: Mapped[str] = mapped_column(
        String(43), unique=True, nullable=False, default=lambda: new_board_token()
    )
    #: the public phone board can be turned off (the projector board is staff-only anyway)
    public_board: Mapped[bool] = mapped_column(nullable=False, default=True, server_default=true())
    #: the room's address on the last printout (table cards, badges, poster): staff pages warn
    #: when this laptop no longer has it (the printed QR codes would open nothing)
    printed_url: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now(), nullable=False)

    themes: Mapped[list["Theme"]] = relationship(
        back_populates="assembly", order_by="Theme.position", cascade="all, delete-orphan"
    )
    moments: Mapped[list["Moment"]] = relationship(
        back_populates="assembly", order_by="Moment.position", cascade="all, delete-orphan"
    )
    extra_questions: Mapped[list["ExtraQuestion"]] = relationship(
        back_populates="assembly", order_by="ExtraQuestion.position", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __repr__(self) -> str:
        return f"<Assembly {self.id} {self.name!r}>"


class Theme(db.Model):
    """A thematic axis (eje); each one is worked by one mesa."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")

    assembly: Mapped[Assembly] = relationship(back_populates="themes")

    def __repr__(self) -> str:
        return f"<Theme {self.position} {self.title!r}>"


class Moment(db.Model):
    """An agenda item with its planned times."""

    __tablename__ = "moments"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    #: one of assemblies.template.MOMENT_KINDS
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="momento")
    planned_start: Mapped[dt.time] = mapped_column(nullable=False)
    planned_end: Mapped[dt.time] = mapped_column(nullable=False)
    objective: Mapped[str] = mapped_column(Text, nullable=False, default="")
    method: Mapped[str] = mapped_column(Text, nullable=False, default="")

    assembly: Mapped[Assembly] = relationship(back_populates="moments")
    steps: Mapped[list["Step"]] = relationship(
        back_populates="moment", order_by="Step.position", cascade="all, delete-orphan"
    )

    @property
    def planned_minutes(self) -> int:
        start = self.planned_start.hour * 60 + self.planned_start.minute
        end = self.planned_end.hour * 60 + self.planned_end.minute
        return max(end - start, 0)

    def __repr__(self) -> str:
        return f"<Moment {self.position} {self.title!r}>"


class Step(db.Model):
    """A timed part of a moment (a talk, the needs round, ...)."""

    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[int] = mapped_column(
        ForeignKey("moments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    minutes: Mapped[int] = mapped_column(nullable=False)
    #: one of assemblies.template.STEP_KINDS; the puzzle opens pieces by kind
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="other")

    moment: Mapped[Moment] = relationship(back_populates="steps")

    def __repr__(self) -> str:
        return f"<Step {self.position} {self.title!r} {self.minutes}′>"


class ExtraQuestion(db.Model):
    """A question an admin adds to this assembly's registration form."""

    __tablename__ = "extra_questions"
    __table_args__ = (UniqueConstraint("assembly_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(nullable=False)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    #: text, choice or yesno
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    #: the options of a "choice" question
    choices: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    required: Mapped[bool] = mapped_column(nullable=False, default=False)

    assembly: Mapped[Assembly] = relationship(back_populates="extra_questions")

    def __repr__(self) -> str:
        return f"<ExtraQuestion {self.id} {self.label!r}>"


class RoomSequence(db.Model):
    """A Socket.IO room's message counter: every broadcast to the room carries the next
    number, so a screen that sees a gap knows it missed one and asks for a fresh snapshot."""

    __tablename__ = "room_sequences"

    #: "table:12", "board:3"...
    room: Mapped[str] = mapped_column(String(60), primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    seq: Mapped[int] = mapped_column(nullable=False, default=0)

    def __repr__(self) -> str:
        return f"<RoomSequence {self.room} {self.seq}>"


class AssemblyLog(db.Model):
    """What happened to the assembly that the acta reports as an incident: a close confirmed
    over an open vote or an undecided mesa, a reopening, a headcount override, a corrected
    tally. Written once, never edited."""

    __tablename__ = "assembly_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: close_forced, reopened, headcount, correction
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    detail: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<AssemblyLog {self.assembly_id} {self.kind}>"
