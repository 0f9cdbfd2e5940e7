"""What the puzzle tells the screens, after the commit.  One named function per event.

Rooms: ``table:<id>`` (the table's phones), ``group:<id>`` (its mesa's facilitator),
``board:<assembly id>`` (the projector and read-only phones of the plenary).

Handlers build payloads right after the commit, end the read transaction
(``db.session.rollback()``), then call these with the payloads: under gevent no
transaction may stay open across an emit.
"""

from assembly.extensions import socketio
from assembly.puzzle.models import Piece


def piece_payload(piece: Piece) -> dict:
    """The stored piece as every screen receives it (never the client's copy)."""
    table = piece.table
    group = table.group
    return {
        "id": piece.id,
        "kind": piece.kind,
        "parent_id": piece.parent_id,
        "text": piece.text,
        "who": piece.who,
        "due": piece.due,
        "status": piece.status,
        "hidden": piece.hidden,
        "version": piece.version,
        "table_id": table.id,
        "table_number": table.number,
        "group_id": group.id,
        "group_number": group.number,
        "theme_id": group.theme_id,
        "assembly_id": group.assembly_id,
        "created_at": piece.created_at.isoformat() if piece.created_at else None,
        "updated_at": piece.updated_at.isoformat() if piece.updated_at else None,
    }


def _rooms(payload: dict) -> list[str]:
    return [
        f"table:{payload['table_id']}",
        f"group:{payload['group_id']}",
        f"board:{payload['assembly_id']}",
    ]


def broadcast_piece_saved(piece: Piece | dict) -> None:
    """A piece was created or edited (text, hidden flag, status...); a payload dict is sent as is."""
    payload = piece if isinstance(piece, dict) else piece_payload(piece)
    socketio.emit("piece_saved", payload, to=_rooms(payload))


def broadcast_piece_deleted(payload: dict) -> None:
    """A piece was deleted; ``payload`` is piece_payload() taken before the delete."""
    socketio.emit(
        "piece_deleted",
        {
            "id": payload["id"],
            "table_id": payload["table_id"],
            "assembly_id": payload["assembly_id"],
        },
        to=_rooms(payload),
    )


def broadcast_table_changed(info: dict, assembly_id: int) -> None:
    """A table's spokesperson (or another of its facts) changed; ``info`` is table_info()."""
    socketio.emit(
        "table_changed",
        info,
        to=[f"table:{info['id']}", f"group:{info['group_id']}", f"board:{assembly_id}"],
    )


def broadcast_group_changed(group: dict) -> None:
    """A mesa's vocero / vocera changed; ``group`` is group_state()["group"]."""
    socketio.emit(
        "group_changed", group, to=[f"group:{group['id']}", f"board:{group['assembly_id']}"]
    )


def broadcast_nudge(table_id: int, message: str, sender: str) -> None:
    """The facilitator reminds a lagging table: its phones show the message."""
    socketio.emit(
        "nudged", {"table_id": table_id, "message": message, "from": sender}, to=f"table:{table_id}"
    )
