"""Venue time in the workbooks: every time a cell or a header line shows is the assembly's
local time, and every sheet says once which zone that is.

The database stores naive UTC; a spreadsheet has no time zones, so cells get the naive local
time at the venue. Pure: zones come in as ``tzinfo`` objects (the builder finds them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo

from babel.dates import get_timezone_location


def local(moment: datetime | None, zone: tzinfo) -> datetime | None:
    """A stored time (naive UTC, or aware) as the naive local time at the venue."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).replace(tzinfo=None)


def _offset(delta: timedelta | None) -> str:
    minutes = round((delta or timedelta()).total_seconds() / 60)
    sign = "+" if minutes >= 0 else "−"  # U+2212, as a printed offset is written
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone: tzinfo, at: datetime) -> str:
    """ "hora de Colombia, America/Bogota (UTC−5)": the place, the IANA name and the offset
    that applies at ``at`` (naive UTC or aware)."""
    moment = at if at.tzinfo else at.replace(tzinfo=UTC)
    place = get_timezone_location(zone, locale="es")
    return f"{place}, {zone} ({_offset(moment.astimezone(zone).utcoffset())})"


def zone_note(zones: Iterable[tzinfo], at: datetime) -> str:
    """The sentence that says, once per sheet, in which zone its times are."""
    labels = list(dict.fromkeys(zone_label(zone, at) for zone in zones))
    if len(labels) == 1:
        return f"Las horas están en {labels[0]}."
    return "Las horas están en la hora local de cada asamblea: " + "; ".join(labels) + "."
