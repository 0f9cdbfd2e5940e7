"""Socket.IO for the grouping: a staff screen follows one mesa's room (``group:<id>``)."""

from flask_login import current_user
from flask_socketio import join_room

from assembly.auth.domain import Permission
from assembly.errors import PermissionDenied, acknowledge
from assembly.extensions import db, socketio


@socketio.on("follow_group")
@acknowledge
def on_follow_group(data):
    """Staff who run or facilitate mesas join ``group:<id>``; the reply is the mesa's roster."""
    from assembly.grouping import services

    if not current_user.is_authenticated or not (
        current_user.can(Permission.MANAGE_GROUPS) or current_user.can(Permission.FACILITATE)
    ):
        raise PermissionDenied("Su cuenta no puede seguir las mesas.")
    data = data or {}
    try:
        assembly_id, group_id = int(data.get("assembly_id", 0)), int(data.get("group_id", 0))
    except (TypeError, ValueError):
        assembly_id = group_id = 0
    group = services.get_group(assembly_id, group_id)
    state = services.group_snapshot(group)
    db.session.rollback()  # end the read transaction before the socket does any I/O
    join_room(f"group:{group.id}")
    return {"state": state}
