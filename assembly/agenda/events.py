"""Socket.IO for the clock: follow it (``join_clock``) and run it (``clock_control``)."""

from flask_login import current_user
from flask_socketio import join_room

from assembly.agenda import services
from assembly.agenda.broadcasts import broadcast_clock_state
from assembly.auth.domain import Permission
from assembly.core.events import current_identity, identity_may_follow
from assembly.errors import InvalidInput, PermissionDenied, acknowledge
from assembly.extensions import db, socketio, unit_of_work


def _assembly_id(data) -> int:
    value = (data or {}).get("assembly_id") if isinstance(data, dict) else None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput("Falta la asamblea.") from None


@socketio.on("join_clock")
@acknowledge
def on_join_clock(data):
    """Follow an assembly's clock; the reply is the full snapshot (also after a reconnect)."""
    assembly_id = _assembly_id(data)
    if not identity_may_follow(current_identity(), assembly_id):
        raise PermissionDenied("No puede seguir el reloj de esta asamblea.")
    snapshot = services.clock_snapshot(assembly_id)
    db.session.rollback()  # end the read before the socket does any I/O
    join_room(f"clock:{assembly_id}")
    return {"state": snapshot}


@socketio.on("clock_control")
@acknowledge
def on_clock_control(data):
    """Start, pause, resume, extend, next, back, jump or reset; every screen hears it."""
    assembly_id = _assembly_id(data)
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied("Su cuenta no puede manejar el reloj.")
    with unit_of_work():
        services.control(
            current_user,
            assembly_id,
            str(data.get("action", "")),
            minutes=data.get("minutes"),
            position=data.get("position"),
        )
    return {"state": broadcast_clock_state(assembly_id)}


@socketio.on("join_projector")
@acknowledge
def on_join_projector(data):
    """The projector follows the registration counter live: it joins the desks' counter
    room (``desk:<id>``, counts only) and gets the current counts in the reply."""
    from assembly.assemblies import services as assemblies

    assembly_id = _assembly_id(data)
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied("Su cuenta no puede abrir el proyector.")
    assembly = assemblies.get_assembly(assembly_id)
    counts = assemblies.overview(assembly)
    db.session.rollback()  # end the read before the socket does any I/O
    join_room(f"desk:{assembly.id}")
    return {"state": {"assembly_id": assembly.id, **counts}}
