"""Socket.IO for the desk: staff with the DESK permission follow ``desk:<assembly id>``."""

from flask_login import current_user
from flask_socketio import join_room

from assembly.assemblies.services import get_assembly
from assembly.auth.domain import Permission
from assembly.desk.broadcasts import room
from assembly.errors import InvalidInput, PermissionDenied, acknowledge
from assembly.extensions import db, socketio
from assembly.helpers import utcnow
from assembly.registration import checkin


@socketio.on("join_desk")
@acknowledge
def on_join_desk(data):
    """A desk screen subscribes to its assembly's counters; the reply is a snapshot."""
    if not current_user.is_authenticated or not current_user.can(Permission.DESK):
        raise PermissionDenied("Su cuenta no puede atender la mesa de registro.")
    try:
        assembly_id = int((data or {}).get("assembly_id", 0))
    except (TypeError, ValueError, AttributeError):
        raise InvalidInput("Falta la asamblea.") from None
    get_assembly(assembly_id)
    state = checkin.counters(assembly_id, utcnow())
    db.session.rollback()  # end the read transaction before the socket does any I/O
    join_room(room(assembly_id))
    return {"state": state}
