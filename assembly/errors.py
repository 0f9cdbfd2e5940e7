"""Domain errors and the one place that turns them into pages, JSON or acknowledgements.

Every refusal the app sends — a Socket.IO acknowledgement or a JSON HTTP error — is built by
:func:`refusal`::

    {"ok": false, "error": "<translated message>", "code": "<code>", "retry": <bool>,
     "fields": {"<field>": "<message>"}}

``code`` tells a client what to do without reading the message (the list is :data:`CODES`);
``retry`` says whether sending the same thing again later may succeed (a client keeps a
retryable write in its outbox, and puts a non-retryable one back in the form).
"""

import functools
import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from assembly.extensions import db
from assembly.marks import N_, Problem, said, stored

log = logging.getLogger(__name__)

#: every refusal code, and whether that kind of refusal is worth retrying by default
CODES = {
    "invalid": False,  # the input breaks a rule: fix it (``fields`` says where)
    "not_found": False,
    "forbidden": False,
    "conflict": False,  # the state does not allow it (already done, someone else did...)
    "closed": False,  # the assembly is closed: nothing of the day is written any more
    "time_up": False,  # the step's time ran out: keep it, it may be sent if the step reopens
    "frozen": False,  # the mesa's agenda was approved: only plenary amendments change it
    "code_changed": False,  # the table's join code was rotated: ask for the new one
    "rate_limited": True,
    "unavailable": True,  # the database or the message queue is unreachable right now
    "internal": True,  # a bug on our side; nothing was stored
}


class AssemblyError(Exception):
    """A rule of the domain was broken; ``message`` is shown to the person as is (translated).

    Subclasses give the HTTP ``status`` and the default ``code``; ``code`` and ``retry`` can be
    given per raise (``Conflict(_("..."), code="closed")``). A message that may be read later
    by somebody else, in another language (a background job's failure: ``core.jobs``), is
    given as a :class:`~assembly.marks.Problem` (``NotFound(Problem(N_("..."), n=3))``): the
    error then keeps its msgid and parameters (``said_later``) and ``message`` is said in the
    language of the moment, as a ``_()`` would."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        retry: bool | None = None,
    ):
        #: the message as the catalog's msgid and parameters (``marks.stored``), to be said
        #: again in a later reader's language; None when it was given already composed
        self.said_later = None
        if isinstance(message, Problem):
            self.said_later = stored(message)
            message = said(message, _)
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            if code not in CODES:
                raise ValueError(f"unknown refusal code {code!r}: add it to errors.CODES")
            self.code = code
        #: per-field messages for forms, imports and the phones' forms (a lazy text made a
        #: str; a str kept as it is: a form's Problem still knows its msgid, so the page can
        #: say it in its own language)
        self.fields = {
            key: value if isinstance(value, str) else str(value)
            for key, value in (fields or {}).items()
        }
        self.retry = CODES[self.code] if retry is None else retry


class InvalidInput(AssemblyError):
    status = 422
    code = "invalid"


def refuse_fields(errors: dict[str, str]) -> None:
    """Raise the form's refusal when ``errors`` (field -> Spanish message) is not empty: one
    message ("Revise los campos marcados." and each reason) and the fields to mark."""
    if errors:
        raise InvalidInput(
            _("Revise los campos marcados.") + " " + " ".join(errors.values()), fields=errors
        )


class NotFound(AssemblyError):
    status = 404
    code = "not_found"


class PermissionDenied(AssemblyError):
    status = 403
    code = "forbidden"


class Conflict(AssemblyError):
    status = 409
    code = "conflict"


class RateLimited(AssemblyError):
    status = 429
    code = "rate_limited"


class Unavailable(AssemblyError):
    """The database (or the queue) cannot be reached now; the same request may work later."""

    status = 503
    code = "unavailable"


class InternalError(AssemblyError):
    status = 500
    code = "internal"


def refusal(error: AssemblyError) -> dict:
    """THE refusal shape, for acknowledgements and JSON error bodies alike."""
    return {
        "ok": False,
        "error": error.message,
        "code": error.code,
        "retry": error.retry,
        "fields": dict(error.fields),
    }


def as_domain_error(error: Exception) -> AssemblyError:
    """Any exception as the refusal a person may see: domain errors as they are, a lost
    database connection or a full pool as ``unavailable``, anything else as ``internal`` (details stay in
    the log)."""
    if isinstance(error, AssemblyError):
        return error
    if isinstance(error, (OperationalError, DisconnectionError, PoolTimeout)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        # the database is unreachable, dropped the connection or every pooled one is busy
        return Unavailable(Problem(MESSAGES[503]))
    return InternalError(Problem(MESSAGES[500]))


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _error_response(status: int, title: str, error: AssemblyError):
    if wants_json():
        return jsonify(refusal(error)), status
    try:
        return render_template(
            "errors/error.html", status=status, title=title, message=error.message
        ), status
    except Exception:  # the page itself needs the database that just went away
        if status < 500:
            raise
        db.session.rollback()
        log.exception("the error page could not be rendered; plain answer sent")
        body = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
        return f"{body}<p>{escape(error.message)}</p>", status


TITLES = {
    400: _l("Solicitud no válida"),
    403: _l("No tiene permiso"),
    404: _l("No encontrado"),
    405: _l("Método no permitido"),
    409: _l("Conflicto"),
    413: _l("Archivo demasiado grande"),
    422: _l("Datos no válidos"),
    429: _l("Demasiados intentos"),
    500: _l("Error interno"),
    503: _l("Servicio no disponible"),
}

#: the catalog's msgids (``N_``): said where they are shown, or kept as a Problem
MESSAGES = {
    400: N_("La solicitud no se pudo procesar. Vuelva a intentarlo desde la página anterior."),
    403: N_("Su cuenta no tiene permiso para ver esta página."),
    404: N_("La página que busca no existe o fue movida."),
    405: N_("Esta dirección no acepta esa acción."),
    413: N_("El archivo supera el tamaño máximo permitido (20 MB)."),
    429: N_("Hizo demasiados intentos seguidos. Espere un minuto y vuelva a intentarlo."),
    500: N_("Algo falló de nuestro lado. Lo que envió no se guardó; intente de nuevo."),
    503: N_(
        "El servidor no puede guardar en este momento. Lo que envió no se perdió: intente de nuevo en unos segundos."
    ),
}

#: the refusal code of an HTTP status that has no domain error behind it
_HTTP_CODES = {403: "forbidden", 404: "not_found", 409: "conflict", 429: "rate_limited"}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AssemblyError)
    def handle_domain_error(error: AssemblyError):
        return _error_response(error.status, str(TITLES.get(error.status, _("Error"))), error)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        message = _(MESSAGES[status]) if status in MESSAGES else str(error.description)
        if status == 400 and "CSRF" in (error.description or ""):
            message = _(
                "El formulario venció o fue enviado dos veces. Recargue la página e intente de nuevo."
            )
        refused = AssemblyError(message, code=_HTTP_CODES.get(status, "invalid"))
        return _error_response(status, str(TITLES.get(status, _("Error"))), refused)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        # the page about the error may query (the signed-in user): start from a clean session,
        # on a fresh connection if this one was lost
        db.session.rollback()
        refused = as_domain_error(error)
        log.exception("unhandled error on %s", request.path)
        return _error_response(refused.status, str(TITLES[refused.status]), refused)


def acknowledge(handler):
    """Wrap a Socket.IO handler: its result becomes ``{"ok": true, ...}``; any error becomes
    :func:`refusal` (and the session's transaction is rolled back)."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            result = handler(*args, **kwargs) or {}
        except AssemblyError as error:
            db.session.rollback()
            return refusal(error)
        except Exception as error:
            db.session.rollback()
            answer = as_domain_error(error)
            if answer.code == "unavailable":
                # a full pool or a dropped connection: expected in a reconnect storm, and one
                # traceback per refused screen would only add to the load
                log.warning("socket handler %s: database unavailable (%s)", handler.__name__, error)
            else:
                log.exception("unhandled error in socket handler %s", handler.__name__)
            return refusal(answer)
        return {"ok": True, **result}

    return wrapper
