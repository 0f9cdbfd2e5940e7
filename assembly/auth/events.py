"""Socket.IO authentication: who is this socket, and which assemblies may it follow.

A socket authenticates once, on connect:
- staff through their log-in session (Flask-Login cookie);
- everyone else with a credential in the Socket.IO ``auth`` payload, e.g.
  ``io({auth: {table_code: "K7P2QX"}})`` or ``{ticket: "<token>"}`` or ``{board: 12}``.
  Each feature registers a checker for its credential kind with :func:`credential`.
The resulting identity (a plain dict that always names ``kind`` and ``assembly_id`` for
non-staff) is kept in the socket's private session copy; every handler checks it again
through :func:`current_identity` before acting.
"""

import logging
from collections.abc import Callable

from flask import session
from flask_babel import gettext as _
from flask_login import current_user

# python-socketio's (the builtin one reaches the client as a bare «Connection refused by server»,
# without our message or its data)
from flask_socketio import ConnectionRefusedError

from assembly.auth import scope, throttle
from assembly.auth.domain import Permission
from assembly.core import network, shared_reads
from assembly.core.sockets import guard
from assembly.errors import AssemblyError, RateLimited, as_domain_error
from assembly.extensions import db, socketio

log = logging.getLogger(__name__)

#: credential kind -> checker(value) returning an identity dict, or None when refused
_CHECKERS: dict[str, Callable[[object], dict | None]] = {}


def credential(kind: str):
    """Register ``checker(value) -> identity | None`` for ``auth={kind: value}`` sockets."""

    def decorator(checker):
        _CHECKERS[kind] = checker
        return checker

    return decorator


def current_identity() -> dict | None:
    """This socket's identity: ``{"kind": "staff", "user_id": ...}`` or a feature's dict."""
    if current_user.is_authenticated:
        return {"kind": "staff", "user_id": current_user.id}
    return session.get("socket_identity")


def identity_may_follow(identity: dict | None, assembly_id: int) -> bool:
    """Staff follow the assemblies they work on; other sockets only the assembly their
    credential is for."""
    if identity is None:
        return False
    if identity["kind"] == "staff":
        return current_user.can(Permission.VIEW_ASSEMBLY, assembly_id)
    return identity.get("assembly_id") == assembly_id


@guard
def _staff_scope(_name: str, payload) -> None:
    """A staff socket acts only on the assemblies its account works on: every event that
    names an ``assembly_id`` is checked here, before its handler."""
    assembly_id = getattr(payload, "assembly_id", None)
    if current_user.is_authenticated and isinstance(assembly_id, int):
        scope.ensure_access(assembly_id)


def refused_too_often() -> str:
    return _("Demasiados intentos con un código equivocado. Espere un minuto y vuelva a intentar.")


def check_credential(kind: str, value: object) -> dict | None:
    """The identity ``value`` opens for credential ``kind``, or None; failures are counted
    per address and per value (:mod:`assembly.auth.throttle`), so codes cannot be guessed.
    Raises :class:`RateLimited` while this address (or value) is blocked."""
    if throttle.blocked(kind, value):
        raise RateLimited(refused_too_often())
    checker = _CHECKERS.get(kind)
    try:
        identity = _checked(kind, checker, value) if checker else None
    finally:
        db.session.rollback()  # end the read before the socket does any I/O
    if identity is None:
        throttle.failed(kind, value)
    return identity


def _checked(kind: str, checker: Callable[[object], dict | None], value: object) -> dict | None:
    """``checker(value)``; the sockets connecting at the same moment with the same credential
    (500 boards after a restart, one token) share one read of it: one pooled connection for the
    storm, not one each (see :mod:`assembly.core.shared_reads`)."""
    if not isinstance(value, str):
        return checker(value)

    def check() -> dict | None:
        try:
            return checker(value)
        finally:
            db.session.rollback()  # the connection is back before the others are answered

    db.session.rollback()  # what the handler read so far (a staff account): wait holding nothing
    identity = shared_reads.read_once(("credential", kind, value), check)
    return dict(identity) if identity is not None else None


@socketio.on("connect")
def on_connect(auth=None):
    if current_user.is_authenticated:
        _count_in("staff")
        return True
    for kind, value in (auth or {}).items() if isinstance(auth, dict) else ():
        if kind not in _CHECKERS:
            continue
        try:
            identity = check_credential(kind, value)
        except RateLimited as error:
            raise ConnectionRefusedError(str(error)) from None
        except AssemblyError as error:
            # a refusal with a reason the client acts on (code_changed: ask for the new code)
            raise ConnectionRefusedError(str(error), {"code": error.code}) from None
        except Exception as error:
            # The database did not answer in time (every pooled connection busy in a reconnect
            # storm, or dropped): unanswered, the screen would wait for ever. A retryable
            # refusal tells it to connect again in a moment (static/js/shared/socket.js).
            refusal = as_domain_error(error)
            if refusal.code != "unavailable":
                raise  # a bug stays one (logged by the server), not a refusal to retry
            log.warning("socket connect (%s) refused for now: %s", kind, error)
            raise ConnectionRefusedError(
                refusal.message, {"code": refusal.code, "retry": True}
            ) from None
        if identity is not None:
            session["socket_identity"] = {"kind": kind, **identity}
            _count_in(kind)
            return True
        raise ConnectionRefusedError(_("La credencial no es válida o venció."))
    raise ConnectionRefusedError(_("Inicie sesión o use el código de su mesa para conectarse."))


def _count_in(kind: str) -> None:
    """Counted for «Red de la sala» until this socket disconnects."""
    session["presence_kind"] = kind
    network.presence.joined(kind)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    kind = session.get("presence_kind")
    if kind:
        network.presence.left(kind)
