"""Domain errors and the one place that turns them into pages, JSON or acknowledgements."""

import functools
import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class AssemblyError(Exception):
    """A rule of the domain was broken; ``message`` is shown to the user as is (Spanish)."""

    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        #: per-field messages for forms and imports
        self.fields = fields or {}


class NotFound(AssemblyError):
    status = 404


class PermissionDenied(AssemblyError):
    status = 403


class Conflict(AssemblyError):
    status = 409


class InvalidInput(AssemblyError):
    status = 422


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _error_response(status: int, title: str, message: str, fields: dict | None = None):
    if wants_json():
        return jsonify(ok=False, error=message, fields=fields or {}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


TITLES = {
    400: "Solicitud no válida",
    403: "No tiene permiso",
    404: "No encontrado",
    405: "Método no permitido",
    409: "Conflicto",
    413: "Archivo demasiado grande",
    422: "Datos no válidos",
    429: "Demasiados intentos",
    500: "Error interno",
}

MESSAGES = {
    400: "La solicitud no se pudo procesar. Vuelva a intentarlo desde la página anterior.",
    403: "Su cuenta no tiene permiso para ver esta página.",
    404: "La página que busca no existe o fue movida.",
    405: "Esta dirección no acepta esa acción.",
    413: "El archivo supera el tamaño máximo permitido (20 MB).",
    429: "Hizo demasiados intentos seguidos. Espere un minuto y vuelva a intentarlo.",
    500: "Algo falló de nuestro lado. Lo que envió no se guardó; intente de nuevo.",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AssemblyError)
    def handle_domain_error(error: AssemblyError):
        return _error_response(
            error.status, _(TITLES.get(error.status, "Error")), error.message, error.fields
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        message = MESSAGES.get(status) or error.description
        if status == 400 and "CSRF" in (error.description or ""):
            message = _(
                "El formulario venció o fue enviado dos veces. Recargue la página e intente de nuevo."
            )
        return _error_response(status, _(TITLES.get(status, "Error")), _(message))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unhandled error on %s", request.path)
        return _error_response(500, _(TITLES[500]), _(MESSAGES[500]))


def acknowledge(handler):
    """Wrap a Socket.IO handler: its result becomes ``{"ok": true, ...}``, a domain error
    becomes ``{"ok": false, "error": "..."}`` for the client's acknowledgement callback."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        from assembly.extensions import db

        try:
            result = handler(*args, **kwargs) or {}
        except AssemblyError as error:
            db.session.rollback()
            return {"ok": False, "error": error.message, "fields": error.fields}
        except Exception:
            db.session.rollback()
            log.exception("unhandled error in socket handler %s", handler.__name__)
            return {"ok": False, "error": _(MESSAGES[500])}
        return {"ok": True, **result}

    return wrapper
