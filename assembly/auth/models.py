from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assembly.auth.domain import Permission, Role, role_can
from assembly.extensions import db


class User(UserMixin, db.Model):
    """A staff account.  Attendees and table leaders never have one."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login name, stored lower-case
    username: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    #: one of auth.domain.Role
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    active: Mapped[bool] = mapped_column(default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: staff scope: every assembly (a national supervisor), else only the granted ones;
    #: admins are always global
    all_assemblies: Mapped[bool] = mapped_column(
        default=False, server_default=false(), nullable=False
    )
    #: bumped by log-out, password change and deactivation: every session signed with an
    #: older number ends (see auth.sessions)
    session_version: Mapped[int] = mapped_column(default=1, server_default="1", nullable=False)
    grants: Mapped[list["AssemblyGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """The session's user reference carries the session version, so bumping it ends
        every session of the account (Flask-Login reloads the user by this string)."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_global(self) -> bool:
        return self.role == Role.ADMIN.value or self.all_assemblies

    @property
    def assembly_ids(self) -> frozenset[int]:
        return frozenset(g.assembly_id for g in self.grants)

    def may_access(self, assembly_id: int | None) -> bool:
        """True when this account works on ``assembly_id`` (granted, global, or admin)."""
        if not self.active:
            return False
        return self.is_global or (assembly_id is not None and assembly_id in self.assembly_ids)

    def can(self, permission: Permission, assembly_id: int | None = None) -> bool:
        """``permission`` by role; with ``assembly_id``, also on that assembly."""
        if not (self.active and role_can(self.role, permission)):
            return False
        return assembly_id is None or self.may_access(assembly_id)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class AssemblyGrant(db.Model):
    """A staff account works on one assembly (its role applies there)."""

    __tablename__ = "assembly_grants"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: the assemblies table belongs to a higher package: named, not imported
    assembly_id: Mapped[int] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    granted_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    user: Mapped[User] = relationship(back_populates="grants")


class AuditEntry(db.Model):
    """One staff action on personal data (Ley 1581): a change (a walk-in, a correction, an
    erasure, an import) or a bulk read (a list, badges, an export, a person's record). Written
    in one insert per transaction (:mod:`assembly.auth.audit`), never edited."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False, index=True)
    #: the staff account's username, kept if the account goes
    username: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    #: attendee.create, attendee.update, attendee.view, attendee.erase, attendees.list, ...
    action: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    assembly_id: Mapped[int | None] = mapped_column(
        ForeignKey("assemblies.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: what it touched: "attendee:12", an export's file name, "" for a list
    subject: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    #: how many people it touched or showed (a list's page, an import's rows)
    people: Mapped[int] = mapped_column(nullable=False, default=0)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} by {self.username}>"
