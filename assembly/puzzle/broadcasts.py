"""What the puzzle tells the screens. One named builder per event; the handler adds the result
to its ``broadcasting()`` outbox, sent after the commit with ``rev``/``room``/``seq``.

Rooms: ``table:<id>`` (the table's phones), ``group:<id>`` (its mesa's facilitator),
``board:<assembly id>`` (the projector and read-only phones of the plenary).
"""

from assembly.assemblies.realtime import Broadcast, broadcast
from assembly.puzzle.models import Piece
from assembly.puzzle.services import piece_payload


def _rooms(payload: dict) -> list[str]:
    return [
        f"table:{payload['table_id']}",
        f"group:{payload['group_id']}",
        f"board:{payload['assembly_id']}",
    ]


def piece_saved(piece: Piece | dict) -> Broadcast:
    """A piece was created or edited (text, hidden flag, status...); a payload dict is sent as
    it is (it was built before a later change in the same write)."""
    payload = piece if isinstance(piece, dict) else piece_payload(piece)
    redacted = None
    if payload.get("hidden") or payload.get("shown") is False:
        # the plenary board (the public phones among it) learns only that it went away
        keep = ("id", "table_id", "group_id", "assembly_id", "hidden", "shown", "version")
        redacted = {f"board:{payload['assembly_id']}": {k: payload.get(k) for k in keep}}
    return broadcast(
        "piece_saved",
        payload,
        rooms=_rooms(payload),
        assembly_id=payload["assembly_id"],
        redacted=redacted,
    )


def piece_deleted(payload: dict) -> Broadcast:
    """A piece was deleted; ``payload`` is piece_payload() taken before the delete."""
    return broadcast(
        "piece_deleted",
        {
            "id": payload["id"],
            "table_id": payload["table_id"],
            "assembly_id": payload["assembly_id"],
        },
        rooms=_rooms(payload),
        assembly_id=payload["assembly_id"],
    )


def table_changed(info: dict, assembly_id: int) -> Broadcast:
    """A table's spokesperson (or another of its facts) changed; ``info`` is table_info().
    Its phones and its mesa's facilitator show it; the board's room does not get it (the
    board names the mesa's vocero, group_changed, not a table's: 500 screens would count a
    message none of them shows)."""
    return broadcast(
        "table_changed",
        info,
        rooms=[f"table:{info['id']}", f"group:{info['group_id']}"],
        assembly_id=assembly_id,
    )


def table_frozen(info: dict, assembly_id: int) -> Broadcast:
    """The plenary decided the mesa's agenda: the table's phones learn ``info["frozen"]``
    (``info`` is table_info()).  Only the table's room: the other screens do not show it."""
    return broadcast("table_changed", info, rooms=[f"table:{info['id']}"], assembly_id=assembly_id)


def group_changed(group: dict) -> Broadcast:
    """A mesa's vocero / vocera changed; ``group`` is group_info()."""
    return broadcast(
        "group_changed",
        group,
        rooms=[f"group:{group['id']}", f"board:{group['assembly_id']}"],
        assembly_id=group["assembly_id"],
    )


def nudged(table_id: int, assembly_id: int, message: str, sender: str) -> Broadcast:
    """The facilitator reminds a lagging table: its phones show the message."""
    return broadcast(
        "nudged",
        {"table_id": table_id, "message": message, "from": sender},
        rooms=[f"table:{table_id}"],
        assembly_id=assembly_id,
    )


def late_piece_held(payload: dict) -> Broadcast:
    """A piece came after its step's time: its facilitator sees it (``late_payload()``), and
    the table's other phones learn it waits."""
    return broadcast(
        "late_piece_held",
        payload,
        rooms=[f"group:{payload['group_id']}", f"table:{payload['table_id']}"],
        assembly_id=payload["assembly_id"],
    )


def late_piece_cleared(payload: dict, *, accepted: bool) -> Broadcast:
    """A held late piece is gone: accepted by the facilitator, or sent by the phone once the
    step reopened.  The phones drop it from their outbox when ``accepted``."""
    return broadcast(
        "late_piece_cleared",
        {
            "id": payload["id"],
            "table_id": payload["table_id"],
            "group_id": payload["group_id"],
            "assembly_id": payload["assembly_id"],
            "accepted": accepted,
        },
        rooms=[f"group:{payload['group_id']}", f"table:{payload['table_id']}"],
        assembly_id=payload["assembly_id"],
    )
