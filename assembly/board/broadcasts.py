"""What the plenary tells the screens, after the commit.  One named function per event.

Rooms: ``board:<assembly id>`` (projector and read-only phone boards), ``vote:<assembly id>``
(attendees' vote pages: told only when a vote opens, closes or is annulled).
"""

from assembly.extensions import socketio


def broadcast_plenary_state(state: dict) -> None:
    """The moderator revealed a mesa, zoomed, or switched to the whole puzzle."""
    socketio.emit("plenary_state", state, to=f"board:{state['assembly_id']}")


def broadcast_approval_changed(
    assembly_id: int, group_id: int, approval: dict | None, *, electorate: int, phones: bool
) -> None:
    """A mesa's approval changed (tally, vote count, close, annulment).  ``phones`` also tells
    the vote pages, which only care when a vote opens or closes, not about every vote."""
    payload = {
        "assembly_id": assembly_id,
        "group_id": group_id,
        "approval": approval,
        "electorate": electorate,
    }
    rooms = [f"board:{assembly_id}"]
    if phones:
        rooms.append(f"vote:{assembly_id}")
    socketio.emit("approval_changed", payload, to=rooms)
