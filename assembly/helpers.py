"""Small things every template and route uses: template globals, form error plumbing."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user

from assembly.auth.domain import ROLE_LABELS, Permission
from assembly.errors import AssemblyError


def attach_errors(form, error: AssemblyError) -> None:
    """Show a domain error's per-field messages on a WTForms form (the rest on top)."""
    for name, message in (error.fields or {"": error.message}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def local_zone() -> ZoneInfo:
    """The assemblies' zone (Colombia): planned times, check-in hours and ages are read there."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "America/Bogota")


def venue_today() -> date:
    """The date at the venue, which decides ages."""
    return datetime.now(local_zone()).date()


def utcnow() -> datetime:
    """Now, as the database stores timestamps: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def public_url(path: str) -> str:
    """An absolute URL for QR codes: PUBLIC_URL when set (the laptop's LAN address), else the
    address this request came in on."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + path


def register(app: Flask) -> None:
    @app.context_processor
    def inject():
        def can(permission: str) -> bool:
            return current_user.is_authenticated and current_user.can(Permission(permission))

        return {
            "can": can,
            "role_labels": ROLE_LABELS,
            "current_locale": str(get_locale() or "es"),
        }


def select_choices(pairs) -> list:
    """(value, label) pairs as WTForms 3.3 wants them (tuples are deprecated there)."""
    from wtforms import SelectChoice

    return [SelectChoice(str(value), str(label)) for value, label in pairs]
