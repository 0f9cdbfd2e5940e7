"""The Redis message queue between processes, and what happens when it goes away.

Redis is optional at run time: while it is down HTTP keeps working (rate limits count in
memory, see ``config.flask_settings``), ``/healthz`` answers ``"status": "degraded"`` and the
broadcasts made meanwhile are lost (python-socketio retries each once). When Redis answers
again, or answers as a restarted server (an outage shorter than the interval between looks),
each process's watcher waits until every process that listened before has subscribed again,
then sends ``resync`` to its own sockets: each screen joins again and gets a fresh snapshot.

Each installation has its own channel (``ASSEMBLY_REDIS_CHANNEL``, default derived from the
database URL): pub/sub ignores the Redis DB number, so two installations sharing one Redis
server would otherwise see each other's messages.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

import socketio as socketio_lib
from flask import Flask

from assembly.extensions import socketio

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

#: how often the watcher looks at Redis, and how long it waits for listeners to come back
WATCH_SECONDS = 2.0
RECOVERY_SECONDS = 0.5  # while waiting for the listeners to subscribe again
RESUBSCRIBE_WAIT_SECONDS = 75.0  # python-socketio's listener backs off up to 60 s
_CLIENT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}

_watcher = {"started": False, "lock": threading.Lock()}


def socketio_options(config: dict) -> dict:
    """The Socket.IO server's queue: a Redis manager on this installation's channel."""
    url = config.get("REDIS_URL")
    if not url:
        return {}
    redis_library()  # a clear error now rather than a listener failing in the background
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


def redis_library():
    """The Redis client library: an optional dependency (``pip install "asamblea[redis]"``),
    loaded only by an installation that configures a queue, so one laptop runs without it."""
    try:
        import redis  # optional: only an installation with a queue needs it
    except ImportError as error:
        raise RuntimeError(
            'ASSEMBLY_REDIS_URL is set but the Redis client is not installed: pip install "asamblea[redis]"'
        ) from error
    return redis


def client(url: str) -> redis.Redis:
    return redis_library().Redis.from_url(url, **_CLIENT_OPTIONS)


def ping(url: str) -> bool:
    """Whether Redis answers now (at most ~1 s)."""
    try:
        connection = client(url)
        try:
            return bool(connection.ping())
        finally:
            connection.close()
    except redis_library().RedisError:
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
    """Look at Redis every few seconds; after an outage resync every screen (``Watch``)."""
    connection = client(url)
    log.info("watching the message queue on channel %s", channel)
    state = Watch(channel)
    while True:
        try:
            if state.look(connection):
                # this process's own sockets, straight (each process resyncs its own: no
                # message of the resync itself can be lost on a queue still recovering)
                socketio.emit("resync", {}, ignore_queue=True)
                log.warning("resync sent to this process's screens after the Redis outage")
        except redis_library().RedisError as error:
            state.unreachable(error)
        socketio.sleep(RECOVERY_SECONDS if state.down_since is not None else WATCH_SECONDS)


class Watch:
    """What one process's watcher knows about the queue between two looks.

    An outage is Redis not answering a look, or answering with another ``run_id`` than at the
    last look: a restart shorter than the interval between looks loses the messages published
    meanwhile and every listener's subscription just as a long one does (a watcher that only
    pinged never noticed it, and the screens stayed stale). After an outage the resync waits
    until as many processes listen as before (their listeners back off up to 60 s), so no
    message a screen gets after its fresh snapshot can be lost any more."""

    def __init__(self, channel: str):
        self.channel = channel
        #: processes subscribed to the channel at the last look before the outage
        self.listeners = 0
        #: the Redis server's run_id at the last look (changes when it restarts)
        self.run_id: str | None = None
        #: monotonic time the outage was noticed; None while the queue is fine
        self.down_since: float | None = None

    def unreachable(self, error: Exception) -> None:
        if self.down_since is None:
            self.down_since = time.monotonic()
            log.warning("Redis is unreachable (%s): broadcasts between processes wait", error)

    def look(self, connection: redis.Redis) -> bool:
        """One look at Redis (raises ``RedisError`` when it does not answer); True when the
        outage is over and this process's screens should resync now."""
        run_id = connection.info("server")["run_id"]
        restarted = self.run_id is not None and run_id != self.run_id
        self.run_id = run_id
        if restarted and self.down_since is None:
            self.down_since = time.monotonic()
            log.warning("Redis restarted between two looks: the messages meanwhile are lost")
        if self.down_since is None:
            self.listeners = _listeners(connection, self.channel)  # the processes listening now
            return False
        waited = time.monotonic() - self.down_since
        # at least this process's own listener (a watcher that started during the outage)
        if _listeners(connection, self.channel) < max(self.listeners, 1) and (
            waited < RESUBSCRIBE_WAIT_SECONDS
        ):
            return False  # look again soon: a process has not subscribed again yet
        log.warning("Redis answers again after %.0f s", waited)
        self.down_since = None
        self.listeners = _listeners(connection, self.channel)
        return True


def _listeners(connection: redis.Redis, channel: str) -> int:
    counts = connection.pubsub_numsub(channel)
    return int(counts[0][1]) if counts else 0
