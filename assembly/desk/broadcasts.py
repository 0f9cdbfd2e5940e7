"""What the desk tells every desk screen of an assembly (room ``desk:<assembly id>``).

At 7:55 four desks may check in several people a second; recomputing and pushing the counters
for each one would cost more than the check-in itself.  So a check-in asks for a broadcast and
check-ins within ``DESK_COUNTERS_DELAY_MS`` share one (:func:`assembly.core.coalesce.coalesced`).
The broadcast reads the counters when it runs, after the commits, so it always carries every
check-in made before it (the last of a burst is never left out).  It is sent through
``broadcasting()`` like every other message, so it carries ``rev``, ``room`` and ``seq``.
"""

from flask import current_app

from assembly.assemblies.realtime import Broadcast, broadcast, broadcasting
from assembly.assemblies.services import get_assembly
from assembly.core.coalesce import coalesced
from assembly.desk import services
from assembly.helpers import utcnow


def room(assembly_id: int) -> str:
    return f"desk:{assembly_id}"


def desk_counters(assembly_id: int) -> Broadcast:
    """The assembly's counters as they are now (read in the caller's transaction)."""
    state = services.counters(get_assembly(assembly_id), utcnow())
    return broadcast("desk_counters", state, rooms=[room(assembly_id)], assembly_id=assembly_id)


def schedule_desk_counters(assembly_id: int) -> None:
    """Send the fresh counters to every desk soon; call it after the check-in's commit."""
    coalesced(
        ("desk_counters", assembly_id),
        lambda: _send_counters(assembly_id),
        current_app.config.get("DESK_COUNTERS_DELAY_MS", 0),
    )


def _send_counters(assembly_id: int) -> None:
    with broadcasting() as out:
        out.add(desk_counters(assembly_id))
