"""What the follow-up tells the staff screens (sent after the commit). Room: ``assembly:<id>``."""

from assembly.assemblies.broadcasts import room
from assembly.assemblies.realtime import Broadcast, broadcast


def survey_changed(assembly_id: int, answers: int, state: str) -> Broadcast:
    """The survey got an answer, or was opened or closed: the console refreshes its results."""
    return broadcast(
        "survey_changed",
        {"assembly_id": assembly_id, "answers": answers, "state": state},
        rooms=[room(assembly_id)],
        assembly_id=assembly_id,
    )
