"""What the clock tells the screens. One named builder per event; the handler (or a receiver,
through ``realtime.queue``) adds it to the write's outbox, sent after the commit.

Room: ``clock:<assembly id>`` (every screen that shows the clock).
"""

from assembly.agenda import services
from assembly.assemblies.realtime import Broadcast, broadcast


def room(assembly_id: int) -> str:
    return f"clock:{assembly_id}"


def clock_state(assembly_id: int) -> Broadcast:
    """The stored clock: the same snapshot ``join_clock`` answers, read in this transaction
    (with the speakers list)."""
    return broadcast(
        "clock_state",
        services.clock_with_speakers(assembly_id),
        rooms=[room(assembly_id)],
        assembly_id=assembly_id,
    )
