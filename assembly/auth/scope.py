"""Staff scope per assembly: the ONE place that says which assemblies an account works on.

Roles say what an account may do; its scope says where. Admins and accounts marked "todas las
asambleas" (national supervision) are global; every other account works only on the
assemblies it was granted (``AssemblyGrant``, the assembly's staff page).

    ensure_access(assembly_id)                       # PermissionDenied outside the scope
    stmt = scoped(select(Attendee), Attendee.assembly_id)   # lists of personal data
    visible_assembly_ids() -> None (every one) | frozenset

``auth.access.require`` checks the ``assembly_id`` of every staff route's URL, and a socket
guard checks the ``assembly_id`` of every staff socket event (``auth.events``), so a page or
event that names its assembly is scoped without code of its own. A list across assemblies (a
monitoring page, a national report) filters its query with :func:`scoped`.
"""

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import false

from assembly.errors import PermissionDenied


def _user(user=None):
    return current_user if user is None else user


def may_access(assembly_id: int | None, user=None) -> bool:
    user = _user(user)
    return bool(user and user.is_authenticated and user.may_access(assembly_id))


def ensure_access(assembly_id: int | None, user=None) -> None:
    if not may_access(assembly_id, user):
        raise PermissionDenied(_("Su cuenta no trabaja en esta asamblea."))


def visible_assembly_ids(user=None) -> frozenset[int] | None:
    """None when the account sees every assembly, else the ids it may see."""
    user = _user(user)
    if not (user and user.is_authenticated and user.active):
        return frozenset()
    return None if user.is_global else user.assembly_ids


def scoped(stmt, column, user=None):
    """``stmt`` limited to the rows whose ``column`` (an assembly id) is in the scope."""
    ids = visible_assembly_ids(user)
    if ids is None:
        return stmt
    return stmt.where(column.in_(sorted(ids)) if ids else false())
