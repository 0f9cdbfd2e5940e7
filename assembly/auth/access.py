"""Route guards: every staff route names the permission it needs."""

import functools

from flask_login import current_user, login_required

from assembly.auth.domain import Permission
from assembly.errors import PermissionDenied


def require(permission: Permission):
    """Log-in required, then ``permission``; a refusal renders the 403 page (or JSON)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not current_user.can(permission):
                raise PermissionDenied("Su cuenta no tiene permiso para esta acción.")
            return view(*args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator
