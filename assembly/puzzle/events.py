"""Socket.IO for the puzzle: the tables' phones write pieces, facilitators moderate them.

Phones connect with ``auth={"table_code": "K7P2QX"}``; their identity names one table and
every handler acts on that table only (services check each piece's table again).
Facilitators connect with their staff log-in; every handler checks their mesa.
Each write commits, builds the payloads, ends the read transaction, then broadcasts.
"""

from flask import session
from flask_login import current_user
from flask_socketio import join_room
from sqlalchemy.exc import IntegrityError

from assembly.core.events import credential, current_identity
from assembly.errors import PermissionDenied, acknowledge
from assembly.extensions import db, socketio, unit_of_work
from assembly.puzzle import broadcasts, services
from assembly.puzzle.broadcasts import piece_payload


@credential("table_code")
def _table_code(value):
    """A table's join code (case and blanks ignored) opens its phones' socket."""
    return services.identity_for_code(value)


def _table_identity(data=None) -> dict | None:
    """The table this socket writes for: its ``table_code`` credential or, for a socket that
    connected with a staff log-in (a facilitator trying the phone page), the code it joined."""
    identity = current_identity()
    if identity and identity.get("kind") == "table_code":
        return identity
    code = data.get("code") if isinstance(data, dict) else None
    if code:
        found = services.identity_for_code(code)
        session["table_identity"] = {"kind": "table_code", **found} if found else None
    return session.get("table_identity")


def _staff():
    if not current_user.is_authenticated:
        raise PermissionDenied("Inicie sesión con su cuenta de facilitación.")
    return current_user._get_current_object()


# --- the table's phones ------------------------------------------------------------------------


@socketio.on("join_table")
@acknowledge
def on_join_table(data=None):
    """Join ``table:<id>``; the reply is the table's full state (pieces, step, clock)."""
    identity = _table_identity(data)
    state = services.table_state(identity)
    db.session.rollback()  # end the read transaction before the socket does any I/O
    join_room(f"table:{identity['table_id']}")
    return {"state": state}


@socketio.on("submit_piece")
@acknowledge
def on_submit_piece(data=None):
    """Store a piece once per client UUID; a resend answers with the stored piece."""
    identity = _table_identity()
    try:
        with unit_of_work():
            piece, changed = services.submit_piece(identity, data)
    except IntegrityError:
        # A concurrent insert of the same UUID won the race: that stored piece is the answer.
        piece, changed = services.stored_after_race(identity, data), False
    payload = piece_payload(piece)
    db.session.rollback()
    if changed:
        broadcasts.broadcast_piece_saved(payload)
    return {"piece": payload, "created": changed}


@socketio.on("edit_piece")
@acknowledge
def on_edit_piece(data=None):
    """Change the text (and who/when of a plan) of one of the table's pieces."""
    identity = _table_identity()
    with unit_of_work():
        piece = services.edit_piece(identity, data)
    payload = piece_payload(piece)
    db.session.rollback()
    broadcasts.broadcast_piece_saved(payload)
    return {"piece": payload}


@socketio.on("delete_piece")
@acknowledge
def on_delete_piece(data=None):
    """Delete one of the table's pieces and what hangs from it, while its step is open."""
    identity = _table_identity()
    with unit_of_work():
        payloads = services.delete_piece(identity, data)
    for payload in payloads:
        broadcasts.broadcast_piece_deleted(payload)
    return {"deleted": [p["id"] for p in payloads]}


@socketio.on("set_spokesperson")
@acknowledge
def on_set_spokesperson(data=None):
    """The table records its spokesperson: one of its people, by id or by name."""
    identity = _table_identity()
    with unit_of_work():
        table = services.set_table_spokesperson(identity, data)
    info = services.table_info(table)
    db.session.rollback()
    broadcasts.broadcast_table_changed(info, identity["assembly_id"])
    return {"table": info}


# --- the mesa's facilitator --------------------------------------------------------------------


@socketio.on("facilitate_group")
@acknowledge
def on_facilitate_group(data=None):
    """A facilitator joins ``group:<id>`` of a mesa assigned to them; the reply is its state."""
    group = services.facilitated_group(_staff(), (data or {}).get("group_id"))
    state = services.group_state(group)
    db.session.rollback()
    join_room(f"group:{group.id}")
    return {"state": state}


@socketio.on("hide_piece")
@acknowledge
def on_hide_piece(data=None):
    """Hide a duplicate piece (or show it again)."""
    data = data or {}
    with unit_of_work():
        piece = services.hide_piece(_staff(), data.get("id"), bool(data.get("hidden", True)))
    payload = piece_payload(piece)
    db.session.rollback()
    broadcasts.broadcast_piece_saved(payload)
    return {"piece": payload}


@socketio.on("merge_piece")
@acknowledge
def on_merge_piece(data=None):
    """Merge a duplicate into another piece of the mesa (the duplicate is hidden)."""
    data = data or {}
    with unit_of_work():
        duplicate, moved = services.merge_piece(_staff(), data.get("id"), data.get("into_id"))
    payloads = [piece_payload(p) for p in (duplicate, *moved)]
    db.session.rollback()
    for payload in payloads:
        broadcasts.broadcast_piece_saved(payload)
    return {"piece": payloads[0], "moved": [p["id"] for p in payloads[1:]]}


@socketio.on("fix_piece")
@acknowledge
def on_fix_piece(data=None):
    """Fix a typo in a piece of the mesa (at any step)."""
    with unit_of_work():
        piece = services.fix_piece(_staff(), data)
    payload = piece_payload(piece)
    db.session.rollback()
    broadcasts.broadcast_piece_saved(payload)
    return {"piece": payload}


@socketio.on("nudge")
@acknowledge
def on_nudge(data=None):
    """Remind a lagging table: its phones show the message."""
    data = data or {}
    actor = _staff()
    table, message = services.nudge_table(actor, data.get("table_id"), data.get("message"))
    table_id = table.id
    db.session.rollback()
    broadcasts.broadcast_nudge(table_id, message, actor.display_name)
    return {"table_id": table_id, "message": message}


@socketio.on("set_group_spokesperson")
@acknowledge
def on_set_group_spokesperson(data=None):
    """The facilitator records the mesa's vocero / vocera for the plenary."""
    data = data or {}
    with unit_of_work():
        group = services.set_group_spokesperson(
            _staff(), data.get("group_id"), data.get("attendee_id")
        )
    info = services.group_info(group)
    db.session.rollback()
    broadcasts.broadcast_group_changed(info)
    return {"group": info}
