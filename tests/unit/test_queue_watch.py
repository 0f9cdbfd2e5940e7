"""The queue watcher notices every outage, even a restart shorter than its interval."""

import pytest
import redis

from assembly.core import queue


class FakeRedis:
    """What the watcher asks Redis: its run_id and how many processes listen on the channel."""

    def __init__(self, listeners=2):
        self.up = True
        self.run_id = "first"
        self.listeners = listeners

    def info(self, section):
        assert section == "server"
        if not self.up:
            raise redis.ConnectionError("Connection refused")
        return {"run_id": self.run_id}

    def pubsub_numsub(self, channel):
        return [(channel.encode(), self.listeners)]

    def restart(self, *, listeners_back=0):
        self.run_id += "-again"
        self.listeners = listeners_back


def _look(watch, connection):
    try:
        return watch.look(connection)
    except redis.RedisError as error:
        watch.unreachable(error)
        return False


def test_a_restart_between_two_looks_resyncs_once_every_listener_is_back():
    connection, watch = FakeRedis(listeners=2), queue.Watch("asamblea-x")
    assert not _look(watch, connection)
    connection.restart(listeners_back=0)  # faster than one look: never seen down
    assert not _look(watch, connection), "the resync would reach nobody yet"
    connection.listeners = 1
    assert not _look(watch, connection)
    connection.listeners = 2
    assert _look(watch, connection)
    assert not _look(watch, connection), "one resync per outage"


def test_an_outage_seen_down_resyncs_when_the_listeners_are_back():
    connection, watch = FakeRedis(listeners=3), queue.Watch("asamblea-x")
    assert not _look(watch, connection)
    connection.up = False
    assert not _look(watch, connection) and watch.down_since is not None
    connection.up = True
    connection.restart(listeners_back=3)
    assert _look(watch, connection)
    assert watch.down_since is None


def test_a_watcher_started_during_the_outage_waits_for_its_own_listener():
    connection, watch = FakeRedis(listeners=0), queue.Watch("asamblea-x")
    connection.up = False
    assert not _look(watch, connection)
    connection.up = True
    assert not _look(watch, connection)
    connection.listeners = 1
    assert _look(watch, connection)


def test_a_process_that_never_comes_back_delays_the_resync_but_does_not_stop_it(monkeypatch):
    connection, watch = FakeRedis(listeners=3), queue.Watch("asamblea-x")
    assert not _look(watch, connection)
    connection.restart(listeners_back=2)  # one of the three processes was stopped meanwhile
    assert not _look(watch, connection)
    now = queue.time.monotonic()
    monkeypatch.setattr(queue.time, "monotonic", lambda: now + queue.RESUBSCRIBE_WAIT_SECONDS + 1)
    assert _look(watch, connection)
    assert watch.listeners == 2


@pytest.mark.parametrize("listeners", [0, 1, 4])
def test_no_outage_no_resync(listeners):
    connection, watch = FakeRedis(listeners=listeners), queue.Watch("asamblea-x")
    assert not any(_look(watch, connection) for _ in range(5))
