"""What the assemblies package tells the staff screens. One named builder per event; the
handler adds the result to its ``broadcasting()`` outbox (sent after the commit).

Room: ``assembly:<id>`` (every staff screen of the assembly).
"""

from assembly.assemblies.models import Assembly
from assembly.assemblies.realtime import Broadcast, broadcast


def room(assembly_id: int) -> str:
    return f"assembly:{assembly_id}"


def assembly_changed(assembly: Assembly) -> Broadcast:
    """The assembly's own data changed (its status, for one)."""
    return broadcast(
        "assembly_changed",
        {"assembly_id": assembly.id, "status": assembly.status},
        rooms=[room(assembly.id)],
        assembly_id=assembly.id,
    )
