"""What the plenary tells the screens. One named builder per event; the handler adds the
result to its ``broadcasting()`` outbox, sent after the commit with ``rev``/``room``/``seq``.

Rooms: ``board:<assembly id>`` (projector and read-only phone boards), ``vote:<assembly id>``
(attendees' vote pages: told only when a vote opens, closes or is annulled).
"""

from assembly.assemblies.realtime import Broadcast, broadcast


def plenary_state(state: dict) -> Broadcast:
    """The moderator revealed a mesa, zoomed, or switched to the whole puzzle."""
    return broadcast(
        "plenary_state",
        state,
        rooms=[f"board:{state['assembly_id']}"],
        assembly_id=state["assembly_id"],
    )


def approval_changed(
    assembly_id: int, group_id: int, approval: dict | None, *, electorate: int, phones: bool
) -> Broadcast:
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
    return broadcast("approval_changed", payload, rooms=rooms, assembly_id=assembly_id)


def rules_changed(assembly_id: int, rules: dict) -> Broadcast:
    """The voting rules or the people present changed (shown before each vote)."""
    payload = {"assembly_id": assembly_id, "rules": rules}
    return broadcast(
        "rules_changed", payload, rooms=[f"board:{assembly_id}"], assembly_id=assembly_id
    )
