"""One read for a crowd: callers asking the same question at the same moment share one read.

A storm of screens (500 boards reconnecting after a restart, ~170 on each of 3 processes) asks
the same questions at once: does this board token open a board, what are the board's revision
and counters.  Asked one by one, each needs a pooled connection, and under gevent a greenlet
holds its connection for every round trip while the loop serves the others' handshakes: the
pool runs dry and screens are refused with "busy, ask again".

:func:`read_once` gives every caller the answer of ONE run of ``read`` for its key, a run that
started after the caller asked, so the answer is as fresh as its own read would have been.
Runs of one key never overlap: while one runs, new callers gather for the next one, and
whoever gets the key's lock first runs it for all of them.  A storm thus holds at most one
connection per key, and the others wait holding none.

The answer must be plain data (the ORM objects of the run belong to the session of the caller
that ran it) and must release its connection before it returns.  An error reaches every caller
of its run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import current_app

_EXTENSION = "assembly.shared_reads"

T = TypeVar("T")


@dataclass
class _Run:
    finished: bool = False
    result: object = None
    error: Exception | None = None


@dataclass
class _Key:
    #: held while a run reads (a gevent lock under the gevent worker, which patches first)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: the run not started yet: new callers join it
    gathering: _Run | None = None
    #: callers holding this entry (it goes away with the last one)
    users: int = 0


@dataclass
class _Registry:
    guard: threading.Lock = field(default_factory=threading.Lock)
    keys: dict[Hashable, _Key] = field(default_factory=dict)


def _registry() -> _Registry:
    return current_app.extensions.setdefault(_EXTENSION, _Registry())


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``'s answer, from one run shared with every caller of ``key`` that asked before
    that run started."""
    registry = _registry()
    with registry.guard:
        entry = registry.keys.setdefault(key, _Key())
        entry.users += 1
        run = entry.gathering
        if run is None:
            run = entry.gathering = _Run()
    try:
        with entry.lock:
            if not run.finished:
                with registry.guard:
                    if entry.gathering is run:  # from now on, callers gather for the next run
                        entry.gathering = None
                try:
                    run.result = read()
                except Exception as error:  # given to every caller of the run
                    run.error = error
                run.finished = True
    finally:
        with registry.guard:
            entry.users -= 1
            if entry.users == 0:
                registry.keys.pop(key, None)
    if run.error is not None:
        raise run.error
    return run.result  # type: ignore[return-value]
