"""The Redis message queue between processes, and what happens when it goes away.

Redis is optional at run time: while it is down HTTP keeps working (rate limits count in
memory, see ``config.flask_settings``), ``/healthz`` answers ``"status": "degraded"`` and the
broadcasts made meanwhile are lost (python-socketio retries each once). When Redis answers
again, a watcher waits until every process that listened before has subscribed again, then
sends one ``resync`` to every socket: each screen joins again and gets a fresh snapshot.

Each installation has its own channel (``ASSEMBLY_REDIS_CHANNEL``, default derived from the
database URL): pub/sub ignores the Redis DB number, so two installations sharing one Redis
server would otherwise see each other's messages.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
import socketio as socketio_lib
from flask import Flask

from assembly.extensions import socketio

log = logging.getLogger(__name__)

#: how often the watcher pings Redis, and how long it waits for listeners to come back
WATCH_SECONDS = 2.0
RESUBSCRIBE_WAIT_SECONDS = 75.0  # python-socketio's listener backs off up to 60 s
_CLIENT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}

_watcher = {"started": False, "lock": threading.Lock()}


def socketio_options(config: dict) -> dict:
    """The Socket.IO server's queue: a Redis manager on this installation's channel."""
    url = config.get("REDIS_URL")
    if not url:
        return {}
    manager = socketio_lib.RedisManager(
        url,
        channel=config["REDIS_CHANNEL"],
        # No socket timeout: the listener blocks on reads; keepalive and health checks find a
        # dead connection instead.
        redis_options={
            "socket_connect_timeout": 2,
            "socket_keepalive": True,
            "health_check_interval": 10,
        },
    )
    return {"client_manager": manager}


def client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, **_CLIENT_OPTIONS)


def ping(url: str) -> bool:
    """Whether Redis answers now (at most ~1 s)."""
    try:
        connection = client(url)
        try:
            return bool(connection.ping())
        finally:
            connection.close()
    except redis.RedisError:
        return False


def status(config: dict) -> str:
    """``off`` (no Redis configured), ``ok`` or ``down``."""
    url = config.get("REDIS_URL")
    if not url:
        return "off"
    return "ok" if ping(url) else "down"


def init_app(app: Flask) -> None:
    """Start the watcher with the first request of a process that has a queue."""
    if not app.config.get("REDIS_URL"):
        return

    @app.before_request
    def _start_watcher():
        if _watcher["started"]:
            return
        with _watcher["lock"]:
            if _watcher["started"]:
                return
            _watcher["started"] = True
        socketio.start_background_task(watch, app.config["REDIS_URL"], app.config["REDIS_CHANNEL"])


def watch(url: str, channel: str) -> None:  # pragma: no cover - runs in the servers
    """Ping Redis; after an outage wait for the listeners, then resync every screen."""
    connection = client(url)
    log.info("watching the message queue on channel %s", channel)
    listeners = 0
    down_since: float | None = None
    while True:
        try:
            connection.ping()
            if down_since is None:
                listeners = _listeners(connection, channel)  # the processes listening now
            else:
                log.warning("Redis answers again after %.0f s", time.monotonic() - down_since)
                _wait_for_listeners(connection, channel, listeners)
                if connection.set(f"{channel}:resync", "1", nx=True, ex=10):
                    socketio.emit("resync", {})
                    log.warning("resync sent to every screen after the Redis outage")
                down_since = None
        except redis.RedisError as error:
            if down_since is None:
                down_since = time.monotonic()
                log.warning("Redis is unreachable (%s): broadcasts between processes wait", error)
        socketio.sleep(WATCH_SECONDS)


def _listeners(connection: redis.Redis, channel: str) -> int:
    counts = connection.pubsub_numsub(channel)
    return int(counts[0][1]) if counts else 0


def _wait_for_listeners(connection: redis.Redis, channel: str, expected: int) -> None:
    deadline = time.monotonic() + RESUBSCRIBE_WAIT_SECONDS
    while time.monotonic() < deadline and _listeners(connection, channel) < expected:
        socketio.sleep(0.5)
