"""Socket.IO connection: who is this socket, and which rooms may it join."""

import logging

from flask_login import current_user
from flask_socketio import join_room

from assembly.auth.domain import Permission
from assembly.errors import PermissionDenied, acknowledge
from assembly.extensions import db, socketio

log = logging.getLogger(__name__)


@socketio.on("connect")
def on_connect(auth=None):
    """Staff sockets authenticate with their log-in session; other credentials (table codes,
    tickets) are checked by the features that define them."""
    if current_user.is_authenticated:
        return True
    raise ConnectionRefusedError("Inicie sesión para conectarse.")


@socketio.on("join_assembly")
@acknowledge
def on_join_assembly(data):
    """Staff subscribe to an assembly's room; the reply is a snapshot of its counters."""
    from assembly.assemblies import services

    if not current_user.is_authenticated or not current_user.can(Permission.VIEW_ASSEMBLY):
        raise PermissionDenied("Su cuenta no puede seguir esta asamblea.")
    assembly = services.get_assembly(int((data or {}).get("assembly_id", 0)))
    counts = services.overview(assembly)
    db.session.rollback()  # end the read transaction before the socket does any I/O
    join_room(f"assembly:{assembly.id}")
    return {"state": {"assembly_id": assembly.id, "status": assembly.status, **counts}}


def broadcast_assembly_changed(assembly_id: int, payload: dict) -> None:
    """Tell every staff screen of an assembly that its data changed (after the commit)."""
    socketio.emit(
        "assembly_changed", {"assembly_id": assembly_id, **payload}, to=f"assembly:{assembly_id}"
    )
