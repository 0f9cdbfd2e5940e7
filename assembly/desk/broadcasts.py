"""What the desk tells every desk screen of an assembly (room ``desk:<assembly id>``).

At 7:55 four desks may check in several people a second; recomputing and pushing the counters
for each one would cost more than the check-in itself.  So a check-in asks for a broadcast and
check-ins within ``DESK_COUNTERS_DELAY_MS`` share one: the first schedules it, the others find
it pending.  The broadcast reads the counters when it runs, so it always carries every commit
made before it (the last check-in of a burst is never left out).  It is sent through
``broadcasting()`` like every other message, so it carries ``rev``, ``room`` and ``seq``.
"""

import logging
import threading

from flask import Flask, current_app

from assembly.assemblies.realtime import Broadcast, broadcast, broadcasting
from assembly.assemblies.services import get_assembly
from assembly.desk import services
from assembly.extensions import db, socketio
from assembly.helpers import utcnow

log = logging.getLogger(__name__)

_pending: set[int] = set()
_lock = threading.Lock()  # a gevent lock under the gevent worker (monkey-patched)


def room(assembly_id: int) -> str:
    return f"desk:{assembly_id}"


def desk_counters(assembly_id: int) -> Broadcast:
    """The assembly's counters as they are now (read in the caller's transaction)."""
    state = services.counters(get_assembly(assembly_id), utcnow())
    return broadcast("desk_counters", state, rooms=[room(assembly_id)], assembly_id=assembly_id)


def schedule_desk_counters(assembly_id: int) -> None:
    """Send the fresh counters to every desk soon; call it after the check-in's commit."""
    delay_ms = current_app.config.get("DESK_COUNTERS_DELAY_MS", 0)
    if not delay_ms:
        _send_counters(assembly_id)
        return
    with _lock:
        if assembly_id in _pending:
            return  # a broadcast is already on its way and will read this commit too
        _pending.add(assembly_id)
    socketio.start_background_task(
        _delayed, current_app._get_current_object(), assembly_id, delay_ms / 1000
    )


def _send_counters(assembly_id: int) -> None:
    with broadcasting() as out:
        out.add(desk_counters(assembly_id))


def _delayed(app: Flask, assembly_id: int, delay_s: float) -> None:
    socketio.sleep(delay_s)
    with _lock:
        _pending.discard(assembly_id)  # commits from now on ask for a new broadcast
    try:
        with app.app_context():
            _send_counters(assembly_id)
            db.session.remove()
    except Exception:
        log.exception("desk counters broadcast failed for assembly %s", assembly_id)
