"""Spanish formatting of delays and countdowns."""

from __future__ import annotations

import math

# --------------------------------------------------------------------------- Spanish formatting


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def format_delay(minutes: float) -> str:
    """``"vamos 12 min tarde"``, ``"vamos 3 min adelantados"`` or ``"vamos a tiempo"``."""
    rounded = _round_half_up(abs(minutes))
    if rounded == 0:
        return "vamos a tiempo"
    return f"vamos {rounded} min {'tarde' if minutes > 0 else 'adelantados'}"


def format_mmss(seconds: float) -> str:
    """Countdown text: ``"14:05"``, ``"-01:30"`` when overtime, minutes not capped at 59.

    Rounds up to the whole second (a countdown shows 00:01 until it reaches zero), after
    snapping to the millisecond so float noise cannot add a second; clock.js does the same.
    """
    whole = math.ceil(math.floor(seconds * 1000 + 0.5) / 1000)
    sign = "-" if whole < 0 else ""
    minutes, secs = divmod(abs(whole), 60)
    return f"{sign}{minutes:02d}:{secs:02d}"
