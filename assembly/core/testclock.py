"""The agenda's time source, and the test clock that speeds it up for rehearsals.

The agenda clock (and ``/api/time``, which every screen measures its offset against) read
:func:`now`. In production it is ``time.time()``. A rehearsal test sets
``ASSEMBLY_TEST_CLOCK_SPEED`` (e.g. 120) so that the day's moments pass in seconds: the clock
then runs ``speed`` times faster than real time from the moment this process started. Only an
explicit setting turns it on; nothing else in the app reads it (stored timestamps, sessions,
rate limits stay on real time).
"""

import logging
import time

from flask import current_app, has_app_context

log = logging.getLogger(__name__)

#: real time at which the scaled clock and the real one agree (this process's start)
ANCHOR = time.time()


def scaled(real: float, anchor: float, speed: float) -> float:
    """Real epoch seconds on a clock that runs ``speed`` times faster from ``anchor``."""
    return anchor + (real - anchor) * speed


def speed() -> float:
    """How many seconds of agenda time pass per real second (1 unless a test set it)."""
    if not has_app_context():
        return 1.0
    return float(current_app.config.get("TEST_CLOCK_SPEED") or 1)


def now() -> float:
    """Now, in epoch seconds, as the agenda clock reads it."""
    factor = speed()
    real = time.time()
    return real if factor == 1 else scaled(real, ANCHOR, factor)


def announce(config) -> None:
    """Warn in the log when a server runs on the test clock (it must never do so by accident)."""
    factor = float(config.get("TEST_CLOCK_SPEED") or 1)
    if factor != 1:
        log.warning("TEST CLOCK: the agenda clock runs %s times faster than real time", factor)
