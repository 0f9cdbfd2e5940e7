"""The demo's simulated room: while ``serve --demo`` runs, its tables keep writing.

Every few seconds one table of the demo assembly writes the piece the running step asks
for (needs, solutions or plans), through the same service and broadcast as a phone, so the
board, the facilitator view and the console move on their own.  Nothing is written while
no piece step runs, or once the assembly is closed; it never touches another assembly.
"""

from __future__ import annotations

import logging
import random
import uuid

from flask import Flask
from sqlalchemy import select

from assembly.assemblies import periods
from assembly.assemblies.models import Assembly
from assembly.assemblies.realtime import broadcasting
from assembly.demo import texts
from assembly.errors import AssemblyError
from assembly.extensions import db, socketio
from assembly.grouping.models import Group, Table
from assembly.puzzle import broadcasts
from assembly.puzzle import services as puzzle
from assembly.puzzle.models import Piece

log = logging.getLogger(__name__)

#: the seeded assembly's name starts so; only that assembly is written to
DEMO_NAME = "Asamblea Regional de Economía Solidaria, Popular y Comunitaria — PIT Arauca"


def start(app: Flask, seconds: float) -> None:
    """Run the simulated room in the background (a greenlet under gunicorn's gevent)."""
    socketio.start_background_task(run, app, seconds)


def run(app: Flask, seconds: float, rounds: int | None = None) -> int:
    """Write one piece every ~``seconds``; ``rounds`` bounds the loop (tests). Returns how
    many pieces were written."""
    rng = random.Random()
    written = 0
    done = 0
    while rounds is None or done < rounds:
        socketio.sleep(seconds * rng.uniform(0.5, 1.5) if rounds is None else 0)
        done += 1
        with app.app_context():
            try:
                written += write_one(rng)
            except AssemblyError as error:  # the clock moved on, the day closed: next round
                log.info("simulated room: %s", error.message)
            except Exception:  # never let the demo's room stop the server
                log.exception("simulated room")
            finally:
                db.session.remove()
    return written


def write_one(rng: random.Random) -> int:
    """One piece for the demo assembly's running step; 1 if written, 0 if nothing to do."""
    assembly = db.session.scalar(
        select(Assembly).where(Assembly.name == DEMO_NAME, Assembly.status == "open").limit(1)
    )
    if assembly is None:
        return 0
    open_kinds = puzzle.open_piece_kinds(assembly.id)
    if not open_kinds:
        return 0
    tables = db.session.scalars(
        select(Table)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly.id)
    ).all()
    pieces = db.session.scalars(
        select(Piece).where(Piece.table_id.in_([t.id for t in tables]), Piece.hidden.is_(False))
    ).all()
    by_table: dict[int, list[texts.Written]] = {t.id: [] for t in tables}
    for piece in pieces:
        by_table[piece.table_id].append(texts.Written(piece.id, piece.kind, piece.parent_id))
    chosen = texts.next_piece(by_table, open_kinds, rng)
    if chosen is None:
        return 0
    table = next(t for t in tables if t.id == chosen.table_id)
    quarters = [q.value for q in periods.offered(assembly)]
    raw = {
        "id": str(uuid.uuid4()),
        "kind": chosen.kind,
        "parent_id": chosen.parent_id,
        "text": chosen.text,
        "who": chosen.who,
        "due": rng.choice(quarters) if chosen.kind == "plan" and quarters else "",
    }
    with broadcasting() as out:
        identity = {"kind": "table_code", **puzzle.identity_for_code(table.join_code)}
        piece, changed = puzzle.submit_piece(identity, raw)
        if changed:
            out.add(broadcasts.piece_saved(piece))
    return 1
