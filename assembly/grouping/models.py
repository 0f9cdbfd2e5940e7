from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.extensions import db
from assembly.grouping import tally_sql


class Group(db.Model):
    """A mesa: the people working one theme, led by a staff facilitator."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("assembly_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    number: Mapped[int] = mapped_column(nullable=False)
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: the mesa's vocero / vocera for the plenary
    spokesperson_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendees.id", ondelete="SET NULL", use_alter=True), nullable=True
    )

    #: set by the plenary when it approves the mesa's agenda (cleared when the approval is
    #: annulled): the tables' phones and facilitators can no longer change its pieces
    agenda_frozen: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=false()
    )

    theme = relationship("Theme")
    facilitator = relationship("User")
    tables: Mapped[list["Table"]] = relationship(
        back_populates="group", order_by="Table.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Group {self.number} of assembly {self.assembly_id}>"


class Table(db.Model):
    """A sub-mesa of ~20 people with a leader; its join code opens the leaders' phone page."""

    __tablename__ = "tables"
    __table_args__ = (
        UniqueConstraint("group_id", "number"),
        # the late-arrival seating reads the room from this index alone: every table of a
        # mesa with its size, capacity and lock (grouping.services.seating)
        Index("ix_tables_seating", "group_id", "number", "seated", "capacity", "locked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(nullable=False)
    capacity: Mapped[int] = mapped_column(nullable=False, default=20)
    #: short code typed on a phone (unambiguous letters and digits)
    join_code: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendees.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    spokesperson_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendees.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    #: a locked table keeps its people through re-splits and late arrivals
    locked: Mapped[bool] = mapped_column(nullable=False, default=False)
    #: how many people sit here, kept by the triggers on attendees (tally_sql), never written
    #: by the application; a loaded record may be behind: read it with the row's lock
    seated: Mapped[int] = mapped_column(nullable=False, default=0, server_default=text("0"))

    group: Mapped[Group] = relationship(back_populates="tables")

    def __repr__(self) -> str:
        return f"<Table {self.group_id}.{self.number}>"


class RetiredCode(db.Model):
    """A join code a table had before it was rotated: a phone still using it is told "el
    código cambió, pida el nuevo" (it opens nothing), and no table is ever given it again."""

    __tablename__ = "retired_codes"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    table_id: Mapped[int] = mapped_column(
        ForeignKey("tables.id", ondelete="CASCADE"), nullable=False, index=True
    )
    retired_at: Mapped[datetime] = mapped_column(nullable=False)

    def __repr__(self) -> str:
        return f"<RetiredCode {self.code} of table {self.table_id}>"


class TableTally(db.Model):
    """How many people seated at a table share one value of what the late-arrival seating
    balances (see :mod:`assembly.grouping.tally_sql`): kept by triggers on ``attendees`` in
    the writer's transaction, never written by the application."""

    __tablename__ = "table_tallies"

    table_id: Mapped[int] = mapped_column(
        ForeignKey("tables.id", ondelete="CASCADE"), primary_key=True
    )
    #: all (everyone), lead (leader candidates), org, sex, age, muni
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    #: "=" + the value, "" for a missing one (always "" for all and lead)
    value: Mapped[str] = mapped_column(String(201), primary_key=True)
    people: Mapped[int] = mapped_column(nullable=False)

    def __repr__(self) -> str:
        return f"<TableTally {self.table_id} {self.kind}{self.value}: {self.people}>"


@event.listens_for(db.metadata, "after_create")
def _install_tally_triggers(_metadata, connection, tables=(), **_kwargs) -> None:
    """``create_all`` (the tests, ``asamblea init``) gets the triggers the migration installs."""
    if any(table.name == TableTally.__tablename__ for table in tables):
        tally_sql.install(connection)
