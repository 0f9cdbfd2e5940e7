"""Route guards: every staff route names the permission it needs."""

import functools

from flask import Flask
from flask_babel import gettext as _
from flask_login import current_user, login_required

from assembly.auth import scope
from assembly.auth.domain import ROLE_LABELS, Permission
from assembly.errors import PermissionDenied


def require(permission: Permission):
    """Log-in required, then ``permission``; a refusal renders the 403 page (or JSON)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not current_user.can(permission):
                raise PermissionDenied(_("Su cuenta no tiene permiso para esta acción."))
            if "assembly_id" in kwargs:  # every assembly's page: only staff who work on it
                scope.ensure_access(kwargs["assembly_id"])
            return view(*args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def role_labels() -> dict:
    """The roles' names in the page's language (the codes stay as stored)."""
    return {role: _(label) for role, label in ROLE_LABELS.items()}


def register(app: Flask) -> None:
    """Template globals: ``can("permission")`` and the role labels."""

    @app.context_processor
    def inject():
        def can(permission: str) -> bool:
            return current_user.is_authenticated and current_user.can(Permission(permission))

        return {"can": can, "role_labels": role_labels()}
