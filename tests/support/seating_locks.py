"""A move (one person to another sub-mesa) at the same moment as each of the three writes
that seat or unseat many people, on PostgreSQL (each its own thread and connection):

    python -m tests.support.seating_locks DATABASE_URL   # prints one JSON line

- ``split``: a re-split's bulk UPDATE of the seats (a few people per statement here), held
  open after its first chunk; the move takes a person of the second chunk to a sub-mesa
  the first chunk touched.
- ``undo``: an import's undo, held open after it emptied again a field of the first of two
  seated people it had filled; the move takes the second of them to another sub-mesa.
- ``fallback``: a late arrival's seating whose first choice was taken by another desk an
  instant before (it seats elsewhere), held open before it takes its second sub-mesa; the
  move takes a person from the first choice to the second.

Each time the write is held at that point, the move starts and runs until it finishes or
waits on a lock (read from ``pg_stat_activity``), then the write goes on.  Without one lock
order the two took the same rows in opposite orders and PostgreSQL killed one as a deadlock.
Each scenario says what the write and the move answered, and whether the counts stay true:
the tally the triggers keep equals a recount, no sub-mesa over its capacity.

Built in its own process (a create_app of its own, no queue), schema by ``create_all``.
"""

import json
import re
import secrets
import sys
import threading
import time
from datetime import date

WAIT_LIMIT = 30  # seconds a held write or a waiting move may take (a loaded machine)
_WRITER = "seating-writer"


class Hold:
    """Holds the writer thread just before its ``nth`` statement matching ``pattern`` until
    :meth:`release`; notes the parameters of every match (an executemany's rows)."""

    def __init__(self, pattern: str, nth: int):
        self.pattern, self.nth = re.compile(pattern, re.I | re.S), nth
        self.seen: list = []
        self.reached, self._go = threading.Event(), threading.Event()

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread().name != _WRITER or not self.pattern.search(statement):
            return
        self.seen.append(parameters)
        if len(self.seen) == self.nth:
            self.reached.set()
            self._go.wait(WAIT_LIMIT * 2)

    def release(self) -> None:
        self._go.set()


class Hook:
    """The one statement listener of the run, calling the hold of the moment (a listener
    added or removed while another thread runs a statement breaks SQLAlchemy's dispatch)."""

    def __init__(self):
        self.hold: Hold | None = None

    def __call__(self, *args) -> None:
        hold = self.hold
        if hold is not None:
            hold(*args)


HOOK = Hook()


def _outcome(work) -> str:
    from assembly.extensions import db

    try:
        work()
        return "ok"
    except Exception as error:  # every answer is reported, none hidden
        db.session.rollback()
        return f"{type(error).__name__}: {error}"[:300]
    finally:
        db.session.remove()


def _race(app, engine, watcher, hold: Hold, write, move) -> dict:
    """Run ``write`` until ``hold`` stops it, then ``move()`` (returns a callable doing the
    move, chosen once the write is held) until it ends or waits on a lock, then let the
    write go on.  What each answered, and where the move waited."""
    from sqlalchemy import text

    from assembly.extensions import db

    out: dict = {}
    pid: dict = {}
    HOOK.hold = hold

    def writer() -> None:
        with app.app_context():
            out["write"] = _outcome(write)

    def mover(work) -> None:
        with app.app_context():
            pid["move"] = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            out["move"] = _outcome(work)

    try:
        first = threading.Thread(target=writer, name=_WRITER)
        first.start()
        if not hold.reached.wait(WAIT_LIMIT):
            hold.release()
            first.join(WAIT_LIMIT)
            return {**out, "move": "never started: the write was not held"}
        with app.app_context():
            work = move(hold)
            db.session.remove()
        second = threading.Thread(target=mover, args=(work,))
        second.start()
        out["move_waited"] = _waits(watcher, second, pid)
        hold.release()
        first.join(WAIT_LIMIT)
        second.join(WAIT_LIMIT)
    finally:
        HOOK.hold = None
        hold.release()
    return out


def _waits(watcher, thread: threading.Thread, pid: dict) -> bool:
    """Whether the move ends up waiting on a lock (False: it finished first)."""
    from sqlalchemy import text

    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline and thread.is_alive():
        with watcher.connect() as connection:
            waiting = connection.execute(
                text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid.get("move", -1)},
            ).scalar()
        if waiting:
            return True
        time.sleep(0.02)  # polling pg_stat_activity for the wait, not waiting for time
    return False


# --- the room ---------------------------------------------------------------------------------


def _assembly(db, admin, label: str, table_size: int = 20) -> int:
    from assembly.assemblies import services as assemblies

    raw = {k: str(v) for k, v in assemblies.template_defaults().items()}
    raw.update(name=label, date=date.today().isoformat(), region="Orinoquía",
               venue="Coliseo", department_code="81", municipality_code="81001",
               table_size=str(table_size))  # fmt: skip
    assembly = assemblies.create_from_template(admin, raw)
    db.session.flush()
    return assembly.id


def _person(assembly_id: int, n: int, **values):
    from assembly.registration.models import Attendee

    person = dict(
        assembly_id=assembly_id, ticket_token=secrets.token_urlsafe(24), document_type="CC",
        document_number=str(50_000_000 + n), first_names=f"Persona {n}",
        last_names="Cerrojos", name_key=f"persona {n} cerrojos", sex="mujer",
        age_range="29-40", municipality_code="81001", department_code="81",
        organization_name="Org", organization_key="org", consent_data=True,
    )  # fmt: skip
    person.update(values)
    return Attendee(**person)


def _first_group(db, assembly_id: int):
    from sqlalchemy import select

    from assembly.grouping.models import Group

    return db.session.scalars(
        select(Group).where(Group.assembly_id == assembly_id).order_by(Group.number)
    ).first()


def _counts(db, assembly_id: int) -> dict:
    """Whether the tally equals a recount, and the sub-mesas over capacity."""
    from sqlalchemy import func, select

    from assembly.grouping.models import Group, Table
    from assembly.registration.models import Attendee
    from tests.support.tally_check import stored_and_recounted

    stored, recount = stored_and_recounted(db)
    over = db.session.execute(
        select(Table.id, Table.capacity, func.count(Attendee.id))
        .join(Group, Group.id == Table.group_id)
        .join(Attendee, Attendee.table_id == Table.id)
        .where(Group.assembly_id == assembly_id)
        .group_by(Table.id, Table.capacity)
        .having(func.count(Attendee.id) > Table.capacity)
    ).all()
    return {"tally_equals_recount": stored == recount, "over_capacity": [list(r) for r in over]}


# --- the three writes ---------------------------------------------------------------------------


def split_scenario(app, db, engine, watcher, admin_id: int) -> dict:
    """A re-split (its seats written 3 per statement) against a move."""
    from sqlalchemy import select

    from assembly.auth.models import User
    from assembly.grouping import services as grouping
    from assembly.grouping.models import Table
    from assembly.grouping.services import split as split_module
    from assembly.helpers import utcnow
    from assembly.registration.models import Attendee

    with app.app_context():
        admin = db.session.get(User, admin_id)
        assembly_id = _assembly(db, admin, "Asamblea del reparto", table_size=5)
        now = utcnow()
        db.session.add_all(
            _person(assembly_id, 100 + n, checked_in_at=now, sex=("mujer", "hombre")[n % 2],
                    organization_key=f"org{n % 5}", organization_name=f"Org {n % 5}")
            for n in range(33)
        )  # fmt: skip
        db.session.commit()
        grouping.run_split(admin, assembly_id, seed=1)
        db.session.commit()
        db.session.remove()

    def write() -> None:
        grouping.run_split(db.session.get(User, admin_id), assembly_id, seed=7, confirm=True)
        db.session.commit()

    def move(hold: Hold):
        first, second = hold.seen[0], hold.seen[1]
        touched = {row["table_id"] for row in first}
        touched |= {db.session.get(Attendee, row["attendees_id"]).table_id for row in first}
        person = db.session.get(Attendee, second[0]["attendees_id"])
        free = [
            t.id
            for t in db.session.scalars(select(Table).where(Table.id.in_(touched)))
            if t.id != person.table_id and not t.locked and len(_seated(db, t.id)) < t.capacity
        ]
        target = min(free) if free else None

        def work() -> None:
            if target is None:
                raise RuntimeError("no sub-mesa with a free seat among those the split touched")
            grouping.move_attendee(db.session.get(User, admin_id), assembly_id, person.id, target)
            db.session.commit()

        return work

    seat_chunk = split_module.SEAT_CHUNK
    split_module.SEAT_CHUNK = 3
    try:
        out = _race(app, engine, watcher, Hold(r"^\s*UPDATE attendees SET", 2), write, move)
    finally:
        split_module.SEAT_CHUNK = seat_chunk
    with app.app_context():
        out.update(_counts(db, assembly_id))
        db.session.remove()
    return out


def _seated(db, table_id: int) -> list[int]:
    from sqlalchemy import select

    from assembly.registration.models import Attendee

    return list(db.session.scalars(select(Attendee.id).where(Attendee.table_id == table_id)))


def undo_scenario(app, db, engine, watcher, admin_id: int) -> dict:
    """An import's undo emptying fields it filled in two seated people, against a move of
    the second of them."""
    from assembly.assemblies.models import Assembly
    from assembly.auth.models import User
    from assembly.grouping import services as grouping
    from assembly.grouping.models import Table
    from assembly.registration.imports import batches
    from assembly.registration.models import ImportBatch, ImportFill

    with app.app_context():
        admin = db.session.get(User, admin_id)
        assembly_id = _assembly(db, admin, "Asamblea de la importación")
        group = _first_group(db, assembly_id)
        tables = [Table(group_id=group.id, number=n, join_code=f"UNDO{n}XY") for n in (1, 2)]
        db.session.add_all(tables)
        db.session.flush()
        seat = dict(group_id=group.id, table_id=tables[0].id)
        filled_muni = _person(assembly_id, 200, municipality_code="81065", **seat)
        filled_sex = _person(assembly_id, 201, sex="hombre", **seat)
        db.session.add_all([filled_muni, filled_sex])
        db.session.flush()
        batch = ImportBatch(assembly_id=assembly_id, user_id=admin_id, filename="lista.xlsx",
                            status=batches.DONE, created=2, filled=2)  # fmt: skip
        db.session.add(batch)
        db.session.flush()
        db.session.add_all(
            [
                _person(assembly_id, 300 + n, import_batch_id=batch.id) for n in range(2)
            ]
            + [
                ImportFill(batch_id=batch.id, attendee_id=filled_muni.id,
                           field="municipality_code", previous=None, value="81065"),
                ImportFill(batch_id=batch.id, attendee_id=filled_sex.id, field="sex",
                           previous=None, value="hombre"),
            ]
        )  # fmt: skip
        db.session.commit()
        ids = {"batch": batch.id, "second": filled_sex.id, "to": tables[1].id}
        db.session.remove()

    def write() -> None:
        batches.undo_batch(
            db.session.get(User, admin_id), db.session.get(Assembly, assembly_id), ids["batch"]
        )
        db.session.commit()

    def move(_hold: Hold):
        def work() -> None:
            grouping.move_attendee(
                db.session.get(User, admin_id), assembly_id, ids["second"], ids["to"]
            )
            db.session.commit()

        return work

    hold = Hold(r"^\s*(UPDATE|DELETE FROM) attendees", 2)
    out = _race(app, engine, watcher, hold, write, move)
    with app.app_context():
        out.update(_counts(db, assembly_id))
        out["second_at"] = "to" if _seated(db, ids["to"]) == [ids["second"]] else "from"
        db.session.remove()
    return out


def fallback_scenario(app, db, engine, watcher, admin_id: int) -> dict:
    """A late arrival whose chosen sub-mesa another desk filled an instant before: it seats
    at its second choice; a move from the first choice to the second meanwhile."""
    from sqlalchemy import select

    from assembly.assemblies.realtime import broadcasting
    from assembly.auth.models import User
    from assembly.desk import services as desk
    from assembly.grouping.models import Table
    from assembly.helpers import utcnow
    from assembly.registration.models import Attendee

    with app.app_context():
        admin = db.session.get(User, admin_id)
        assembly_id = _assembly(db, admin, "Asamblea de la llegada tarde")
        group = _first_group(db, assembly_id)
        # number 2 first: the preferred sub-mesa (number 1, the tie-break) has the higher id
        second = Table(group_id=group.id, number=2, capacity=2, join_code="TARDE2XY")
        db.session.add(second)
        db.session.flush()
        first = Table(group_id=group.id, number=1, capacity=2, join_code="TARDE1XY")
        db.session.add(first)
        db.session.flush()
        now = utcnow()
        mover = _person(assembly_id, 400, checked_in_at=now, group_id=group.id, table_id=first.id)
        other = _person(assembly_id, 401, checked_in_at=now, group_id=group.id, table_id=second.id)
        late = _person(assembly_id, 402, preferred_theme_id=group.theme_id)
        quick = _person(assembly_id, 403, preferred_theme_id=group.theme_id)
        db.session.add_all([mover, other, late, quick])
        db.session.commit()
        ids = {"first": first.id, "second": second.id, "mover": mover.id, "late": late.id,
               "quick": quick.id}  # fmt: skip
        db.session.remove()

    def check_in(attendee_id: int) -> None:
        with broadcasting():
            result = desk.check_in_by_id(
                db.session.get(User, admin_id), assembly_id, attendee_id, "Mesa 1", utcnow()
            )
        if result.kind != desk.OK:
            raise RuntimeError(result.message)

    def move(hold: Hold):
        def work() -> None:
            from assembly.grouping import services as grouping

            grouping.move_attendee(
                db.session.get(User, admin_id), assembly_id, ids["mover"], ids["second"]
            )
            db.session.commit()

        return work

    # held before its first sub-mesa lock while another desk seats someone there, then
    # before its second (the fallback) while the move runs
    locks = r"FROM tables .*FOR (NO KEY )?UPDATE"
    quick = Hold(locks, 1)
    fallback = Hold(locks, 1)  # the next lock it takes: its second choice
    out: dict = {}

    def quick_desk() -> None:
        with app.app_context():
            out["other_desk"] = _outcome(lambda: check_in(ids["quick"]))

    HOOK.hold = quick
    try:
        held = {}

        def writer() -> None:
            with app.app_context():
                held["write"] = _outcome(lambda: check_in(ids["late"]))

        thread = threading.Thread(target=writer, name=_WRITER)
        thread.start()
        reached = quick.reached.wait(WAIT_LIMIT)
        helper = threading.Thread(target=quick_desk)
        helper.start()
        helper.join(WAIT_LIMIT)
        HOOK.hold = fallback
        quick.release()
        out["held_first"] = reached
        out.update(_race_held(app, watcher, fallback, thread, held, move))
    finally:
        HOOK.hold = None
        quick.release()
        fallback.release()
    with app.app_context():
        out.update(_counts(db, assembly_id))
        seated = {
            a.id: a.table_id
            for a in db.session.scalars(select(Attendee).where(Attendee.assembly_id == assembly_id))
        }
        out["late_seated"] = seated[ids["late"]] is not None
        out["quick_at_first"] = seated[ids["quick"]] == ids["first"]
        db.session.remove()
    return out


def _race_held(app, watcher, hold: Hold, thread, held: dict, move) -> dict:
    """:func:`_race` for a writer already running (the fallback scenario's)."""
    from sqlalchemy import text

    from assembly.extensions import db

    out: dict = {}
    pid: dict = {}
    if not hold.reached.wait(WAIT_LIMIT):
        hold.release()
        thread.join(WAIT_LIMIT)
        return {"write": held.get("write", "unfinished"), "move": "never started"}
    with app.app_context():
        work = move(hold)
        db.session.remove()

    def mover() -> None:
        with app.app_context():
            pid["move"] = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            out["move"] = _outcome(work)

    second = threading.Thread(target=mover)
    second.start()
    out["move_waited"] = _waits(watcher, second, pid)
    hold.release()
    thread.join(WAIT_LIMIT)
    second.join(WAIT_LIMIT)
    out["write"] = held.get("write", "unfinished")
    return out


def run(url: str) -> dict:
    from sqlalchemy import create_engine, event

    from assembly import create_app
    from assembly.auth import services as auth
    from assembly.extensions import db

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(16),
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": "",
            "DB_POOL_SIZE": 5,
        }
    )
    watcher = create_engine(url)
    try:
        with app.app_context():
            db.create_all()
            admin = auth.create_user(
                username="organiza", display_name="Organiza", password="clave-123-larga",
                role="admin",
            )  # fmt: skip
            db.session.commit()
            admin_id = admin.id
            engine = db.engine
            db.session.remove()
        event.listen(engine, "before_cursor_execute", HOOK)
        result = {
            name: scenario(app, db, engine, watcher, admin_id)
            for name, scenario in (
                ("split", split_scenario),
                ("undo", undo_scenario),
                ("fallback", fallback_scenario),
            )
        }
        with app.app_context():
            db.engine.dispose()
    finally:
        watcher.dispose()
    return result


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))
