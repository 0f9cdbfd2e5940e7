"""Small things every package uses: venue time, form error plumbing, public URLs, choices.

Venue time (ARCHITECTURE.md, contract 6): the database stores naive UTC; every time a person
reads goes through :func:`to_venue` (or the Jinja filter ``venue_time``) with the assembly's
own zone (``Assembly.time_zone``), never the server's zone or a global setting.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, request
from flask_babel import get_locale
from wtforms import SelectChoice

from assembly.config import DEFAULT_TIME_ZONE
from assembly.core import network
from assembly.errors import AssemblyError


def attach_errors(form, error: AssemblyError) -> None:
    """Show a domain error's per-field messages on a WTForms form (the rest on top)."""
    for name, message in (error.fields or {"": error.message}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone called ``name``; the default zone for an empty or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def venue_zone(assembly) -> ZoneInfo:
    """The zone of the assembly's venue (anything with a ``time_zone`` attribute)."""
    return zone_named(getattr(assembly, "time_zone", None))


def to_venue(moment: datetime | None, assembly) -> datetime | None:
    """A stored time (naive UTC, or aware) as an aware time at the venue; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(venue_zone(assembly))


def venue_time(moment: datetime | None, assembly, fmt: str = "%H:%M") -> str:
    """A stored time as the venue reads it ("08:12"); "" for None. The Jinja filter:
    ``{{ attendee.checked_in_at|venue_time(assembly) }}`` or ``|venue_time(assembly, "%d/%m/%Y %H:%M")``."""
    local = to_venue(moment, assembly)
    return local.strftime(fmt) if local else ""


def venue_today(assembly) -> date:
    """Today's date at the venue, which decides ages."""
    return datetime.now(venue_zone(assembly)).date()


def utcnow() -> datetime:
    """Now, as the database stores timestamps: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def room() -> network.RoomAddress:
    """The room's address for this request (see assembly/core/network.py): PUBLIC_URL, else the
    request's own address unless it is loopback, else this laptop's best LAN address."""
    return network.room_address(
        current_app.config.get("PUBLIC_URL") or "", request.host_url, network.lan_addresses()
    )


def public_url(path: str) -> str:
    """An absolute URL for QR codes and printed links, on the room's address: never 127.0.0.1
    while the laptop has a LAN address."""
    return room().base_url + path


def select_choices(pairs) -> list:
    """(value, label) pairs as WTForms 3.3 wants them (tuples are deprecated there)."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


def register(app: Flask) -> None:
    """Template helpers every page may use (auth registers ``can`` and the role labels)."""
    app.add_template_filter(venue_time, "venue_time")

    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale() or "es"),
            "room_address": room,
            "printed_elsewhere": network.printed_elsewhere,
        }
