"""The audit log of staff actions on personal data (Ley 1581). ``note`` queues a line on the
transaction in progress; its lines are written in one insert when it commits (nothing when it
rolls back), so a desk write costs no extra round trip. Reads that show many people (a list,
badges, a person's record) commit their line themselves (``record``). Reads that come by the
hundred without a transaction of their own — a table's phones opening its page or joining its
room, which shows the names of its people, when 300 tables start at once — are batched
(``record_batched``): one insert for all the lines of ``AUDIT_BATCH_MS``."""

import threading

from flask import current_app
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from assembly.auth.models import AuditEntry, User
from assembly.core.coalesce import coalesced
from assembly.extensions import db

_QUEUE = "assembly.audit"
#: the app's lines waiting for the next batched insert (``app.extensions``)
_BATCHED = "assembly.audit_batched"
_BATCHED_LOCK = threading.Lock()
PER_PAGE = 50
#: the lines' insert, built once (every desk write adds a line): a Core insert of the table,
#: not the ORM's bulk insert of the entity
_INSERT = insert(AuditEntry.__table__)


def _username(actor: User | str) -> str:
    return (actor if isinstance(actor, str) else actor.username)[:60]


def note(
    actor: User | str,
    action: str,
    *,
    assembly_id: int | None = None,
    subject: str = "",
    people: int = 1,
) -> None:
    """Queue one audit line; written when the transaction commits."""
    line = {
        "username": _username(actor),
        "action": action[:40],
        "assembly_id": assembly_id,
        "subject": str(subject)[:120],
        "people": people,
    }
    db.session.info.setdefault(_QUEUE, []).append(line)


def record(actor: User | str, action: str, **kwargs) -> None:
    """Note a read and commit it at once (a GET has no unit of work of its own)."""
    note(actor, action, **kwargs)
    db.session.commit()


def record_batched(actor: User | str, action: str, **kwargs) -> None:
    """Note a read to be written with the others of the next ``AUDIT_BATCH_MS`` in one insert
    of its own (0: at once). Nothing of the caller's transaction is committed by it later;
    with 0 the caller's read transaction ends here (as ``record``). A crash loses at most the
    lines of that interval."""
    line = {
        "username": _username(actor),
        "action": action[:40],
        "assembly_id": kwargs.get("assembly_id"),
        "subject": str(kwargs.get("subject", ""))[:120],
        "people": kwargs.get("people", 1),
    }
    app = current_app._get_current_object()
    with _BATCHED_LOCK:
        app.extensions.setdefault(_BATCHED, []).append(line)
    coalesced(_BATCHED, _write_batched, current_app.config.get("AUDIT_BATCH_MS", 0))


def _write_batched() -> None:
    with _BATCHED_LOCK:
        lines = current_app.extensions.pop(_BATCHED, [])
    if lines:
        db.session.execute(_INSERT, lines)
        db.session.commit()


@event.listens_for(Session, "before_commit")
def _write_queued(session: Session) -> None:
    lines = session.info.pop(_QUEUE, None)
    if lines:
        session.execute(_INSERT, lines)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_QUEUE, None)


def entries(*, action: str = "", username: str = "", assembly_id: int | None = None):
    """The log, newest first, filtered (a statement: the page paginates it, the CSV streams)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if username:
        query = query.where(AuditEntry.username == username)
    if assembly_id is not None:
        query = query.where(AuditEntry.assembly_id == assembly_id)
    return query


def actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )
