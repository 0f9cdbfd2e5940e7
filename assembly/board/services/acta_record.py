"""What the acta records beyond the agenda: attendance at the opening, the plenary's
amendments, and the redacted versions an erasure makes (Ley 1581)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, or_, select

from assembly.agenda import services as agenda
from assembly.assemblies.models import Assembly
from assembly.auth.models import User
from assembly.board import domain
from assembly.board.models import Acta
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.helpers import venue_time
from assembly.puzzle.models import Piece, PieceVersion
from assembly.registration.models import Attendee


def opening_time(assembly_id: int) -> datetime | None:
    """When the agenda clock first started (naive UTC), or None if it never ran."""
    snapshot = agenda.clock_snapshot(assembly_id)
    history = snapshot.get("history") or []
    first = history[0]["actual_start"] if history else snapshot.get("started_at")
    if first is None:
        return None
    return datetime.fromtimestamp(first, UTC).replace(tzinfo=None)


def present_at(assembly_id: int, moment: datetime) -> int:
    """People checked in by ``moment`` and not checked out before it (a «salida» later
    undone by a return counts from the return: the desk keeps one arrival and one exit)."""
    return (
        db.session.scalar(
            select(func.count(Attendee.id)).where(
                Attendee.assembly_id == assembly_id,
                Attendee.checked_in_at.is_not(None),
                Attendee.checked_in_at <= moment,
                or_(Attendee.checked_out_at.is_(None), Attendee.checked_out_at > moment),
            )
        )
        or 0
    )


def opening_attendance(assembly: Assembly) -> dict | None:
    """{"present", "at", "at_local"} when the agenda started, or None if it never did."""
    moment = opening_time(assembly.id)
    if moment is None:
        return None
    return {
        "present": present_at(assembly.id, moment),
        "at": moment.isoformat(timespec="seconds"),
        "at_local": venue_time(moment, assembly, "%H:%M"),
    }


def amendments(assembly: Assembly) -> list[dict]:
    """Every plenary amendment, oldest first: the piece's text before and after, who, when,
    why (its ``PieceVersion`` rows marked ``amendment``)."""
    rows = db.session.execute(
        select(PieceVersion, Piece, Table.number, Group.number)
        .join(Piece, PieceVersion.piece_id == Piece.id)
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly.id)
        .order_by(PieceVersion.piece_id, PieceVersion.version)
    ).all()
    by_piece: dict[str, list[PieceVersion]] = {}
    for version, *_rest in rows:
        by_piece.setdefault(version.piece_id, []).append(version)
    found = []
    for version, piece, table_number, group_number in rows:
        if not version.amendment:
            continue
        later = [v for v in by_piece[piece.id] if v.version > version.version]
        after = later[0] if later else piece
        actor = db.session.get(User, version.changed_by_id) if version.changed_by_id else None
        found.append(
            {
                "mesa": group_number,
                "table": table_number,
                # the code: the acta names it in the reader's language (an acta stored
                # before kept the Spanish label, which the catalog translates too)
                "kind": piece.kind,
                "before": {"text": version.text, "who": version.who, "due": version.due},
                "after": {"text": after.text, "who": after.who, "due": after.due},
                "reason": version.reason,
                "by": actor.display_name if actor else "",
                "at": version.saved_at.isoformat(timespec="seconds"),
                "at_local": venue_time(version.saved_at, assembly, "%H:%M"),
            }
        )
    found.sort(key=lambda row: row["at"])
    return found


# --- erasure: a redacted version -----------------------------------------------------------

#: the write in progress keeps the redacted acta it made, so a retention run that erases a
#: whole room makes one new version, not one per person
_REDACTING = "board.redacting_acta"


def redact_for_erasure(assembly_id: int, names: list[str]) -> Acta | None:
    """A person is being erased: if the latest acta mentions them outside a public role
    (spokespersons and commitment responsibles stay, as the consent text says), store a new
    version with those mentions suppressed.  The stored versions are never edited (a version
    made earlier in this same write is the one being built, and takes the next name)."""
    latest = db.session.scalar(
        select(Acta)
        .where(Acta.assembly_id == assembly_id)
        .order_by(Acta.version.desc(), Acta.id.desc())
        .limit(1)
    )
    if latest is None:
        return None
    snapshot, count = domain.redact(latest.snapshot, names)
    if not count:
        return None
    pending = db.session.info.setdefault(_REDACTING, {})
    transaction = db.session().get_transaction()
    if (
        pending.get(assembly_id, (None, None))[0] is transaction
        and pending[assembly_id][1] is latest
    ):
        snapshot["redactions"] = snapshot.get("redactions", 0) + count
        latest.snapshot = snapshot  # not stored yet: this write is making it
        db.session.flush()
        return latest
    version = latest.version + 1
    snapshot = {
        **snapshot,
        "version": version,
        "redactions": count,
        "redacted_from": latest.version,
    }
    acta = Acta(assembly_id=assembly_id, snapshot=snapshot, version=version)
    db.session.add(acta)
    db.session.flush()
    pending[assembly_id] = (transaction, acta)
    return acta
