"""What the desk tells every desk screen of an assembly, after the commit.

At 7:55 four desks may check in several people a second; recomputing and pushing the counters
for each one would cost more than the check-in itself.  So a check-in asks for a broadcast and
check-ins within ``DESK_COUNTERS_DELAY_MS`` share one: the first schedules it, the others find
it pending.  The broadcast reads the counters when it runs, so it always carries every commit
made before it (the last check-in of a burst is never left out).
"""

import logging
import threading

from flask import current_app

from assembly.extensions import db, socketio
from assembly.helpers import utcnow
from assembly.registration import checkin

log = logging.getLogger(__name__)

_pending: set[int] = set()
_lock = threading.Lock()  # a gevent lock under the gevent worker (monkey-patched)


def room(assembly_id: int) -> str:
    return f"desk:{assembly_id}"


def broadcast_desk_counters(assembly_id: int) -> None:
    """Send the assembly's fresh counters to every desk; call it after the check-in commit."""
    delay_ms = current_app.config.get("DESK_COUNTERS_DELAY_MS", 0)
    if not delay_ms:
        _emit_counters(assembly_id)
        return
    with _lock:
        if assembly_id in _pending:
            return  # a broadcast is already on its way and will read this commit too
        _pending.add(assembly_id)
    socketio.start_background_task(
        _delayed_broadcast, current_app._get_current_object(), assembly_id, delay_ms / 1000
    )


def _delayed_broadcast(app, assembly_id: int, delay_s: float) -> None:
    socketio.sleep(delay_s)
    with _lock:
        _pending.discard(assembly_id)  # commits from now on ask for a new broadcast
    try:
        with app.app_context():
            _emit_counters(assembly_id)
    except Exception:
        log.exception("desk counters broadcast failed for assembly %s", assembly_id)


def _emit_counters(assembly_id: int) -> None:
    state = checkin.counters(assembly_id, utcnow())
    db.session.rollback()  # end the read before emitting: gevent must not yield inside it
    socketio.emit("desk_counters", state, to=room(assembly_id))
