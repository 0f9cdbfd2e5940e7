"""Socket.IO for the plenary: board screens follow, the moderator commands, phones vote.

Credentials registered here (see assembly/core/events.py):
- ``board``: the public read-only board, value = assembly id; identity {"assembly_id"}.
- ``ticket``: an attendee's ticket token (vote page); identity {"assembly_id", "attendee_id"}.
"""

from flask_login import current_user
from flask_socketio import join_room

from assembly.auth.domain import Permission
from assembly.board import broadcasts, services
from assembly.core.events import credential, current_identity, identity_may_follow
from assembly.errors import InvalidInput, PermissionDenied, acknowledge
from assembly.extensions import db, socketio, unit_of_work


@credential("board")
def check_board(value):
    try:
        assembly_id = int(value)
    except (TypeError, ValueError):
        return None
    assembly = db.session.get(services.Assembly, assembly_id)
    return {"assembly_id": assembly.id} if assembly else None


@credential("ticket")
def check_ticket(value):
    from sqlalchemy import select

    from assembly.registration.models import Attendee

    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    attendee = db.session.scalar(select(Attendee).where(Attendee.ticket_token == value))
    if attendee is None:
        return None
    return {"assembly_id": attendee.assembly_id, "attendee_id": attendee.id}


def _assembly_id(data) -> int:
    try:
        return int((data or {}).get("assembly_id"))
    except (TypeError, ValueError):
        raise InvalidInput("Falta la asamblea.") from None


def _follow(data) -> int:
    assembly_id = _assembly_id(data)
    if not identity_may_follow(current_identity(), assembly_id):
        raise PermissionDenied("Esta conexión no puede seguir esa asamblea.")
    return assembly_id


def _moderator() -> None:
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied("Solo la moderación dirige la plenaria.")


@socketio.on("join_board")
@acknowledge
def on_join_board(data):
    """Follow an assembly's board; the reply is the full state, deltas follow."""
    assembly_id = _follow(data)
    state = services.board_snapshot(assembly_id)
    db.session.rollback()  # end the read before the socket does any I/O
    join_room(f"board:{assembly_id}")
    return {"state": state}


@socketio.on("join_votes")
@acknowledge
def on_join_votes(data):
    """A vote page follows when votes open and close (not every single vote)."""
    assembly_id = _follow(data)
    open_ids = [a.id for a in services.open_votes(assembly_id)]
    db.session.rollback()
    join_room(f"vote:{assembly_id}")
    return {"open": open_ids}


@socketio.on("plenary_command")
@acknowledge
def on_plenary_command(data):
    """reveal / zoom / unzoom / whole / live, for every board screen of the assembly."""
    _moderator()
    data = data or {}
    with unit_of_work():
        state = services.plenary_command(
            current_user,
            _assembly_id(data),
            str(data.get("action", "")),
            data.get("group_id"),
            data.get("piece_id"),
        )
    broadcasts.broadcast_plenary_state(state)
    return {"state": state}


_APPROVAL_ACTIONS = {
    "hands": lambda user, a, g, data: services.record_hands(user, a, g, data),
    "open": lambda user, a, g, data: services.open_vote(user, a, g),
    "close": lambda user, a, g, data: services.close_vote(user, a, g),
    # annulled: nothing left to show, the screens drop the mesa's result
    "reset": lambda user, a, g, data: services.reset_approval(user, a, g) and None,
}


@socketio.on("approval_command")
@acknowledge
def on_approval_command(data):
    """hands (record a show-of-hands tally), open / close a phone vote, reset (annul)."""
    _moderator()
    data = data or {}
    run = _APPROVAL_ACTIONS.get(str(data.get("action", "")))
    if run is None:
        raise InvalidInput("Acción de aprobación desconocida.")
    assembly_id = _assembly_id(data)
    with unit_of_work():
        approval = run(current_user, assembly_id, data.get("group_id"), data)
        result = services.json_approval(approval)
        group_id = int(data.get("group_id"))
        electorate = services.checked_in_count(assembly_id)
    broadcasts.broadcast_approval_changed(
        assembly_id, group_id, result, electorate=electorate, phones=True
    )
    return {"approval": result}
