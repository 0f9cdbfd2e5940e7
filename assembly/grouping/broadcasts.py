"""What the grouping tells the screens. One named builder per event; the handler adds the
result to its ``broadcasting()`` outbox (sent after the commit, with rev/room/seq).

Rooms: ``assembly:<id>`` (staff screens, e.g. the groups screen), ``group:<id>`` (a mesa's
facilitator), ``table:<id>`` (the table's phones).  The payload says what changed; screens
that need the new roster fetch it (a split can touch hundreds of people).
"""

from assembly.assemblies.realtime import Broadcast, broadcast
from assembly.grouping.models import Table
from assembly.grouping.services import Change


def _grouping_changed(payload: dict, group_ids, table_ids) -> Broadcast:
    rooms = [f"assembly:{payload['assembly_id']}"]
    rooms += [f"group:{gid}" for gid in sorted(set(group_ids))]
    rooms += [f"table:{tid}" for tid in sorted(set(table_ids))]
    return broadcast("grouping_changed", payload, rooms=rooms, assembly_id=payload["assembly_id"])


def grouping_changed(change: Change) -> Broadcast:
    """A manual change (move, swap, leader, lock, facilitator)."""
    payload = {
        "assembly_id": change.assembly_id,
        "action": change.action,
        "group_ids": list(change.group_ids),
        "table_ids": list(change.table_ids),
        "attendee_ids": list(change.attendee_ids),
    }
    return _grouping_changed(payload, change.group_ids, change.table_ids)


def split(assembly_id: int, group_ids: list[int], table_ids: list[int]) -> Broadcast:
    """The whole room was (re-)split: every mesa and table may have changed."""
    payload = {
        "assembly_id": assembly_id,
        "action": "split",
        "group_ids": list(group_ids),
        "table_ids": list(table_ids),
        "attendee_ids": [],
    }
    return _grouping_changed(payload, group_ids, table_ids)


def seated(table: Table) -> Broadcast:
    """Someone who checked in late was seated at ``table`` (the desk adds it when
    ``seat_late_arrival`` returned a table)."""
    payload = {
        "assembly_id": table.group.assembly_id,
        "action": "late_arrival",
        "group_ids": [table.group_id],
        "table_ids": [table.id],
        "attendee_ids": [],
    }
    return _grouping_changed(payload, [table.group_id], [table.id])


def code_changed(table: Table) -> list[Broadcast]:
    """A table's join code was rotated: its phones (all on the old code) hear "el código
    cambió" without the new one; the staff rooms (the mesa's facilitator, the groups screen)
    get the new code to hand out."""
    assembly_id = table.group.assembly_id
    return [
        broadcast(
            "code_changed",
            {"table_id": table.id, "assembly_id": assembly_id},
            rooms=[f"table:{table.id}"],
            assembly_id=assembly_id,
        ),
        broadcast(
            "table_code_rotated",
            {
                "table_id": table.id,
                "group_id": table.group_id,
                "assembly_id": assembly_id,
                "join_code": table.join_code,
            },
            rooms=[f"group:{table.group_id}", f"assembly:{assembly_id}"],
            assembly_id=assembly_id,
        ),
    ]
