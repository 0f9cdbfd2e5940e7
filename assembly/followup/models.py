"""Commitments made from each mesa's approved plan pieces, their private update links and the
history of their progress reports."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.extensions import db
from assembly.followup import lessons_domain


class Commitment(db.Model):
    """One plan piece of an approved agenda, followed up after the day. It holds the one
    follow-up status; the texts are copied from the puzzle (amendments carry over)."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the plan piece it came from (one commitment per piece)
    piece_id: Mapped[str | None] = mapped_column(
        ForeignKey("pieces.id", ondelete="SET NULL"), nullable=True, unique=True
    )
    need: Mapped[str] = mapped_column(Text, nullable=False, default="")
    solution: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: what will be done (the plan piece's text)
    what: Mapped[str] = mapped_column(Text, nullable=False)
    #: who: an organisation or person of the assembly, or an institution
    who: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    #: organizacion, persona or institucion (a person's name is never published)
    who_kind: Mapped[str] = mapped_column(String(12), nullable=False, default="organizacion")
    #: when: a quarter ("2025-T2") or an ISO date
    due: Mapped[str | None] = mapped_column(String(10), nullable=True)
    #: seed 000: how (activities), how much (money, people, alliances), indicator of done
    how: Mapped[str] = mapped_column(Text, nullable=False, default="")
    money: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    people: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    alliances: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    indicator: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    #: pendiente, en_curso, cumplido, en_riesgo, cancelado
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pendiente")
    progress: Mapped[int] = mapped_column(nullable=False, default=0)
    #: the plenary's approval was annulled: kept (with its history) but not followed
    annulled: Mapped[bool] = mapped_column(nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )

    group = relationship("Group")
    updates: Mapped[list["CommitmentUpdate"]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="CommitmentUpdate.id",
    )

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.status} {self.progress}%>"


class FollowupLink(db.Model):
    """The private update link of one responsible (by name) in one assembly: no account,
    the token is the key. Printed as a QR on the commitments sheet."""

    __tablename__ = "followup_links"
    __table_args__ = (UniqueConstraint("assembly_id", "who_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the responsible's name folded (case, spaces) so "UNAD" and " unad " share a link
    who_key: Mapped[str] = mapped_column(String(300), nullable=False)
    who: Mapped[str] = mapped_column(String(300), nullable=False)
    token: Mapped[str] = mapped_column(String(43), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<FollowupLink {self.assembly_id} {self.who_key}>"


class CommitmentUpdate(db.Model):
    """A progress report (by the responsible's link) or a staff correction, kept forever."""

    __tablename__ = "commitment_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: responsable (through the link) or equipo (staff)
    source: Mapped[str] = mapped_column(String(12), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)
    progress: Mapped[int] = mapped_column(nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: re-encoded JPEG without metadata (see followup.photos)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    #: pendiente (a responsible's report awaiting staff), confirmado, corregido
    review: Mapped[str] = mapped_column(String(12), nullable=False, default="pendiente")
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")

    def __repr__(self) -> str:
        return f"<CommitmentUpdate {self.commitment_id} {self.status} {self.progress}%>"


class FollowupSettings(db.Model):
    """An assembly's follow-up options: whether its accountability page is public (opt-in)."""

    __tablename__ = "followup_settings"

    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True
    )
    public: Mapped[bool] = mapped_column(nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<FollowupSettings {self.assembly_id} public={self.public}>"


class Survey(db.Model):
    """An assembly's satisfaction survey (seed 004): its questions and the window it is open.
    Opened by the moderator at the end of Moment 5; it stays open after the assembly closes
    until ``closes_at``."""

    __tablename__ = "surveys"

    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True
    )
    #: [{"key", "kind": scale | yesno | text, "label"}] (see followup.survey_domain)
    questions: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: hours it stays open once opened
    window_hours: Mapped[int] = mapped_column(nullable=False, default=48)
    #: None until the moderator opens it
    opened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: answers are refused from this moment (set on opening; closing early moves it to now)
    closes_at: Mapped[datetime | None] = mapped_column(nullable=True)
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<Survey {self.assembly_id} opened={self.opened_at} closes={self.closes_at}>"


class SurveyAnswer(db.Model):
    """One ticket's answer to the survey: one per ticket, never edited."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("assembly_id", "attendee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.assembly_id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the ticket that answered (kept empty if the person is deleted; the answer stays)
    attendee_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendees.id", ondelete="SET NULL"), nullable=True
    )
    #: the mesa the person sat at when answering (results by mesa)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: question key -> 1..5, true/false or a text
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    def __repr__(self) -> str:
        return f"<SurveyAnswer {self.assembly_id} attendee={self.attendee_id}>"


class LessonArea(db.Model):
    """The configurable area → code table of the lessons-learned cards (seed 003:
    "Inclusión económica y social" → ISE). Shared by every assembly."""

    __tablename__ = "lesson_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    #: 2–6 capitals or digits; the cards are coded "LA<number>_<code>"
    code: Mapped[str] = mapped_column(String(6), nullable=False, unique=True)

    def __repr__(self) -> str:
        return f"<LessonArea {self.code} {self.name}>"


class LessonCard(db.Model):
    """A lessons-learned card in seed 003's format, linked to an assembly and optionally to a
    mesa and commitments."""

    __tablename__ = "lesson_cards"
    __table_args__ = (UniqueConstraint("area_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    area_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_areas.id", ondelete="RESTRICT"), nullable=False
    )
    #: numbered per area across assemblies: the 2 of "LA2_ISE"
    number: Mapped[int] = mapped_column(nullable=False)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True
    )
    #: positiva or negativa
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    #: the seed's texts (followup.lessons_domain.TEXT_FIELDS), key -> text
    texts: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: Global Compact for Migration: principle letters ["a", "j"] and objective numbers
    gcm_principles: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    gcm_objectives: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: SDG numbers
    sdgs: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: ids of the assembly's commitments the lesson speaks of
    commitment_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    area: Mapped[LessonArea] = relationship()
    group = relationship("Group")

    @property
    def code(self) -> str:
        return lessons_domain.code(self.number, self.area.code)

    def __repr__(self) -> str:
        return f"<LessonCard {self.id} area={self.area_id} n={self.number}>"
