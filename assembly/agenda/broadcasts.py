"""What the clock tells the screens, after the commit.  One named function per event."""

from assembly.agenda import services
from assembly.extensions import db, socketio


def broadcast_clock_state(assembly_id: int) -> dict:
    """Send the stored clock (the same snapshot ``join_clock`` answers) to ``clock:<id>``.

    Reads the snapshot and ends the read transaction before emitting: under gevent an
    emit may yield, and an open SQLite transaction must not be held across it."""
    snapshot = services.clock_snapshot(assembly_id)
    db.session.rollback()
    socketio.emit("clock_state", snapshot, to=f"clock:{assembly_id}")
    return snapshot
