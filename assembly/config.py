"""Every configuration key, in one place.

Load order (later wins): the defaults below, ``instance/config.py`` if present, environment
variables ``ASSEMBLY_<KEY>`` (e.g. ``ASSEMBLY_DATABASE_URL``), then the test overrides given to
``create_app``.  The README lists the same keys for operators.
"""

import hashlib
import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    """The instance folder: ``ASSEMBLY_INSTANCE_DIR``, else ``instance/`` beside the code.

    Read before every other key, since ``config.py`` in it is one of their sources.
    """
    return Path(os.environ.get("ASSEMBLY_INSTANCE_DIR") or PROJECT_ROOT / "instance")


#: key -> (default, one-line description).  A default of None means "derived at start-up".
DEFAULTS: dict[str, tuple[object, str]] = {
    "ENV": (
        "development",
        "development or production; production refuses to start without SECRET_KEY",
    ),
    "SECRET_KEY": (None, "signs sessions and CSRF tokens; generated into instance/ in development"),
    "DATABASE_URL": (None, "SQLAlchemy URL; default sqlite:///instance/asamblea.db"),
    "DB_POOL_SIZE": (1, "connections kept for SQLite (1 avoids lock waits under gevent)"),
    "PG_POOL_SIZE": (10, "PostgreSQL connections kept open per process (see README: sizing)"),
    "PG_MAX_OVERFLOW": (15, "extra PostgreSQL connections a process may open under a burst"),
    "PG_POOL_TIMEOUT": (5, "seconds a request waits for a free connection, then 'unavailable'"),
    "PG_POOL_RECYCLE": (1800, "seconds after which a PostgreSQL connection is replaced"),
    "SQLITE_SYNCHRONOUS": (
        "FULL",
        "SQLite fsync policy in WAL: FULL survives a power cut after the acknowledgement",
    ),
    "REDIS_URL": ("", "redis://host:port/db: Socket.IO message queue and rate-limit storage"),
    "REDIS_CHANNEL": (
        "",
        "Socket.IO channel and rate-limit prefix; default derived from DATABASE_URL",
    ),
    "PUBLIC_URL": (
        "",
        "base URL printed in QR codes (e.g. http://192.168.1.10:5000); default: request host",
    ),
    "WORKER_CONNECTIONS": (
        2500,
        "connections the one gevent worker of `asamblea serve` holds: Socket.IO clients "
        "(phones, boards, desks) plus HTTP requests; 2,000 clients and room for page loads",
    ),
    "TLS_CERT": (
        "",
        "PEM certificate: `asamblea serve` speaks HTTPS (secure context: the service worker)",
    ),
    "TLS_KEY": ("", "the PEM private key of TLS_CERT"),
    "EXPORTS_DIR": (str(PROJECT_ROOT / "exports"), "where generated reports are written"),
    "SLIDES_DIR": ("", "where the projector's idle-mode images are kept; default instance/slides"),
    "LOGIN_RATE_LIMIT": ("10 per minute", "failed-login throttle per client address"),
    "PUBLIC_RATE_LIMIT": ("30 per minute", "throttle for the public registration form"),
    "SPLIT_JOB_FROM": (
        1000,
        "a split of at least this many people runs as a background job with a progress bar "
        "(smaller ones answer at once); 0: always in the background",
    ),
    "IMPORT_REVIEW_JOB_FROM": (
        1000,
        "an imported list of at least this many rows is reviewed by a background job with a "
        "progress bar (smaller ones at once); 0: always in the background",
    ),
    "BROADCAST_BATCH_MS": (
        50,
        "messages to one room within this many ms of its last one go out together at the end "
        "of the window, one frame per screen (0: each alone, at once)",
    ),
    "DESK_COUNTERS_DELAY_MS": (
        250,
        "desk counters: check-ins within this many ms share one broadcast (0: one per check-in)",
    ),
    "AUDIT_BATCH_MS": (
        1000,
        "audit lines of the tables' phones (a table's page or room shows its people's names) "
        "are written in one insert per this many ms (0: one per read)",
    ),
    "VOTE_TURNOUT_DELAY_MS": (
        250,
        "phone votes within this many ms share one broadcast of the board's count "
        "(0: one per vote)",
    ),
    "TIME_UP_GRACE_SECONDS": (
        30,
        "seconds the tables' phones may still send a step's pieces after its time runs out",
    ),
    "DEFAULT_LOCALE": ("es", "interface language (es, en)"),
    "DEMO_ADMIN_PASSWORD": ("asamblea-demo", "password of the demo admin created by --demo"),
    "SESSION_COOKIE_SECURE": (False, "set to true behind HTTPS"),
    "SESSION_IDLE_HOURS": (4, "a staff session ends after this many hours without a request"),
    "SESSION_MAX_HOURS": (14, "a staff session ends this many hours after the log-in"),
    "PSEUDONYM_KEY": (
        None,
        "key of the pseudonyms in shared exports (not the session key; keep it to compare "
        "files across assemblies and years); generated into instance/pseudonym_key if unset",
    ),
    "EXPORT_K": (5, "the pseudonymised export is k-anonymous: no combination of fewer people"),
    "RETENTION_DAYS": (
        365,
        "flask assembly retention erases the people of assemblies closed this many days ago",
    ),
    "TRUSTED_PROXIES": (
        0,
        "how many reverse proxies (nginx) stand in front: their X-Forwarded-For/-Proto/-Host "
        "are trusted (Werkzeug ProxyFix), so rate limits key on the real client; 0: none",
    ),
    "ALLOWED_ORIGINS": (
        "",
        "extra origins allowed to open the Socket.IO connection, comma-separated "
        "(the page's own origin and PUBLIC_URL's always are)",
    ),
    "CREDENTIAL_FAILURE_LIMIT": (
        "20 per minute",
        "failed table-code/ticket/board credentials allowed per client address (sockets)",
    ),
    "CREDENTIAL_VALUE_FAILURE_LIMIT": (
        "20 per minute",
        "failed attempts allowed per credential value (a code tried from many addresses)",
    ),
    "TEST_CLOCK_SPEED": (
        1.0,
        "rehearsal tests only: the agenda clock runs this many times faster than real time "
        "(assembly/core/testclock.py); 1 in every real deployment",
    ),
    "DEMO_ROOM_SECONDS": (
        0,
        "seconds between the pieces of the demo's simulated room (serve --demo sets 6; 0: off)",
    ),
}

LANGUAGES = ("es", "en")
#: the venue zone of an assembly that names none (Assembly.time_zone, helpers.venue_zone)
DEFAULT_TIME_ZONE = "America/Bogota"


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load(instance_path: Path, test_config: dict | None = None) -> dict:
    """Resolve the configuration for one app, in the documented order."""
    config = {key: default for key, (default, _doc) in DEFAULTS.items()}
    instance_file = instance_path / "config.py"
    if instance_file.exists():
        namespace: dict = {}
        exec(compile(instance_file.read_text(), str(instance_file), "exec"), namespace)
        config.update({k: v for k, v in namespace.items() if k in DEFAULTS})
    for key, (default, _doc) in DEFAULTS.items():
        raw = os.environ.get(f"ASSEMBLY_{key}")
        if raw is not None:
            config[key] = _coerce(raw, default if default is not None else "")
    config.update(test_config or {})

    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'asamblea.db'}"
    if not config["SECRET_KEY"]:
        if config["ENV"] != "development" and not config.get("TESTING"):
            raise RuntimeError(
                "ASSEMBLY_SECRET_KEY is required outside development "
                "(e.g. export ASSEMBLY_SECRET_KEY=$(python3 -c 'import secrets;print(secrets.token_hex(32))'))"
            )
        config["SECRET_KEY"] = _development_secret(instance_path)
    if not config["PSEUDONYM_KEY"]:
        config["PSEUDONYM_KEY"] = _development_secret(instance_path, "pseudonym_key")
    return config


def _development_secret(instance_path: Path, name: str = "secret_key") -> str:
    """A per-machine key kept in the instance folder, so sessions survive restarts."""
    key_file = instance_path / name
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


#: Redis connections one process's rate-limit storage may open (one per greenlet waiting on it;
#: 3 processes stay far below Redis's default maxclients of 10,000)
REDIS_MAX_CONNECTIONS = 1000


def flask_settings(config: dict) -> dict:
    """Translate our keys into the names Flask and its extensions read."""
    url = config["DATABASE_URL"]
    engine_options: dict = {}
    in_memory = url in {"sqlite://", "sqlite:///:memory:"}
    if url.startswith("sqlite") and not in_memory:
        engine_options = {"pool_size": config["DB_POOL_SIZE"], "max_overflow": 0}
    elif not in_memory:
        # Sized for one gevent process with 2,000 sockets; three processes fit in PostgreSQL's
        # default max_connections=100 with room to spare (README, "Sizing the pool").
        engine_options = {
            "pool_pre_ping": True,  # a connection dropped while idle is replaced at checkout
            "pool_size": int(config["PG_POOL_SIZE"]),
            "max_overflow": int(config["PG_MAX_OVERFLOW"]),
            "pool_timeout": float(config["PG_POOL_TIMEOUT"]),
            "pool_recycle": int(config["PG_POOL_RECYCLE"]),
        }
    channel = config.get("REDIS_CHANNEL") or redis_channel(url)
    return {
        **config,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "BABEL_DEFAULT_LOCALE": config["DEFAULT_LOCALE"],
        "REDIS_CHANNEL": channel,
        "RATELIMIT_STORAGE_URI": config["REDIS_URL"] or "memory://",
        # Redis down: limits are counted in this process's memory (the library logs a
        # warning) and go back to Redis when it answers again; a request never fails on it.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_KEY_PREFIX": channel,
        # redis-py's pool opens at most 100 connections by default: a storm of screens
        # reconnecting at once (every connect checks the credential throttle) went past it
        # and the throttle fell back to this process's memory (bench_room, 500 boards)
        "RATELIMIT_STORAGE_OPTIONS": {
            "socket_connect_timeout": 1,
            "socket_timeout": 2,
            "max_connections": REDIS_MAX_CONNECTIONS,
        }
        if config["REDIS_URL"]
        else {},
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # HTTPS deployments (a public URL on https) get Secure cookies without being told
        "SESSION_COOKIE_SECURE": bool(config["SESSION_COOKIE_SECURE"])
        or bool(config.get("TLS_CERT"))
        or str(config.get("PUBLIC_URL") or "").lower().startswith("https://"),
        "SESSION_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    }


def redis_channel(database_url: str) -> str:
    """One channel per installation: two installations sharing a Redis server (even on other
    DB numbers: Redis pub/sub ignores them) never see each other's messages."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    return f"asamblea-{digest}"
