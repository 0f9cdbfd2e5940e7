"""Pure rules of the registration desk: what a scanner typed, how a search reads, how arrivals
are counted.  Plain data in, plain data out (no Flask, no models)."""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo

from assembly.registration.domain import normalize_document, normalize_name

#: ticket tokens are ``secrets.token_urlsafe``: URL-safe base64
_TOKEN_CHARS = r"A-Za-z0-9_\-"
TOKEN_RE = re.compile(f"^[{_TOKEN_CHARS}]{{16,64}}$")
#: ".../t/<token>", maybe followed by ".png", a query or a fragment
_TICKET_URL_RE = re.compile(f"/t/([{_TOKEN_CHARS}]{{16,64}})(?:\\.png)?(?:[/?#].*)?$")
#: a scanner set up for a US keyboard on a Spanish-layout computer types "/" as "-", "-" as "'"
#: and "_" as "?" (and ":" as "Ñ"): "httpÑ--host-t-<token with ' and ?>"
MISMATCHED_URL_RE = re.compile(r"-t-([A-Za-z0-9'?]{16,64})$")
_US_ON_SPANISH = str.maketrans("'?", "-_")
DESK_NAME_MAX = 40
ARRIVAL_BUCKET_MINUTES = 5
ARRIVAL_SPAN_MINUTES = 120
#: a bare token counts as a scan (not a typed search) only from this length on
SCAN_MIN_LENGTH = 24
#: a scan queued by an offline desk is sent at most this long after it was made (ms)
SCAN_AGE_MAX_MS = 24 * 60 * 60 * 1000
#: two scans closer than this are the same instant: the first to reach the database wins
#: (only a scan queued clearly earlier takes the place of a stored check-in)
SAME_INSTANT = timedelta(seconds=2)


def scan_time(now: datetime, age_ms: int | None) -> datetime:
    """When a scan was made: ``age_ms`` before the server's ``now``.  The desk sends the age
    by its own clock (not its wall time), so a desk laptop whose clock is off still orders
    its queued scans right against the others."""
    if not age_ms or age_ms < 0:
        return now
    return now - timedelta(milliseconds=min(age_ms, SCAN_AGE_MAX_MS))


def parse_ticket_text(text: str | None) -> str | None:
    """The ticket token in what a scanner (or a person) typed: the bare token or the whole
    ticket URL (``http://host/t/<token>``); None when it is neither."""
    text = (text or "").strip()
    if not text:
        return None
    match = _TICKET_URL_RE.search(text)
    if match:
        return match.group(1)
    if TOKEN_RE.match(text):
        return text
    match = MISMATCHED_URL_RE.search(text)
    if match:
        return match.group(1).translate(_US_ON_SPANISH)
    return None


def looks_like_ticket(text: str | None) -> bool:
    """True for what only a scanner types (a ticket URL, or a long token without spaces)."""
    text = (text or "").strip()
    return (
        "/t/" in text
        or bool(MISMATCHED_URL_RE.search(text))
        or (bool(TOKEN_RE.match(text)) and len(text) >= SCAN_MIN_LENGTH)
    )


def clean_desk_name(text: str | None) -> str | None:
    """The desk's name as stored ("Mesa 1"): single spaces, at most 40 characters; None if empty."""
    name = " ".join((text or "").split())[:DESK_NAME_MAX]
    return name or None


def search_words(text: str | None) -> list[str]:
    """The normalised words of a name search: every one must match (accents and case ignored)."""
    return normalize_name(text or "").split()


def document_prefix(text: str | None) -> str | None:
    """The document number the person is typing ("1.234.5" -> "12345"), or None when the text
    is not one (it has no digit, or characters a document never holds)."""
    number = normalize_document(text or "")
    if len(number) < 3 or not number.isalnum() or not any(c.isdigit() for c in number):
        return None
    return number.upper()


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest text above every text starting with ``prefix`` (digits and capital
    letters, as :func:`document_prefix` gives): "129" -> "13", "12A" -> "12B"; None for
    "999" or "ZZZ", which nothing is above.  Stays within digits and letters, so the order
    is the same in any collation."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        if last not in ("9", "Z"):
            return "".join(chars) + chr(ord(last) + 1)
    return None


def mask_document(number: str | None) -> str:
    """Only the last 3 characters, for screens that may not show document numbers."""
    number = number or ""
    return "•••" + number[-3:] if len(number) > 3 else "•••"


def local_hhmm(moment: datetime | None, zone: tzinfo) -> str:
    """'08:12' in the assembly's time zone, from a naive UTC timestamp as stored."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M")


def arrival_bucket_starts(
    now: datetime, *, minutes: int = ARRIVAL_BUCKET_MINUTES, span: int = ARRIVAL_SPAN_MINUTES
) -> list[datetime]:
    """The start of each arrivals bucket over the last ``span`` minutes, oldest first, aligned
    to the clock (08:00, 08:05, ...); the last bucket holds ``now``.  Naive UTC; a bucket ends
    where the next starts, the last one ``minutes`` after its start."""
    step = timedelta(minutes=minutes)
    count = span // minutes
    # Align to the local clock: Bogotá is a whole number of hours from UTC, so aligning the
    # UTC minute is the same as aligning the local one.
    last_start = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % minutes)
    return [last_start - step * (count - 1 - i) for i in range(count)]


def arrival_buckets_from_counts(
    starts: list[datetime], counts: dict[int, int], zone: tzinfo
) -> list[dict]:
    """The desk's arrivals chart from ``{bucket index: arrivals}`` (the database counts)."""
    return [
        {"start": local_hhmm(start, zone), "count": int(counts.get(i, 0))}
        for i, start in enumerate(starts)
    ]


def arrival_buckets(
    times: Iterable[datetime],
    now: datetime,
    zone: tzinfo,
    *,
    minutes: int = ARRIVAL_BUCKET_MINUTES,
    span: int = ARRIVAL_SPAN_MINUTES,
) -> list[dict]:
    """Arrivals per ``minutes`` over the last ``span`` minutes (see
    :func:`arrival_bucket_starts`), counted from the arrival times.  Times are naive UTC."""
    starts = arrival_bucket_starts(now, minutes=minutes, span=span)
    step = timedelta(minutes=minutes)
    counts: dict[int, int] = {}
    for moment in times:
        if moment is None or moment < starts[0] or moment >= starts[-1] + step:
            continue
        index = int((moment - starts[0]) // step)
        counts[index] = counts.get(index, 0) + 1
    return arrival_buckets_from_counts(starts, counts, zone)


def narrowed_by(words: list[str], *places: str | None) -> bool:
    """Every narrowing word starts a word of the organisation or the municipality."""
    haystack = " " + " ".join(normalize_name(p or "") for p in places)
    return all(f" {word}" in haystack for word in words)
