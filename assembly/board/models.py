"""The plenary: what the board shows, each mesa's approval and its votes, the acta."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint, func
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.extensions import db
from assembly.marks import N_

PLENARY_MODES = {
    "live": N_("En vivo"),
    "reveal": N_("Turno de una mesa"),
    "whole": N_("Rompecabezas completo"),
}
VOTE_CHOICES = {"for": N_("A favor"), "against": N_("En contra"), "abstain": N_("Abstención")}
#: the QRs the board can show full height (PlenaryState.big_qr)
BIG_QRS = ("vote", "survey")


class PlenaryState(db.Model):
    """What every board screen of an assembly shows now; stored so a restart changes nothing."""

    __tablename__ = "plenary_states"

    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True
    )
    #: live (every mesa as it fills), reveal (one mesa's turn) or whole (the finished puzzle)
    mode: Mapped[str] = mapped_column(String(10), nullable=False, default="live")
    #: the mesa whose spokesperson is presenting (reveal mode)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True
    )
    #: the piece zoomed in on, if any
    piece_id: Mapped[str | None] = mapped_column(
        ForeignKey("pieces.id", ondelete="SET NULL"), nullable=True
    )
    #: ids of the mesas already presented, in order: the big puzzle forms from these
    revealed: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: a QR the moderator shows full height so the back of the hall can scan it: "vote" (the
    #: phone vote's) or "survey" (the satisfaction survey's); None: each at its usual size
    big_qr: Mapped[str | None] = mapped_column(String(10), nullable=True)
    #: the voting rules (board.domain.Rules): quorum as a share of those present ("more
    #: than") or a number ("at least"), the majority, and whether results hide until closing
    quorum_kind: Mapped[str] = mapped_column(
        String(10), nullable=False, default="share", server_default="share"
    )
    quorum_value: Mapped[float] = mapped_column(
        Float, nullable=False, default=0.5, server_default="0.5"
    )
    majority: Mapped[str] = mapped_column(
        String(12), nullable=False, default="simple", server_default="simple"
    )
    hide_results: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=sa_false()
    )
    #: the moderator's headcount override of the people present (logged), or None
    headcount: Mapped[int | None] = mapped_column(nullable=True)
    #: grows with every change; screens drop stale states
    version: Mapped[int] = mapped_column(nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )

    def __repr__(self) -> str:
        return f"<PlenaryState {self.assembly_id} {self.mode}>"


class Approval(db.Model):
    """The plenary's decision on one mesa's agenda (one per mesa)."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    #: manos (a show-of-hands tally typed by the moderator) or telefono (attendees' phones)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    #: open (phones may vote) or closed (final)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    #: for a phone vote: counted from the votes when it closes
    votes_for: Mapped[int] = mapped_column(nullable=False, default=0)
    votes_against: Mapped[int] = mapped_column(nullable=False, default=0)
    votes_abstain: Mapped[int] = mapped_column(nullable=False, default=0)
    #: set when closed: the outcome is approved
    approved: Mapped[bool | None] = mapped_column(nullable=True)
    #: set when closed: approved, rejected or no_quorum (board.domain.outcome)
    outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)
    #: the rules in force when the vote opened (board.domain.Rules.as_dict)
    rule: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: the people present when the vote opened and when it closed
    present_open: Mapped[int | None] = mapped_column(nullable=True)
    present_close: Mapped[int | None] = mapped_column(nullable=True)
    opened_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    group = relationship("Group")
    votes: Mapped[list["Vote"]] = relationship(
        back_populates="approval", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Approval group={self.group_id} {self.method} {self.status}>"


class Vote(db.Model):
    """One ticket's vote on one mesa's agenda; changeable while the vote is open."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("approval_id", "attendee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(
        ForeignKey("approvals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    attendee_id: Mapped[int] = mapped_column(
        ForeignKey("attendees.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: for, against or abstain
    choice: Mapped[str] = mapped_column(String(10), nullable=False)
    #: the voting device (a random cookie): several tickets from one device are flagged
    device: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )

    approval: Mapped[Approval] = relationship(back_populates="votes")

    def __repr__(self) -> str:
        return f"<Vote {self.approval_id} {self.attendee_id} {self.choice}>"


class Acta(db.Model):
    """The minutes: a frozen snapshot taken when the assembly closes (the latest one counts)."""

    __tablename__ = "actas"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: approved agenda, attendance totals and approval results, as plain JSON
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: 1 for the first close; closing again after a reopening stores version 2, 3...
    version: Mapped[int] = mapped_column(nullable=False, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    def __repr__(self) -> str:
        return f"<Acta {self.id} of assembly {self.assembly_id}>"
