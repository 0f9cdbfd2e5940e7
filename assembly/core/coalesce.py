"""One run per burst: work that many commits ask for, done once after them in a fresh read.

Live counters (the desk's check-ins, a phone vote's turnout) must show what every commit made,
and at 7:55 or during a vote several commits land within a second.  A count taken inside each
writer's own transaction can miss a concurrent one (on PostgreSQL each sees only what was
committed when it read), and one broadcast per write costs more than the write.  So the writer
calls :func:`coalesced` after its commit: the first call for a key schedules ``fn`` to run
``delay_ms`` later in a new app context (its own session, so it reads every commit made before
it ran); calls for the same key while it is pending share that run, and a call after the run
started schedules the next one, so the last commit of a burst is never left out.

The pending runs belong to their app (``app.extensions``): :func:`cancel_pending` drops them and
waits for one that is running, so a test app's tables never go away under a late broadcast.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import Flask, current_app

from assembly.extensions import db, socketio

log = logging.getLogger(__name__)

_EXTENSION = "assembly.coalesced"


@dataclass
class _Runs:
    # a gevent lock under the gevent worker (monkey-patched before this is created)
    lock: threading.Condition = field(default_factory=threading.Condition)
    pending: set[Hashable] = field(default_factory=set)
    running: int = 0
    #: grows at each cancel: a run scheduled before it finds a newer generation and does nothing
    generation: int = 0


def _runs(app: Flask) -> _Runs:
    return app.extensions.setdefault(_EXTENSION, _Runs())


def coalesced(key: Hashable, fn: Callable[[], None], delay_ms: int) -> None:
    """Run ``fn()`` once, ``delay_ms`` from now, for every call with ``key`` until it runs.
    Call it after the commit.  ``delay_ms`` 0: run it now, in the caller's context."""
    if not delay_ms:
        fn()
        return
    app = current_app._get_current_object()
    runs = _runs(app)
    with runs.lock:
        if key in runs.pending:
            return  # a run is on its way and will read this commit too
        runs.pending.add(key)
        generation = runs.generation
    socketio.start_background_task(_later, app, key, fn, delay_ms / 1000, generation)


def _later(app: Flask, key: Hashable, fn: Callable[[], None], delay_s: float, generation: int):
    socketio.sleep(delay_s)
    runs = _runs(app)
    with runs.lock:
        if runs.generation != generation:
            return  # cancelled (its app is being torn down)
        runs.pending.discard(key)  # commits from now on ask for a new run
        runs.running += 1
    try:
        with app.app_context():
            try:
                fn()
            finally:
                db.session.remove()
    except Exception:
        log.exception("delayed run %r failed", key)
    finally:
        with runs.lock:
            runs.running -= 1
            runs.lock.notify_all()


def cancel_pending(app: Flask, timeout: float = 10) -> None:
    """Drop the app's scheduled runs and wait (up to ``timeout`` s) for those running."""
    runs = _runs(app)
    with runs.lock:
        runs.generation += 1
        runs.pending.clear()
        runs.lock.wait_for(lambda: runs.running == 0, timeout)
