"""Asamblea: registration, mesas, live agenda and the solidarity puzzle of a regional assembly."""

import logging
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assembly import config as config_module
from assembly.core import retry
from assembly.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

PROJECT_ROOT = config_module.PROJECT_ROOT


def _blueprints():
    # One explicit list: what the app serves is read here, not discovered.
    from assembly.agenda import notes_routes  # noqa: F401
    from assembly.agenda.routes import bp as agenda_bp
    from assembly.assemblies.routes import bp as assemblies_bp
    from assembly.auth import audit_routes  # noqa: F401
    from assembly.auth.routes import bp as auth_bp
    from assembly.board.routes import bp as board_bp
    from assembly.core.routes import bp as core_bp
    from assembly.desk.routes import bp as desk_bp
    from assembly.followup import (
        lessons_routes,  # noqa: F401
        monitoring_routes,  # noqa: F401
        survey_routes,  # noqa: F401
    )
    from assembly.followup.routes import bp as followup_bp
    from assembly.grouping import roster_routes  # noqa: F401
    from assembly.grouping.routes import bp as grouping_bp
    from assembly.puzzle.routes import bp as puzzle_bp
    from assembly.registration import privacy_routes  # noqa: F401
    from assembly.registration import routes as registration_routes  # noqa: F401
    from assembly.registration.blueprint import bp as registration_bp
    from assembly.registration.imports import routes as import_routes  # noqa: F401
    from assembly.reports.routes import bp as reports_bp

    return [
        core_bp,
        auth_bp,
        assemblies_bp,
        desk_bp,
        agenda_bp,
        registration_bp,
        grouping_bp,
        board_bp,
        puzzle_bp,
        followup_bp,
        reports_bp,
    ]


def _socket_handlers():
    # The connect handler and the credentials first, then each package's events.
    from assembly.agenda import events as agenda_events  # noqa: F401
    from assembly.assemblies import events as assembly_events  # noqa: F401
    from assembly.auth import events as auth_events  # noqa: F401
    from assembly.board import events as board_events  # noqa: F401
    from assembly.desk import events as desk_events  # noqa: F401
    from assembly.followup import events as followup_events  # noqa: F401
    from assembly.grouping import events as grouping_events  # noqa: F401
    from assembly.puzzle import events as puzzle_events  # noqa: F401


def _signal_receivers():
    # Each package that reacts to a lower one's signals (ARCHITECTURE.md) connects here.
    from assembly.agenda import receivers as agenda_receivers  # noqa: F401
    from assembly.board import receivers as board_receivers  # noqa: F401
    from assembly.followup import receivers as followup_receivers  # noqa: F401
    from assembly.grouping import receivers as grouping_receivers  # noqa: F401
    from assembly.puzzle import receivers as puzzle_receivers  # noqa: F401
    from assembly.registration import receivers as registration_receivers  # noqa: F401


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, Socket.IO handlers."""
    app = Flask(
        __name__,
        instance_path=str(config_module.instance_dir()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=None,  # served by assembly.core.web under a versioned prefix
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings = config_module.load(Path(app.instance_path), test_config)
    app.config.from_mapping(config_module.flask_settings(settings))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    from assembly import models  # noqa: F401  (every table is known before the first query)

    db.init_app(app)
    retry.release_safely(app)  # after db.init_app: runs before its teardown
    _configure_sqlite(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True, render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Inicie sesión para continuar.")
    login_manager.login_message_category = "info"
    from assembly.core import queue, testclock, web

    testclock.announce(app.config)

    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "gevent"),
        **queue.socketio_options(app.config),
        # a callable, so the page's own origin (127.0.0.1 for the organiser, the LAN address
        # for the phones) and the configured ones are accepted; ([] would turn the check off)
        cors_allowed_origins=web.origin_check(app),
        ping_interval=20,
        ping_timeout=20,
        max_http_buffer_size=256 * 1024,
    )

    from assembly.errors import register_error_handlers

    web.init_app(app)
    web.trust_proxies(app)  # after Socket.IO wraps the app: the sockets see the real client too
    queue.init_app(app)

    register_error_handlers(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    retry.retry_reads(app)  # after the last route: a GET whose connection dropped runs again
    _socket_handlers()
    _signal_receivers()

    from assembly.desk import ticket_rules

    ticket_rules.register(app)  # the desk page's JS applies the desk's own patterns

    from assembly import cli, helpers
    from assembly.auth import access

    cli.register(app)
    helpers.register(app)
    access.register(app)
    if app.config["DEMO_ROOM_SECONDS"]:  # serve --demo: the simulated room keeps writing
        from assembly.demo import room

        room.start(app, float(app.config["DEMO_ROOM_SECONDS"]))
    return app


def _select_locale() -> str:
    if not has_request_context():  # a background job, the CLI: the configured language
        return current_app.config.get("DEFAULT_LOCALE") or "es"
    requested = request.args.get("lang")
    if requested in config_module.LANGUAGES:
        session["lang"] = requested
    chosen = session.get("lang")
    if chosen in config_module.LANGUAGES:
        return chosen
    return request.accept_languages.best_match(config_module.LANGUAGES) or "es"


def _configure_sqlite(app: Flask) -> None:
    """WAL lets readers go on while one connection writes; the busy timeout absorbs bursts."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    synchronous = str(app.config.get("SQLITE_SYNCHRONOUS") or "FULL").upper()
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise RuntimeError(
            f"ASSEMBLY_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA: {synchronous}"
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit is on disk before the acknowledgement leaves (NORMAL in WAL may lose
        # the last commits on a power cut, after the phone dropped them from its outbox).
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()


@login_manager.user_loader
def _load_user(reference: str):
    from assembly.auth import sessions

    # the first query of most requests: a dropped connection is retried here too
    return retry.once_more(sessions.load, reference)


__all__ = ["create_app", "current_user"]
