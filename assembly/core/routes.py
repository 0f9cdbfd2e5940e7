"""Home, health, the server clock, the service worker and its offline page."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from assembly.core import divipola, offline, queue, testclock
from assembly.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """Staff land on the assemblies list; everyone else on the log-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("assemblies.index"))
    return redirect(url_for("auth.login"))


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the root scope (assembly/core/offline.py, static/sw.js)."""
    return offline.worker_response()


@bp.route("/offline")
def offline_page():
    """What the service worker shows for a page asked for with no network and not kept."""
    return render_template("errors/offline.html")


@bp.route("/api/time")
def server_time():
    """The server's clock, for clients to measure their offset (see static/js/clock.js);
    ``speed`` is 1 except on a rehearsal's test clock (assembly/core/testclock.py)."""
    response = jsonify(now=testclock.now(), speed=testclock.speed())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def health():
    """Liveness probe for a reverse proxy: ``ok``; ``degraded`` while the message queue is
    down (HTTP still works, screens resync when it is back); 503 ``down`` without database."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(ok=False, status="down", database="down", queue="unknown"), 503
    queue_status = queue.status(current_app.config)
    response = jsonify(
        ok=True,
        status="degraded" if queue_status == "down" else "ok",
        database="ok",
        queue=queue_status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/divipola/<department_code>")
def municipalities(department_code: str):
    """Municipalities of a department (DANE DIVIPOLA), for the dependent select of every form."""
    rows = divipola.municipalities(department_code)
    response = jsonify(municipalities=[{"code": code, "name": name} for code, name in rows])
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
