"""Pure CPU work off the event loop (assembly/core/offload.py): under gevent it is computed in
a worker process of its own, what it raises is raised to the caller, and when no process can be
started or the worker dies the work is still done (in a thread) instead of failing."""

import logging
import os

import pytest

from assembly.core import offload
from tests.support import offload_work


@pytest.fixture
def under_gevent(app, monkeypatch):
    """off_loop as the gevent worker runs it (the test app runs Socket.IO in threading mode)."""
    monkeypatch.setattr(offload.socketio, "async_mode", "gevent")
    offload.shutdown()
    yield
    offload.shutdown()


def test_outside_gevent_the_work_is_computed_here(app, monkeypatch):
    monkeypatch.setattr(offload.socketio, "async_mode", "threading")
    assert offload.off_loop(offload_work.whose, 7) == (os.getpid(), 7)


def test_under_gevent_one_worker_process_computes_every_call(under_gevent):
    first_pid, value = offload.off_loop(offload_work.whose, {"a": (1, 2)})
    assert value == {"a": (1, 2)} and first_pid != os.getpid()
    again, _ = offload.off_loop(offload_work.whose, value=None)
    assert again == first_pid  # started once, kept for the next call


def test_what_the_work_raises_is_raised_to_the_caller(under_gevent):
    with pytest.raises(ValueError, match="mesa bloqueada"):
        offload.off_loop(offload_work.refuse, "mesa bloqueada")
    pid, _ = offload.off_loop(offload_work.whose, 1)
    assert pid != os.getpid()  # a refusal is not a broken worker: no fallback


def test_without_a_worker_process_the_work_is_computed_in_a_thread(
    under_gevent, monkeypatch, caplog
):
    def cannot_start():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(offload, "_executor", cannot_start)
    with caplog.at_level(logging.WARNING, logger="assembly.core.offload"):
        assert offload.off_loop(offload_work.whose, 3) == (os.getpid(), 3)
    assert "computed in a thread" in caplog.text


def test_a_worker_that_dies_is_replaced_and_its_work_done_in_a_thread(under_gevent, caplog):
    worker, _ = offload.off_loop(offload_work.whose, 0)
    with caplog.at_level(logging.WARNING, logger="assembly.core.offload"):
        assert offload.off_loop(offload_work.die_unless_in, os.getpid()) == os.getpid()
    assert "died" in caplog.text
    replacement, _ = offload.off_loop(offload_work.whose, 0)
    assert replacement not in (worker, os.getpid())
