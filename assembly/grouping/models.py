from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.extensions import db


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
    __table_args__ = (UniqueConstraint("group_id", "number"),)

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
