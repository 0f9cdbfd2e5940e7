"""Socket.IO for the assemblies: staff screens follow an assembly (``assembly:<id>``)."""

from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies import services
from assembly.assemblies.broadcasts import room
from assembly.assemblies.realtime import join
from assembly.auth.domain import Permission
from assembly.core.schemas import Id, Payload
from assembly.core.sockets import event
from assembly.errors import PermissionDenied


class JoinAssembly(Payload):
    assembly_id: Id


@event("join_assembly", JoinAssembly)
def on_join_assembly(data: JoinAssembly) -> dict:
    """Staff subscribe to an assembly's room; the reply is a snapshot of its counters."""
    if not current_user.is_authenticated or not current_user.can(Permission.VIEW_ASSEMBLY):
        raise PermissionDenied(_("Su cuenta no puede seguir esta asamblea."))
    assembly = services.get_assembly(data.assembly_id)

    def snapshot() -> dict:
        return {
            "assembly_id": assembly.id,
            "status": assembly.status,
            **services.overview(assembly),
        }

    return join(assembly.id, [room(assembly.id)], snapshot)
