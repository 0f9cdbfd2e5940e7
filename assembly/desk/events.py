"""Socket.IO for the desk: staff with the DESK permission follow ``desk:<assembly id>``."""

from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies.realtime import join
from assembly.assemblies.services import get_assembly
from assembly.auth.domain import Permission
from assembly.core.schemas import Id, Payload
from assembly.core.sockets import event
from assembly.desk import services
from assembly.desk.broadcasts import room
from assembly.errors import PermissionDenied
from assembly.helpers import utcnow


class JoinDesk(Payload):
    assembly_id: Id


@event("join_desk", JoinDesk)
def on_join_desk(data: JoinDesk) -> dict:
    """A desk screen subscribes to its assembly's counters; the reply is a snapshot."""
    if not current_user.is_authenticated or not current_user.can(Permission.DESK):
        raise PermissionDenied(_("Su cuenta no puede atender la mesa de registro."))
    assembly = get_assembly(data.assembly_id)
    return join(assembly.id, [room(assembly.id)], lambda: services.counters(assembly, utcnow()))
