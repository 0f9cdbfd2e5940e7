"""Two staff members moving and swapping people between the same two sub-mesas in opposite
directions at the same moment (PostgreSQL: each thread its own connection).

    python -m tests.support.opposite_moves DATABASE_URL ROUNDS   # prints one JSON line

Built in its own process (a create_app of its own, no queue), schema by ``create_all``, on an
empty database. Two parts:

- ``waiting``: one move is written and held open (not committed) while the opposite move
  starts; where the second one waits is read from ``pg_locks`` (the relation of the row lock
  it holds while waiting for the first transaction): at the sub-mesa's row (``tables``),
  before it wrote any person or tally row, when the lock order holds.
- ``rounds``: ROUNDS times both threads pass a barrier, then one moves a person from
  sub-mesa 1 to 2 while the other moves one from 2 to 1, then each swaps a pair whose
  lower id sits at the opposite sub-mesa (each person's UPDATE leaves one sub-mesa's tally
  for the other's, the two threads in opposite directions). It says which errors the writes
  met and whether the tally the triggers keep still equals a recount of the people.
"""

import json
import secrets
import sys
import threading
import time
from datetime import date

PEOPLE = 12  # seated alternately at the two sub-mesas
WAIT_LIMIT = 30  # seconds the second move may take to start waiting (a loaded machine)


def _room(db, admin) -> dict:
    from sqlalchemy import select

    from assembly.assemblies import services as assemblies
    from assembly.grouping.models import Group, Table
    from assembly.registration.models import Attendee

    raw = {k: str(v) for k, v in assemblies.template_defaults().items()}
    raw.update(name="Asamblea de los movimientos", date=date.today().isoformat(),
               region="Orinoquía", venue="Coliseo", department_code="81",
               municipality_code="81001")  # fmt: skip
    assembly = assemblies.create_from_template(admin, raw)
    db.session.flush()
    group = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).first()
    tables = [Table(group_id=group.id, number=n, join_code=f"MOVE{n}AB") for n in (1, 2)]
    db.session.add_all(tables)
    db.session.flush()
    people = []
    for n in range(PEOPLE):  # ids 1 at sub-mesa 1, 2 at sub-mesa 2, 3 at 1...
        t = n % 2
        people.append(
            Attendee(
                assembly_id=assembly.id, group_id=group.id, table_id=tables[t].id,
                ticket_token=secrets.token_urlsafe(24), document_type="CC",
                document_number=str(40_000_000 + n), first_names=f"Persona {n}",
                last_names=f"Sub-mesa {t + 1}", name_key=f"persona {n} sub-mesa {t + 1}",
                sex=("mujer", "hombre", "mujer")[n % 3], age_range=("18-28", "60+")[n // 6],
                municipality_code=("81001", "81065")[t], organization_name=f"Org {n % 4}",
                organization_key=f"org {n % 4}", knows_pit=n < 4, took_part_before=n < 4,
                consent_data=True,
            )
        )  # fmt: skip
    db.session.add_all(people)
    db.session.commit()
    return {
        "assembly": assembly.id,
        "admin": admin.id,
        "tables": [t.id for t in tables],
        "people": [p.id for p in people],
    }


def _waiting(app, db, ids: dict, watcher) -> str:
    """Where the second of two opposite moves waits while the first is held open."""
    from sqlalchemy import text

    from assembly.auth.models import User
    from assembly.grouping import services as grouping

    first, second = ids["tables"]
    east, west = ids["people"][0], ids["people"][1]  # at sub-mesa 1, at sub-mesa 2
    written, release = threading.Event(), threading.Event()
    pid, outcome = {}, {}

    def hold() -> None:
        with app.app_context():
            grouping.move_attendee(
                db.session.get(User, ids["admin"]), ids["assembly"], east, second
            )
            written.set()
            release.wait(WAIT_LIMIT * 2)
            db.session.commit()
            db.session.remove()

    def follow() -> None:
        with app.app_context():
            try:
                pid["west"] = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
                actor = db.session.get(User, ids["admin"])
                grouping.move_attendee(actor, ids["assembly"], west, first)
                db.session.commit()
                outcome["west"] = "ok"
            except Exception as error:  # reported, not hidden
                db.session.rollback()
                outcome["west"] = f"{type(error).__name__}: {error}"[:300]
            finally:
                db.session.remove()

    holder = threading.Thread(target=hold)
    holder.start()
    written.wait(WAIT_LIMIT)
    follower = threading.Thread(target=follow)
    follower.start()
    where = "never waited"
    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline and follower.is_alive():
        with watcher.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT l.relation::regclass::text FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.pid = :pid AND a.wait_event_type = 'Lock' "
                    "AND l.locktype = 'tuple' AND l.granted"
                ),
                {"pid": pid.get("west", -1)},
            ).all()
        if rows:
            where = rows[0][0]
            break
        time.sleep(0.02)  # polling pg_locks for the marker (the wait), not waiting for time
    release.set()
    holder.join(WAIT_LIMIT)
    follower.join(WAIT_LIMIT)
    return f"{where}; then {outcome.get('west', 'unfinished')}"


def _rounds(app, db, ids: dict, rounds: int) -> dict:
    from assembly.assemblies.realtime import broadcasting
    from assembly.auth.models import User
    from assembly.grouping import services as grouping
    from assembly.registration.models import Attendee

    first, second = ids["tables"]
    p = ids["people"]
    # east moves person 0 between the sub-mesas while west moves person 1 the other way; east
    # swaps 4 (lower id, at sub-mesa 1) with 7, west swaps 5 (lower id, at 2) with 8
    plans = {"east": (p[0], (p[4], p[7])), "west": (p[1], (p[5], p[8]))}
    barrier = threading.Barrier(2)
    errors: dict[str, list[str]] = {"east": [], "west": []}
    done = {"east": 0, "west": 0}

    def staff(name: str) -> None:
        mover, pair = plans[name]
        with app.app_context():
            for _ in range(rounds):
                for action in ("move", "swap"):
                    barrier.wait(timeout=60)
                    try:
                        actor = db.session.get(User, ids["admin"])
                        with broadcasting():
                            if action == "move":  # to the sub-mesa the person is not at
                                seat = db.session.get(Attendee, mover).table_id
                                target = second if seat == first else first
                                grouping.move_attendee(actor, ids["assembly"], mover, target)
                            else:
                                grouping.swap_attendees(actor, ids["assembly"], *pair)
                        done[name] += 1
                    except Exception as error:  # every failure is reported, none hidden
                        errors[name].append(f"{action}: {type(error).__name__}: {error}"[:300])
                    finally:
                        db.session.remove()

    threads = [threading.Thread(target=staff, args=(name,)) for name in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return {"writes": done, "errors": errors}


def _tallies(db, ids: dict) -> dict:
    from sqlalchemy import func, select

    from assembly.registration.models import Attendee
    from tests.support.tally_check import stored_and_recounted

    stored, recount = stored_and_recounted(db)
    sizes = [
        db.session.scalar(select(func.count(Attendee.id)).where(Attendee.table_id == table_id))
        for table_id in ids["tables"]
    ]
    return {"tally_equals_recount": stored == recount, "tally_rows": len(stored), "sizes": sizes}


def run(url: str, rounds: int) -> dict:
    from sqlalchemy import create_engine

    from assembly import create_app
    from assembly.auth import services as auth
    from assembly.extensions import db

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(16),
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": "",
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
            ids = _room(db, admin)
            db.session.remove()
        waiting = _waiting(app, db, ids, watcher)
        started = time.monotonic()
        result = _rounds(app, db, ids, rounds)
        seconds = round(time.monotonic() - started, 1)
        with app.app_context():
            result.update(_tallies(db, ids))
            db.session.remove()
            db.engine.dispose()
    finally:
        watcher.dispose()
    return {"waiting": waiting, "rounds": rounds, "seconds": seconds, **result}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]))))
