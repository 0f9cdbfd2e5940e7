"""The stored agenda clock, its action log and the projector's idle slides."""

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from assembly.extensions import db


class AgendaClock(db.Model):
    """The one clock of an assembly: the stored ``ClockState`` every screen counts from."""

    __tablename__ = "agenda_clocks"

    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True
    )
    #: ClockState.to_dict() of assembly/agenda/domain.py
    state: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: [{"key", "planned_minutes"}] of the agenda the state was built on, to carry the
    #: running slot over an agenda edit (domain.reanchor needs the old agenda)
    agenda: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: optimistic lock: two moderators pressing "next" at once cannot both win
    row_version: Mapped[int] = mapped_column(nullable=False, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )

    __mapper_args__ = {"version_id_col": row_version}

    def __repr__(self) -> str:
        return f"<AgendaClock {self.assembly_id} {self.state.get('status')}>"


class ClockAction(db.Model):
    """One moderator command on the clock (who, when, what): the console's action log."""

    __tablename__ = "clock_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: the actor's display name when acting, kept if the account is deleted later
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    at: Mapped[dt.datetime] = mapped_column(nullable=False)
    #: start, pause, resume, extend, next, back, jump, reset, reanchor
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    #: {"from": key, "to": key, "title": ..., "minutes": ...}
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    def __repr__(self) -> str:
        return f"<ClockAction {self.id} {self.action}>"


class Slide(db.Model):
    """An image shown by the projector's idle mode (before the day starts, in breaks)."""

    __tablename__ = "slides"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(nullable=False)
    #: the file's name under <instance>/slides/<assembly id>/ (random, never the upload's)
    stored_name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    #: the name it had on the organizer's computer, shown in the list
    original_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<Slide {self.id} {self.original_name!r}>"


class MomentNote(db.Model):
    """What staff note live in Moment 2 (an ally's institutional offer) and Moment 3 (an
    experience: guiding questions, lessons, good practices). It goes into the acta and can
    start a lessons-learned card."""

    __tablename__ = "moment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: oferta (Moment 2) or experiencia (Moment 3)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    #: the ally (institution) or the association that told its experience
    who: Mapped[str] = mapped_column(String(200), nullable=False)
    #: the offer, or the experience told
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    #: offer: its possible contribution to the PIT; experience: the guiding questions answered
    details: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: experience: lessons and good practices (empty for an offer)
    lessons: Mapped[str] = mapped_column(Text, nullable=False, default="")
    practices: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<MomentNote {self.id} {self.kind} {self.who!r}>"


class Speaker(db.Model):
    """One turn of the speakers list (Moment 3's talks, Moment 5's spokespersons, questions
    from the floor): queued by the moderator inside any step, timed by the server clock."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the agenda slot ("m12.s40") running when the turn was queued, for the record
    slot_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    #: talk, spokesperson or floor (domain.SPEAKER_KINDS)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    minutes: Mapped[float] = mapped_column(nullable=False)
    #: order in the queue (lower speaks first)
    position: Mapped[int] = mapped_column(nullable=False)
    #: queued, speaking or done
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    #: epoch seconds of the server clock (the same numbers the agenda clock uses)
    started_at: Mapped[float | None] = mapped_column(nullable=True)
    ended_at: Mapped[float | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<Speaker {self.name!r} {self.status}>"
