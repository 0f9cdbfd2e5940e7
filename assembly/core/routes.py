"""Home, health and the server clock."""

import time

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from sqlalchemy import text

from assembly.core import divipola
from assembly.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """Staff land on the assemblies list; everyone else on the log-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("assemblies.index"))
    return redirect(url_for("auth.login"))


@bp.route("/api/time")
def server_time():
    """The server's clock, for clients to measure their offset (see static/js/clock.js)."""
    response = jsonify(now=time.time())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def health():
    """Liveness probe for a reverse proxy."""
    db.session.execute(text("SELECT 1"))
    return jsonify(ok=True)


@bp.route("/api/divipola/<department_code>")
def municipalities(department_code: str):
    """Municipalities of a department (DANE DIVIPOLA), for the dependent select of every form."""
    rows = divipola.municipalities(department_code)
    response = jsonify(municipalities=[{"code": code, "name": name} for code, name in rows])
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
