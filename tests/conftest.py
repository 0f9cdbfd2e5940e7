"""Shared fixtures: one app per session, a clean database per test, factories, log-in helper.

The database is a temporary SQLite file unless ASSEMBLY_TEST_DATABASE_URL points elsewhere
(CI runs the whole suite a second time against PostgreSQL that way).
"""

import atexit
import itertools
import os
import secrets
import shutil
import tempfile
from datetime import date

import pytest
from flask_socketio import SocketIOTestClient
from hypothesis import settings
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from assembly import create_app
from assembly.core import coalesce
from assembly.extensions import db as _db
from assembly.extensions import socketio

# The suite's own instance folder (uploads, slides, generated keys), inherited by the servers it
# starts: a test run leaves nothing in the project's instance/ (create_app reads it when called).
if "ASSEMBLY_INSTANCE_DIR" not in os.environ:
    os.environ["ASSEMBLY_INSTANCE_DIR"] = tempfile.mkdtemp(prefix="asamblea-instance-")
    atexit.register(shutil.rmtree, os.environ["ASSEMBLY_INSTANCE_DIR"], ignore_errors=True)

# Hypothesis example counts: capped on CI ("ci"), the library's default locally ("dev"), and a
# long run on demand (HYPOTHESIS_PROFILE=long, e.g. with -m slow for the fuzzers). A test's own
# @settings(max_examples=...) still wins where it sets a smaller count for a slow property.
settings.register_profile("ci", max_examples=50, deadline=None)
settings.register_profile("dev", deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev")
)

TEST_PASSWORD = "clave-de-prueba-123"
# The laptop's LAN address as the tests see it (the machine's real interfaces would make printed
# URLs depend on where the suite runs); tests of the room's address set their own.
TEST_LAN_ADDRESS = "192.168.50.10"
_counter = itertools.count(1)


def _forget_loaded_user() -> None:
    """Each request and socket event loads its own user, as in production.

    The ``db`` fixture holds one app context for the whole test, and Flask reuses it for every
    request, so ``flask.g`` (where Flask-Login keeps the loaded user) would carry one client's
    user into another client's request: a facilitator's socket event ran as the organiser
    logged in just before. In production every request and event has its own app context."""
    from flask import g

    g.pop("_login_user", None)


def _fresh_user_per_call(method):
    def call(self, *args, **kwargs):
        _forget_loaded_user()
        return method(self, *args, **kwargs)

    return call


for _name in ("connect", "emit", "send"):
    setattr(SocketIOTestClient, _name, _fresh_user_per_call(getattr(SocketIOTestClient, _name)))


def pytest_collection_modifyitems(config, items):
    # Browser and service tests are heavy: run them last so a logic failure shows up first.
    order = {"unit": 0, "integration": 1, "browser": 2}
    items.sort(
        key=lambda item: next((v for k, v in order.items() if f"tests/{k}/" in str(item.path)), 1)
    )


@pytest.fixture(autouse=True)
def _room_lan_address(monkeypatch):
    from assembly.core import network

    monkeypatch.setattr(network, "lan_addresses", lambda: [TEST_LAN_ADDRESS])


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("ASSEMBLY_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-" + secrets.token_hex(8),
            "DATABASE_URL": database_url,
            "DB_POOL_SIZE": 5,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # the suite connects with many wrong codes from one address; tests of the
            # credential throttle lower these for their own duration
            "CREDENTIAL_FAILURE_LIMIT": "100000 per minute",
            "CREDENTIAL_VALUE_FAILURE_LIMIT": "100000 per minute",
            "SOCKETIO_ASYNC_MODE": "threading",
            # the tables' phones' audit lines at once (tests of the batching raise it)
            "AUDIT_BATCH_MS": 0,
            # every broadcast alone, at once (tests of the room batches raise it)
            "BROADCAST_BATCH_MS": 0,
            "REDIS_URL": "",
            "EXPORTS_DIR": str(tmp_path_factory.mktemp("exports")),
        }
    )
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_loaded_user)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    coalesce.cancel_pending(app)  # no late broadcast reads the tables once they are gone
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _wipe() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name != "postgresql":
        for table in tables:
            _db.session.execute(table.delete())
        _db.session.commit()
        return
    # A browser test's live server may still be finishing the page's last request (a socket's
    # disconnect, a beacon) when the test ends: TRUNCATE then waits on its locks, and PostgreSQL
    # may pick the TRUNCATE as the victim of a deadlock. That transaction finishes on its own,
    # so the wipe tries again rather than failing the next test (seen once in CI).
    names = ", ".join(t.name for t in tables)
    for attempt in itertools.count(1):
        try:
            _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            _db.session.commit()
            return
        except OperationalError as error:
            _db.session.rollback()
            if attempt == 5 or "deadlock" not in str(error.orig).lower():
                raise


@pytest.fixture(autouse=True)
def db(request):
    """An app context and an empty database for every test that uses the app."""
    if "app" not in request.fixturenames:
        yield None  # pure unit tests never build the app
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield _db
        _db.session.rollback()
        coalesce.cancel_pending(app)  # a test's delayed broadcasts never reach the next one
        _wipe()
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    from assembly.auth import services

    def make(role="admin", username=None, **kwargs):
        user = services.create_user(
            username=username or f"{role}{next(_counter)}",
            display_name=kwargs.pop("display_name", f"Persona {role}"),
            password=kwargs.pop("password", TEST_PASSWORD),
            role=role,
            # staff of every assembly unless a test scopes them (test_staff_scope does)
            all_assemblies=kwargs.pop("all_assemblies", not kwargs.get("assembly_ids")),
            assembly_ids=kwargs.pop("assembly_ids", ()),
        )
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_assembly(app, make_user):
    from assembly.assemblies import services

    def make(**overrides):
        raw = {
            **{k: str(v) for k, v in services.template_defaults().items()},
            "name": f"Asamblea de prueba {next(_counter)}",
            "date": date(2026, 3, 14).isoformat(),
            "region": "Orinoquía",
            "venue": "Coliseo",
            "department_code": "81",
            "municipality_code": "81001",
            **{k: str(v) for k, v in overrides.items()},
        }
        assembly = services.create_from_template(None, raw)
        _db.session.commit()
        return assembly

    return make


@pytest.fixture
def make_attendee(app):
    from assembly.registration.models import Attendee

    def make(assembly, **overrides):
        n = next(_counter)
        values = {
            "assembly_id": assembly.id,
            "ticket_token": secrets.token_urlsafe(24),
            "document_type": "CC",
            "document_number": str(10_000_000 + n),
            "first_names": f"Persona{n}",
            "last_names": "De Prueba",
            "name_key": f"persona{n} de prueba",
            "sex": "mujer",
            "ethnicity": "ninguno",
            "department_code": "81",
            "municipality_code": "81001",
            "consent_data": True,
            "source": "mesa",
            **overrides,
        }
        attendee = Attendee(**values)
        _db.session.add(attendee)
        _db.session.commit()
        return attendee

    return make


class Auth:
    def __init__(self, client, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, role_or_user="admin"):
        user = self.make_user(role_or_user) if isinstance(role_or_user, str) else role_or_user
        response = self.client.post(
            "/login", data={"username": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, make_user):
    return Auth(client, make_user)


@pytest.fixture
def run_jobs_inline(monkeypatch):
    """Background jobs run at once, in the request's thread (the test client has no gevent
    hub): the request that starts one returns when it has ended."""
    monkeypatch.setattr(socketio, "start_background_task", lambda fn, *args: fn(*args))


@pytest.fixture
def socket_client(app, client):
    """A Socket.IO test client sharing the Flask test client's cookies (its log-in)."""
    clients = []

    def connect(**kwargs):
        sio = socketio.test_client(app, flask_test_client=client, **kwargs)
        clients.append(sio)
        return sio

    yield connect
    for sio in clients:
        if sio.is_connected():
            sio.disconnect()
