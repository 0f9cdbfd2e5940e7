"""The check-in benchmark's baseline: a bare Flask route doing one indexed conditional UPDATE
on the same SQLite database, served by the same gunicorn + gevent set-up as the real app.

No log-in, no session, no ORM, no broadcast: the floor a check-in cannot go below.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402

engine = create_engine(
    os.environ["ASSEMBLY_DATABASE_URL"], pool_size=1, max_overflow=0
)  # as the app: DB_POOL_SIZE=1


@event.listens_for(engine, "connect")
def _pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "busy_timeout=5000",
        "foreign_keys=ON",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


app = Flask(__name__)


@app.get("/healthz")
def health():
    """Liveness probe (start_server waits for it)."""
    return jsonify(ok=True)


@app.post("/touch/<int:attendee_id>")
def touch(attendee_id: int):
    """One conditional UPDATE by primary key, committed."""
    desk = (request.get_json(silent=True) or {}).get("desk", "")
    with engine.begin() as connection:
        changed = connection.execute(
            text(
                "UPDATE attendees SET checked_in_at = :now, checked_in_desk = :desk "
                "WHERE id = :id AND checked_in_at IS NULL"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None), "desk": desk, "id": attendee_id},
        ).rowcount
    return jsonify(ok=True, changed=changed)
