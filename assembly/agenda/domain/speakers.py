"""The speakers list's rules: kinds, default durations, names.  Pure."""

from __future__ import annotations

#: kind -> default minutes: a talk of Moment 3 (10), a spokesperson in the plenary, the floor
SPEAKER_KINDS = {"talk": 10, "spokesperson": 5, "floor": 3}
SPEAKER_ACTIONS = ("add", "remove", "next", "finish")
NAME_MAX = 120
MAX_MINUTES = 60


def default_kind(step_kind: str | None, moment_kind: str | None) -> str:
    """The kind a new turn takes when the moderator does not say: a talk during a «talk»
    step, a spokesperson in the plenary, else the floor."""
    if step_kind == "talk":
        return "talk"
    if step_kind == "spokesperson" or moment_kind == "plenaria":
        return "spokesperson"
    return "floor"


def clean_name(value: object) -> str | None:
    name = " ".join(str(value or "").split())
    return name[:NAME_MAX] if name else None


def clean_minutes(value: object, kind: str) -> float | None:
    """The turn's minutes (default by kind); None when it is not a number in 0.5..60."""
    if value is None or str(value).strip() == "":
        return float(SPEAKER_KINDS[kind])
    try:
        minutes = float(str(value).replace(",", "."))
    except ValueError:
        return None
    if not 0.5 <= minutes <= MAX_MINUTES or minutes != minutes:
        return None
    return round(minutes * 2) / 2


def remaining_s(started_at: float | None, minutes: float, now: float) -> float:
    """Seconds left of a turn (negative past its time)."""
    if started_at is None:
        return minutes * 60
    return minutes * 60 - (now - started_at)
