"""What the follow-up tells the staff screens (sent after the commit). Room: ``assembly:<id>``."""

from assembly.assemblies.broadcasts import room
from assembly.assemblies.realtime import Broadcast, broadcast


def survey_changed(
    assembly_id: int, answers: int, state: str, big: bool | None = None
) -> Broadcast:
    """The survey got an answer, or was opened or closed: the console refreshes its results.
    ``big``: whether the board shows the survey's QR full height, when this change set it (an
    answer leaves it as it was, and the consoles do not ask it again)."""
    payload = {"assembly_id": assembly_id, "answers": answers, "state": state}
    if big is not None:
        payload["big"] = big
    return broadcast(
        "survey_changed",
        payload,
        rooms=[room(assembly_id)],
        assembly_id=assembly_id,
    )
