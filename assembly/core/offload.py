"""CPU-bound pure work (the split's arithmetic over 50,000 people) computed where it does not
stall the server.

Under the gevent worker one process serves every request from one thread: a native thread of
gevent's pool would still share the interpreter's lock with the event loop, and a second of
arithmetic there held requests up to a second.  So :func:`off_loop` sends the work to a
separate PROCESS: one worker, started on first use with the "spawn" method (a fresh
interpreter: nothing of the server's sockets, greenlets or connections is inherited) and kept
for the next call.  The calling greenlet waits for the answer while the others run.

Only for pure work: no database, no app context, no lock of ours.  The function must be
importable by name (a module-level function) and its arguments and result are pickled on the
way, in the server's process: send plain values (tuples of numbers and strings, not 50,000
dataclasses, whose pickling alone costs a third of a second).

When no process can be started (or the worker dies), the work is computed in a native thread
of gevent's pool instead, with a logged warning: slower for the room, never a failure.  Outside
gevent (the test client, the CLI) it is simply computed here.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from typing import Any

import gevent
from gevent import monkey

from assembly.extensions import socketio

log = logging.getLogger(__name__)

_lock = threading.Lock()
#: (the process that started the pool, the pool): a forked worker never uses its parent's
_pool: tuple[int, ProcessPoolExecutor] | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            context = multiprocessing.get_context("spawn")
            _pool = (os.getpid(), ProcessPoolExecutor(max_workers=1, mp_context=context))
        return _pool[1]


def shutdown() -> None:
    """Stop the worker process, if this process started one (the next call starts another)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None and pool[0] == os.getpid():
        pool[1].shutdown(wait=True, cancel_futures=True)


def _wait(future: Future) -> Any:
    # Under monkey-patching the pool's own threads are greenlets and the future's condition
    # is gevent's: waiting on it lets the other greenlets run.  Unpatched, a native thread of
    # gevent's pool does the waiting.
    if monkey.is_module_patched("threading"):
        return future.result()
    return gevent.get_hub().threadpool.apply(future.result)


def _in_thread(fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    return gevent.get_hub().threadpool.apply(fn, args, kwargs)


def off_loop(fn: Callable[..., Any], *args, **kwargs) -> Any:
    """``fn(*args, **kwargs)``: in the worker process under gevent (this greenlet waits, the
    others run), here otherwise.  What ``fn`` raises is raised here."""
    if socketio.async_mode != "gevent":
        return fn(*args, **kwargs)
    try:
        future = _executor().submit(fn, *args, **kwargs)
    except (OSError, RuntimeError) as error:  # no process could be started
        log.warning("no worker process for %s (%s): computed in a thread", fn.__name__, error)
        shutdown()
        return _in_thread(fn, args, kwargs)
    try:
        return _wait(future)
    except BrokenExecutor as error:  # the worker died (killed, out of memory, failed to start)
        log.warning(
            "the worker process died during %s (%s): computed in a thread", fn.__name__, error
        )
        shutdown()
        return _in_thread(fn, args, kwargs)
