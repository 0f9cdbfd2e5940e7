"""One more try when the database connection dropped under idempotent work.

A PostgreSQL connection can be killed mid-query (a restart, a failover, an administrator's
``pg_terminate_backend``). ``pool_pre_ping`` replaces connections that died while idle; this
covers the one that dies in use: a read (GET/HEAD page, a ``join_*`` snapshot) or a write keyed
by the client's UUID (``submit_piece``) runs once more on a fresh connection. Any other write
is not repeated: it reaches the error handlers as ``unavailable`` (503, retry true), never a
500, and the client keeps it in its outbox.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import Flask, request
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from assembly.extensions import db

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: socket events that only read or write keyed by the client's UUID (besides every join_*)
IDEMPOTENT_EVENTS = frozenset({"submit_piece"})


def dropped(error: BaseException) -> bool:
    """The database connection was lost (SQLAlchemy already invalidated it)."""
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def idempotent_event(name: str) -> bool:
    return name.startswith("join_") or name in IDEMPOTENT_EVENTS


def once_more(run: Callable, *args, **kwargs):
    """``run(...)``; if the connection dropped under it, roll back and run it once more."""
    try:
        return run(*args, **kwargs)
    except DBAPIError as error:
        if not dropped(error):
            raise
        log.warning(
            "database connection lost during %s; trying once more",
            getattr(run, "__name__", "a query"),
        )
        db.session.rollback()
        return run(*args, **kwargs)


def retry_reads(app: Flask) -> None:
    """Wrap every view: a GET/HEAD whose connection dropped runs once more."""
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _retrying(view)


def _retrying(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(*args, **kwargs)
        return once_more(view, *args, **kwargs)

    return wrapper


def release_safely(app: Flask) -> None:
    """Give the connection back at the end of every request and socket event without letting a
    connection lost since the last statement turn a finished answer into a 500: the rollback
    of ``session.remove()`` fails on it; the pool has invalidated it, so drop the session.

    Registered after Flask-SQLAlchemy's own teardown, so it runs first (Flask runs them in
    reverse)."""

    @app.teardown_appcontext
    def _release(_error=None):
        try:
            db.session.remove()
        except SQLAlchemyError as error:
            log.warning("database connection lost while releasing it: %s", error.__class__.__name__)
            try:
                db.session.remove()
            except SQLAlchemyError:
                log.exception("could not release the database session")
