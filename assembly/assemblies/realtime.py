"""Emit after commit, with revisions: the ONE way a write reaches the screens (contract 3).

A handler or route runs its write inside :func:`broadcasting`; the block calls services (which
flush, never commit, never emit) and adds the :class:`Broadcast` objects built by the
package's ``broadcasts.py`` while the data is still in the transaction::

    with broadcasting() as out:
        piece, changed = services.submit_piece(identity, data)
        if changed:
            out.add(broadcasts.piece_saved(piece))
    return {"piece": ...}

On leaving the block the helper flushes, bumps ``assemblies.revision`` once per assembly
touched and each room's counter (``room_sequences``) once per message, in the same
transaction, commits, and only then emits — no transaction is open across an emit, and no
handler ends the read by hand. Every message carries ``rev`` (the assembly's revision after
the change), ``room`` and ``seq`` (that room's counter): a client that sees a gap in ``seq``
for a room asks for a fresh snapshot. Join and snapshot replies come from :func:`join`, which
adds ``rev`` and the ``seq`` of every room joined.

A signal receiver in a higher package that must tell its screens about a change made by a
lower one calls :func:`queue` (it joins the outbox of the write in progress).
"""

from __future__ import annotations

import functools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import get_locale
from flask_socketio import join_room, leave_room
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from assembly.assemblies.models import Assembly, RoomSequence
from assembly.core import batches, shared_reads
from assembly.extensions import db, socketio

log = logging.getLogger(__name__)

_OUTBOX_KEY = "assembly.outbox"


@dataclass(frozen=True)
class Broadcast:
    """One message to the screens: ``event`` with ``payload`` to each of ``rooms``; the
    change belongs to ``assembly_id`` (whose revision it bumps)."""

    event: str
    payload: dict
    rooms: tuple[str, ...]
    assembly_id: int
    #: (room, payload) pairs: what those rooms get instead of ``payload`` (less: the public
    #: board's room never receives a hidden piece's text)
    redacted: tuple[tuple[str, dict], ...] = ()

    def payload_for(self, room: str) -> dict:
        return dict(self.redacted).get(room, self.payload)


def broadcast(
    event: str,
    payload: dict,
    *,
    rooms: Iterable[str],
    assembly_id: int,
    redacted: dict[str, dict] | None = None,
) -> Broadcast:
    """A Broadcast to ``rooms`` (duplicates dropped, order kept); ``redacted`` gives some of
    those rooms a smaller payload."""
    return Broadcast(
        event,
        dict(payload),
        tuple(dict.fromkeys(rooms)),
        int(assembly_id),
        tuple((room, dict(p)) for room, p in (redacted or {}).items()),
    )


@dataclass
class Outbox:
    """What the write in progress will tell the screens once it is committed."""

    items: list[Broadcast] = field(default_factory=list)
    #: assemblies whose revision grows although no message goes out now (the desk's
    #: counters, for one, are sent a moment later by a debounced broadcast)
    touched: set[int] = field(default_factory=set)

    def add(self, *broadcasts: Broadcast | None) -> None:
        self.items.extend(b for b in broadcasts if b is not None)

    def touch(self, assembly_id: int) -> None:
        self.touched.add(int(assembly_id))


def current_outbox() -> Outbox | None:
    return db.session.info.get(_OUTBOX_KEY)


def queue(*broadcasts: Broadcast | None) -> None:
    """Add to the outbox of the write in progress (for signal receivers). Outside a
    :func:`broadcasting` block this is a programming error."""
    outbox = current_outbox()
    if outbox is None:
        raise RuntimeError("queue() needs a write running inside broadcasting()")
    outbox.add(*broadcasts)


@contextmanager
def broadcasting() -> Iterator[Outbox]:
    """Run a write: the block adds Broadcasts; on success: flush, bump revisions and room
    counters, commit, then emit. On any error: roll back, emit nothing, re-raise."""
    if current_outbox() is not None:
        raise RuntimeError("broadcasting() blocks do not nest")
    outbox = Outbox()
    db.session.info[_OUTBOX_KEY] = outbox
    try:
        yield outbox
        db.session.flush()
        messages = _stamp(outbox)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.info.pop(_OUTBOX_KEY, None)
    _send(messages)


def _send(messages: list[tuple[str, dict, str]]) -> None:
    app = current_app._get_current_object()
    batches.send(app, messages, int(app.config.get("BROADCAST_BATCH_MS", 0)))


_ASSEMBLIES = Assembly.__table__
#: built once with a bound id: every write runs it (building it again, and its cache key,
#: cost more than running it)
_BUMP_REVISION = (
    update(_ASSEMBLIES)
    .where(_ASSEMBLIES.c.id == bindparam("assembly_id"))
    .values(revision=_ASSEMBLIES.c.revision + 1)
    .returning(_ASSEMBLIES.c.revision)
)


def _bump_revision(assembly_id: int) -> int | None:
    revision = db.session.execute(_BUMP_REVISION, {"assembly_id": assembly_id}).scalar_one_or_none()
    loaded = db.session.identity_map.get(db.session.identity_key(Assembly, assembly_id))
    if loaded is not None and revision is not None:
        set_committed_value(loaded, "revision", revision)
    return revision


#: rooms bumped per statement (a split tells every mesa and sub-mesa: 2,500 at 50,000 people)
_BUMP_CHUNK = 500


@functools.cache
def _bump_statement(dialect: str):
    """The counters' upsert, built once per dialect: executed with one parameter set per room,
    SQLAlchemy sends it as multi-row statements ("insertmanyvalues", in the given order, so the
    rows lock in that order) and its compiled form is cached, whatever the number of rooms."""
    table = RoomSequence.__table__
    insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c.room], set_={"seq": table.c.seq + insert.excluded.seq}
    ).returning(table.c.room, table.c.seq)


def _bump_rooms(rows: list[tuple[str, int, int]]) -> dict[str, int]:
    """Add ``count`` to each ``(room, assembly id, count)``'s counter (a new room starts at
    ``count``), in the given (sorted) order; ``{room: new seq}``."""
    if not rows:
        return {}
    statement = _bump_statement(db.session.get_bind().dialect.name)
    params = [{"room": room, "assembly_id": owner, "seq": count} for room, owner, count in rows]
    options = {"insertmanyvalues_page_size": _BUMP_CHUNK}
    return {
        room: seq for room, seq in db.session.execute(statement, params, execution_options=options)
    }


def _stamp(outbox: Outbox) -> list[tuple[str, dict, str]]:
    """Bump the counters (assemblies first, then rooms, each in sorted order so that two
    writers always lock rows in the same order) and stamp every message."""
    revisions = {
        assembly_id: _bump_revision(assembly_id)
        for assembly_id in sorted({b.assembly_id for b in outbox.items} | outbox.touched)
    }
    per_room = Counter(room for b in outbox.items for room in b.rooms)
    owner = {room: b.assembly_id for b in outbox.items for room in b.rooms}
    # the assembly is gone (deleted in this write): nobody to tell
    live = [room for room in sorted(per_room) if revisions.get(owner[room]) is not None]
    bumped = _bump_rooms([(room, owner[room], per_room[room]) for room in live])
    next_seq = {room: bumped[room] - per_room[room] + 1 for room in live}
    messages = []
    for item in outbox.items:
        revision = revisions.get(item.assembly_id)
        if revision is None:
            continue
        for room in item.rooms:
            seq = next_seq[room]
            next_seq[room] = seq + 1
            payload = item.payload_for(room)
            messages.append(
                (item.event, {**payload, "rev": revision, "room": room, "seq": seq}, room)
            )
    return messages


def marks(assembly_id: int, rooms: Iterable[str]) -> dict:
    """``{"rev": n, "seq": {room: n}}`` as stored now (in the caller's read)."""
    return _marks(assembly_id, list(rooms))[0]


def _marks(assembly_id: int, rooms: list[str]) -> tuple[dict, str | None]:
    """:func:`marks`, and the assembly's board token: random per assembly, it tells an
    assembly from a later one that got the same id after a deletion."""
    found = db.session.execute(
        select(Assembly.revision, Assembly.board_token).where(Assembly.id == assembly_id)
    ).first()
    revision, token = found if found is not None else (0, None)
    stored = dict(
        db.session.execute(
            select(RoomSequence.room, RoomSequence.seq).where(RoomSequence.room.in_(rooms))
        ).all()
    )
    return {"rev": revision or 0, "seq": {room: stored.get(room, 0) for room in rooms}}, token


def join(
    assembly_id: int,
    rooms: Iterable[str],
    snapshot: Callable[[], dict],
    *,
    shared: str | None = None,
) -> dict:
    """Subscribe this socket to ``rooms`` and answer with a fresh snapshot:
    ``{"state": snapshot(), "rev": n, "seq": {room: n}}``.

    The rooms are joined BEFORE the snapshot is read, so no message committed after the read
    is missed (one committed before it may arrive too: its ``seq`` is not above the reply's
    and the client drops it), and the reply's ``seq`` are those the state was read at (see
    :func:`_read_at_marks`). The read ends before the reply goes out.

    ``shared`` names a snapshot that is the same for every screen of the assembly (the
    public board's): it is read once per revision in this process (see :func:`_shared_join`)."""
    rooms = list(dict.fromkeys(rooms))
    for room in rooms:
        join_room(room)
    try:
        if shared is not None:
            return _shared_join((shared, assembly_id, str(get_locale())), rooms, snapshot)
        state, at = _read_at_marks(assembly_id, rooms, snapshot)
        return {"state": state, **at[0]}
    except BaseException:
        for room in rooms:
            leave_room(room)
        raise
    finally:
        db.session.rollback()  # end the read before the socket does any I/O


#: reads of a snapshot while messages to its rooms keep being committed under it
SNAPSHOT_TRIES = 3


def _read_at_marks(
    assembly_id: int, rooms: list[str], snapshot: Callable[[], dict], before: tuple | None = None
) -> tuple[dict, tuple]:
    """``(snapshot(), the marks it was read at)``: the state is read between two reads of the
    rooms' counters, again until no message to those rooms was committed in between.

    Each statement sees the latest commit (PostgreSQL's READ COMMITTED; SQLite outside a
    write), so a change committed after the state's read but before the counters' was missing
    from the state while the reply's ``seq`` already counted its message: the client dropped
    that message as old and the screen showed the change only with the next one (a second
    projector joining while the moderator gave the floor). Objects the handler loaded before
    are read again (expired), or the state could be older than the first counters. After
    ``SNAPSHOT_TRIES`` the first counters go with the state, which is at least that new: a
    message may then be applied again, never lost."""
    before = before or _marks(assembly_id, rooms)
    for _attempt in range(SNAPSHOT_TRIES):
        db.session.expire_all()
        state = snapshot()
        after = _marks(assembly_id, rooms)
        if after[0]["seq"] == before[0]["seq"]:
            return state, after
        previous, before = before, after
    return state, previous


#: how long a shared snapshot may serve joins while the revision stays the same (a change
#: made without a broadcast, an assembly renamed on its form, shows within this time)
SHARED_SECONDS = 2.0


@dataclass
class _SharedSnapshots:
    """This app's shared snapshots (one app per process; each test's app its own)."""

    #: (name, assembly id, locale) -> (the marks it was read at, the state, when)
    stored: dict[tuple, tuple[tuple, dict, float]] = field(default_factory=dict)


def _snapshots() -> _SharedSnapshots:
    return current_app.extensions.setdefault("assembly.shared_snapshots", _SharedSnapshots())


def _shared_join(key: tuple, rooms: list[str], snapshot: Callable[[], dict]) -> dict:
    """A storm of screens joining (500 boards after a restart) reads the database once per
    revision: while the assembly's revision and the rooms' counters are those a stored
    snapshot was read at, the join reads just those marks and answers with it.  And the joins
    waiting meanwhile share one read of those marks (:func:`shared_reads.read_once`, a read
    started after they joined their rooms): one connection per assembly and language at a
    time, the others wait holding none, so the storm never empties the pool."""
    db.session.rollback()  # what the handler read so far (its account): wait holding nothing
    state, marks = shared_reads.read_once(
        ("join", *key, tuple(rooms)), lambda: _shared_read(key, rooms, snapshot)
    )
    return {"state": state, **marks}


def _shared_read(key: tuple, rooms: list[str], snapshot: Callable[[], dict]) -> tuple:
    """(the state, its marks) for every join waiting on ``key``: the stored snapshot while it
    is valid at the marks read now, else a fresh read (stored when nothing changed under it).
    The read ends before the waiting joins are answered."""
    assembly_id, shared = key[1], _snapshots()
    try:
        now = _marks(assembly_id, rooms)
        stored = shared.stored.get(key)
        if stored and stored[0] == now and time.monotonic() - stored[2] < SHARED_SECONDS:
            return stored[1], now[0]
        state, at = _read_at_marks(assembly_id, rooms, snapshot, now)
        if at == now:  # nothing was committed while it was read: valid at these marks
            shared.stored[key] = (at, state, time.monotonic())
        return state, at[0]
    finally:
        db.session.rollback()


def broadcast_resync(assembly_id: int | None = None) -> None:
    """Tell every screen (of one assembly, or all) to fetch fresh snapshots: after a message
    queue outage, messages may have been lost without any gap showing."""
    payload = {} if assembly_id is None else {"assembly_id": assembly_id}
    socketio.emit("resync", payload)
