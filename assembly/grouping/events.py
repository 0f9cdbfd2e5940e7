"""Socket.IO for the grouping: a staff screen follows one mesa's room (``group:<id>``)."""

from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies.realtime import join
from assembly.auth import audit
from assembly.auth.domain import Permission
from assembly.core.schemas import Id, Payload
from assembly.core.sockets import event
from assembly.errors import PermissionDenied
from assembly.grouping import services


class FollowGroup(Payload):
    assembly_id: Id
    group_id: Id


@event("follow_group", FollowGroup)
def on_follow_group(data: FollowGroup) -> dict:
    """Staff who run or facilitate mesas join ``group:<id>``; the reply is the mesa's roster."""
    if not current_user.is_authenticated or not (
        current_user.can(Permission.MANAGE_GROUPS) or current_user.can(Permission.FACILITATE)
    ):
        raise PermissionDenied(_("Su cuenta no puede seguir las mesas."))
    group = services.get_group(data.assembly_id, data.group_id)
    if not current_user.can(Permission.MANAGE_GROUPS) and not services.facilitates(
        current_user, group
    ):
        raise PermissionDenied(_("Esta mesa está asignada a otra persona de facilitación."))
    reply = join(group.assembly_id, [f"group:{group.id}"], lambda: services.group_snapshot(group))
    # a roster read over the socket is logged like the HTTP bulk reads (one line, Ley 1581)
    people = sum(len(table["members"]) for table in reply["state"]["tables"])
    audit.record(
        current_user,
        "group.roster",
        assembly_id=data.assembly_id,
        subject=f"group:{data.group_id}",
        people=people,
    )
    return reply
