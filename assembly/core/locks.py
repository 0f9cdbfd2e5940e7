"""The one lock order of every write that seats, moves or unseats people (PostgreSQL; SQLite
serialises writers and ignores these locks).

A seat lives in three places that two writers may both need: the person's row
(``attendees``), the sub-mesa's row (``tables``) and the sub-mesa's tally rows
(``table_tallies``, written by the triggers of :mod:`assembly.grouping.tally_sql` inside
the person's UPDATE or DELETE).  Every such write takes them in this order:

1. **the people it changes**, lowest id first (:func:`hold_people`);
2. **the sub-mesas they leave or join** (and those it updates or removes), lowest id first
   (:func:`hold_tables`), before writing any person: so a tally row is only ever written
   by the one transaction holding its sub-mesa;
3. the tally rows, never by hand: the triggers write them, under the sub-mesa's lock.

A write that finds it locked the wrong sub-mesa (a late arrival whose chosen table was just
filled by another desk) lets it go before taking another (:func:`attempt`): a lock held out
of order is a deadlock waiting for the next move.

The writes that follow it: a move and a swap (``grouping.services.changes``), the late
arrival's seating and its fallback (``grouping.services.late``), the split's bulk UPDATE
(``grouping.services.split``), an import's undo (``registration.imports.batches``).  The
helpers name the tables, not the models, so that every package can follow the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import select

from assembly.extensions import db

#: ids locked per statement (a split of 50,000 people locks them in a few dozen statements)
CHUNK = 1000


def _hold(table_name: str, ids: Iterable[int | None], *, delete: bool) -> list[int]:
    wanted = sorted({int(i) for i in ids if i is not None})
    if db.session.get_bind().dialect.name != "postgresql":
        return wanted  # SQLite: the write lock is the whole database's, taken by the writer
    table = db.metadata.tables[table_name]
    held: list[int] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        held += db.session.scalars(
            select(table.c.id)
            .where(table.c.id.in_(chunk))
            .order_by(table.c.id)
            # FOR NO KEY UPDATE, the lock an UPDATE of the row takes: foreign keys to the row
            # (a piece, a seat) are still checked meanwhile; FOR UPDATE for rows to delete
            .with_for_update(key_share=not delete)
        ).all()
    return held


def hold_people(ids: Iterable[int | None], *, delete: bool = False) -> list[int]:
    """Step 1: lock the people (``attendees`` rows) a write changes, lowest id first
    (``delete=True`` for rows it deletes).  Their ids that still exist, ascending (on
    SQLite, which takes no row locks, the ids asked, without a statement)."""
    return _hold("attendees", ids, delete=delete)


def hold_tables(ids: Iterable[int | None], *, delete: bool = False) -> list[int]:
    """Step 2: lock the sub-mesas (``tables`` rows) a write seats people at, takes them
    from, updates or (``delete=True``) removes, lowest id first, after its people and before
    writing any of them.  Their ids that still exist, ascending (as :func:`hold_people`)."""
    return _hold("tables", ids, delete=delete)


@contextmanager
def attempt() -> Iterator[None]:
    """A try whose locks can be let go: on PostgreSQL a SAVEPOINT, rolled back (its row
    locks released with it) when the block raises :class:`LetGo`, released otherwise.
    Nothing else may be written inside.  SQLite takes no row locks: a plain block."""
    if db.session.get_bind().dialect.name != "postgresql":
        with suppress(LetGo):
            yield
        return
    savepoint = db.session.begin_nested()
    try:
        yield
    except LetGo:
        savepoint.rollback()
        return
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()


class LetGo(Exception):
    """Raised inside :func:`attempt` to roll its locks back."""
