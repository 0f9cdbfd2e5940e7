"""What the grouping tells the screens, after the commit.  One named function per event.

Rooms: ``assembly:<id>`` (staff screens, e.g. the groups screen), ``group:<id>`` (a mesa's
facilitator), ``table:<id>`` (the table's phones).  The payload says what changed; screens
that need the new roster fetch it (a split can touch hundreds of people).
"""

from assembly.extensions import socketio
from assembly.grouping.services import Change


def _emit(payload: dict, group_ids, table_ids) -> None:
    rooms = [f"assembly:{payload['assembly_id']}"]
    rooms += [f"group:{gid}" for gid in sorted(set(group_ids))]
    rooms += [f"table:{tid}" for tid in sorted(set(table_ids))]
    socketio.emit("grouping_changed", payload, to=rooms)


def broadcast_grouping_changed(change: Change) -> None:
    """A manual change (move, swap, leader, lock, facilitator) was committed."""
    payload = {
        "assembly_id": change.assembly_id,
        "action": change.action,
        "group_ids": list(change.group_ids),
        "table_ids": list(change.table_ids),
        "attendee_ids": list(change.attendee_ids),
    }
    _emit(payload, change.group_ids, change.table_ids)


def broadcast_split(assembly_id: int, group_ids: list[int], table_ids: list[int]) -> None:
    """The whole room was (re-)split: every mesa and table may have changed."""
    payload = {
        "assembly_id": assembly_id,
        "action": "split",
        "group_ids": list(group_ids),
        "table_ids": list(table_ids),
        "attendee_ids": [],
    }
    _emit(payload, group_ids, table_ids)


def broadcast_seated(table) -> None:
    """Someone who checked in late was seated at ``table`` (the desk calls this after its
    commit when seat_late_arrival returned a table)."""
    payload = {
        "assembly_id": table.group.assembly_id,
        "action": "late_arrival",
        "group_ids": [table.group_id],
        "table_ids": [table.id],
        "attendee_ids": [],
    }
    _emit(payload, [table.group_id], [table.id])
