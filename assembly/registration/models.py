from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.extensions import db
from assembly.registration import name_index
from assembly.registration.domain import missing_fields


class Attendee(db.Model):
    """The unified registration record of one person at one assembly (methodology.md, Registro)."""

    __tablename__ = "attendees"
    __table_args__ = (
        UniqueConstraint("assembly_id", "document_number"),
        Index("ix_attendees_assembly_name_key", "assembly_id", "name_key"),
        # The desk's live counters: one count grouped by (mesa, desk) read from this index
        # alone, already in order (desk.services.counters).
        Index(
            "ix_attendees_counters",
            "assembly_id",
            "group_id",
            "checked_in_desk",
            "checked_in_at",
            "checked_out_at",
        ),
        # A room in id order, a chunk at a time (the background split's reads), without a sort.
        Index("ix_attendees_assembly_order", "assembly_id", "id"),
        # Arrivals of the last two hours and the latest check-ins, without a scan.
        Index("ix_attendees_checked_in", "assembly_id", "checked_in_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False
    )
    #: random, unguessable; the QR ticket encodes /t/<ticket_token>, never the document
    ticket_token: Mapped[str] = mapped_column(String(43), nullable=False, unique=True)

    document_type: Mapped[str] = mapped_column(String(6), nullable=False)
    #: digits and letters only (dots and spaces removed)
    document_number: Mapped[str] = mapped_column(String(20), nullable=False)
    first_names: Mapped[str] = mapped_column(String(120), nullable=False)
    last_names: Mapped[str] = mapped_column(String(120), nullable=False)
    #: "first last" without accents, lower-case: what the desk search matches
    name_key: Mapped[str] = mapped_column(String(250), nullable=False)
    birth_date: Mapped[date | None] = mapped_column(nullable=True)
    age_range: Mapped[str | None] = mapped_column(String(10), nullable=True)
    #: None = sin dato (an imported person the desk has not completed yet)
    sex: Mapped[str | None] = mapped_column(String(30), nullable=True)
    gender_identity: Mapped[str | None] = mapped_column(String(30), nullable=True)
    sexual_orientation: Mapped[str | None] = mapped_column(String(30), nullable=True)
    #: None = sin dato (an imported person the desk has not completed yet)
    ethnicity: Mapped[str | None] = mapped_column(String(30), nullable=True)
    #: yes/no questions are tri-state: True, False, None = sin dato (not answered, never "no")
    has_disability: Mapped[bool | None] = mapped_column(nullable=True)
    disability_kind: Mapped[str | None] = mapped_column(String(30), nullable=True)
    is_victim: Mapped[bool | None] = mapped_column(nullable=True)
    is_migrant: Mapped[bool | None] = mapped_column(nullable=True)
    #: rural or urbana
    zone: Mapped[str | None] = mapped_column(String(10), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    department_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    municipality_code: Mapped[str | None] = mapped_column(String(5), nullable=True)
    organization_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: normalised organisation name: how the split spreads organisations
    organization_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    organization_kind: Mapped[str | None] = mapped_column(String(30), nullable=True)
    organization_role: Mapped[str | None] = mapped_column(String(120), nullable=True)
    line_of_work: Mapped[str | None] = mapped_column(String(60), nullable=True)
    knows_pit: Mapped[bool | None] = mapped_column(nullable=True)
    took_part_before: Mapped[bool | None] = mapped_column(nullable=True)
    preferred_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True
    )
    #: habeas data (Ley 1581 de 2012): required to register
    consent_data: Mapped[bool] = mapped_column(nullable=False)
    #: Ley 1581: when, through which channel (form, desk, import) and under which version of
    #: the consent text the authorisation was given
    consent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    consent_channel: Mapped[str | None] = mapped_column(String(12), nullable=True)
    consent_version: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: set when the person's data was erased (Ley 1581): only the aggregates remain
    erased_at: Mapped[datetime | None] = mapped_column(nullable=True)
    consent_photos: Mapped[bool] = mapped_column(nullable=False, default=False)
    #: answers to the assembly's extra questions, {str(question id): value}
    extra_answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: preregistro, mesa (walk-in at the desk) or importado
    source: Mapped[str] = mapped_column(String(12), nullable=False, default="mesa")
    #: the import that brought the person in (it can be undone as a whole)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)

    checked_in_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: name of the desk that checked the person in ("Mesa 2")
    checked_in_desk: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: the desk's UUID of the scan that checked the person in: a resend of that scan (its
    #: answer was lost, or it waited in an offline desk's queue) answers as it did, once
    checked_in_scan: Mapped[str | None] = mapped_column(String(36), nullable=True)
    #: set when the desk marks the person's "salida" (no longer counted as present)
    checked_out_at: Mapped[datetime | None] = mapped_column(nullable=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), nullable=True, index=True
    )
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("tables.id", ondelete="SET NULL"), nullable=True, index=True
    )

    preferred_theme = relationship("Theme")
    group = relationship("Group", foreign_keys=[group_id])
    table = relationship("Table", foreign_keys=[table_id])

    @property
    def missing_fields(self) -> list[str]:
        """The form's required fields still empty: an "incompleto" imported person."""
        return missing_fields(self)

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_names}"

    def __repr__(self) -> str:
        return f"<Attendee {self.id} {self.full_name!r}>"


@event.listens_for(db.metadata, "after_create")
def _install_name_index(_metadata, connection, tables=(), **_kwargs) -> None:
    """``create_all`` gets the name index the migration installs (name_index.py)."""
    if any(table.name == Attendee.__tablename__ for table in tables):
        name_index.install(connection)


class ImportBatch(db.Model):
    """One confirmed import of a list: who, when, which file, how many people it brought.
    Undone as a whole (its people removed) while nobody from it has checked in."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the staff account that confirmed it (kept as a name if the account goes)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    #: importing (the background job is storing it), done, failed or undone
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="importing")
    #: people it registered
    created: Mapped[int] = mapped_column(nullable=False, default=0)
    #: "incompleto" people already registered whose empty fields it filled
    filled: Mapped[int] = mapped_column(nullable=False, default=0)
    #: Ley 1581: the consent of its people was given upstream ("todos autorizaron", no consent
    #: column): stated by the account that confirmed it (``user_id``), per the source
    #: document (``filename``)
    consent_collective: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    undone_at: Mapped[datetime | None] = mapped_column(nullable=True)

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.filename!r} {self.status}>"


class ImportFill(db.Model):
    """One empty field of an already registered "incompleto" person that an import filled:
    undoing the import empties it again, unless it was changed since (a correction stays)."""

    __tablename__ = "import_fills"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False, index=True
    )
    attendee_id: Mapped[int] = mapped_column(
        ForeignKey("attendees.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the attendee column ("sex", "municipality_code"...) or "extra:<question id>"
    field: Mapped[str] = mapped_column(String(60), nullable=False)
    #: what the field held before (JSON; None = empty, a date as ISO text)
    previous: Mapped[object | None] = mapped_column(JSON, nullable=True)
    #: what the import wrote, compared at undo time
    value: Mapped[object | None] = mapped_column(JSON, nullable=True)

    def __repr__(self) -> str:
        return f"<ImportFill batch {self.batch_id} attendee {self.attendee_id} {self.field}>"


class ImportProfile(db.Model):
    """The column and value mappings chosen for a list, remembered per assembly by the
    file's header signature and offered again for the next file with the same headers."""

    __tablename__ = "import_profiles"
    __table_args__ = (UniqueConstraint("assembly_id", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False
    )
    #: sha256 of the normalised headers, in order
    signature: Mapped[str] = mapped_column(String(64), nullable=False)
    #: {header: field key or None}
    columns: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: {field key: {raw value: canonical value, "" = sin dato}}
    values: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    consent_default: Mapped[bool] = mapped_column(nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )


class Erasure(db.Model):
    """The record of one erasure of a person's data (Ley 1581): who, when, why; never what."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    attendee_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendees.id", ondelete="SET NULL"), nullable=True
    )
    #: the staff account that erased (its username, kept if the account goes)
    actor: Mapped[str] = mapped_column(String(60), nullable=False)
    #: admin (by request, at the desk or by mail), withdrawal (the person withdrew consent)
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    erased_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
