"""Staff sessions end when they should: log-out, password change and deactivation end EVERY
session of the account; a session also ends after ``SESSION_IDLE_HOURS`` without a request and
``SESSION_MAX_HOURS`` after the log-in (longer than the assembly's day).

The session cookie names the account as ``"<id>:<session_version>"`` (``User.get_id``); the
loader refuses a reference whose version is not the account's current one, so bumping
``User.session_version`` ends every session at once, on every worker, without a session store.
"""

import time

from flask import current_app, session
from flask_login import login_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from assembly.auth.models import User
from assembly.extensions import db

#: the account of every staff request, with its grants in the same statement (every staff
#: route checks the account's scope; the relationship's own selectin load would be a second
#: round trip), built once with a bound id
_ACCOUNT = select(User).where(User.id == bindparam("user_id")).options(joinedload(User.grants))

_LOGIN_AT = "login_at"
_SEEN_AT = "seen_at"


def start(user: User) -> None:
    """Log ``user`` in on this browser, stamping the session's start."""
    login_user(user)
    now = int(time.time())
    session[_LOGIN_AT] = now
    session[_SEEN_AT] = now


def end_everywhere(user: User) -> None:
    """Every session of ``user`` (this one included) is refused from the next request on.
    Flushes; the caller's unit of work commits."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def _expired(now: int) -> bool:
    config = current_app.config
    login_at, seen_at = session.get(_LOGIN_AT), session.get(_SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True
    if now - login_at > float(config["SESSION_MAX_HOURS"]) * 3600:
        return True
    return now - seen_at > float(config["SESSION_IDLE_HOURS"]) * 3600


def load(reference: str) -> User | None:
    """Flask-Login's user loader: the account if the session is still current."""
    user_id, _, version = str(reference).partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None  # a session from before session versions: log in again
    user = db.session.scalars(_ACCOUNT, {"user_id": int(user_id)}).unique().one_or_none()
    if user is None or not user.active or user.session_version != int(version):
        return None
    now = int(time.time())
    if _expired(now):
        session.pop(_LOGIN_AT, None)
        session.pop(_SEEN_AT, None)
        return None
    if now - session[_SEEN_AT] >= 60:  # refresh the idle clock, at most once a minute
        session[_SEEN_AT] = now
    return user
