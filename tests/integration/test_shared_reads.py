"""assembly/core/shared_reads.py: callers of one key share a read, never one older than their
question (the sharing itself under a storm: tests/integration/test_board_storm_pool.py)."""

import threading

import pytest

from assembly.core import shared_reads


def _in_thread(app, call):
    """``call()`` in a thread of its own with its own app context; its outcome in ``box``."""
    box = {}

    def run():
        with app.app_context():
            try:
                box["result"] = call()
            except Exception as error:
                box["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def test_a_question_asked_while_a_read_runs_gets_a_read_that_starts_after_it(app):
    started, go = threading.Event(), threading.Event()
    reads = []

    def read():
        reads.append(len(reads) + 1)
        if len(reads) == 1:  # the first read is in progress while the second caller asks
            started.set()
            assert go.wait(timeout=10)
        return reads[-1]

    first, first_box = _in_thread(app, lambda: shared_reads.read_once("clave", read))
    assert started.wait(timeout=10)
    second, second_box = _in_thread(app, lambda: shared_reads.read_once("clave", read))
    go.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert first_box == {"result": 1}
    assert second_box == {"result": 2}  # not the answer of the read already running
    assert reads == [1, 2]


def test_an_error_reaches_its_caller_and_the_next_caller_reads_again(app):
    answers = iter([RuntimeError("the read failed"), "fresh"])

    def read():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    with pytest.raises(RuntimeError, match="the read failed"):
        shared_reads.read_once("clave", read)
    assert shared_reads.read_once("clave", read) == "fresh"


def test_keys_asked_once_leave_nothing_behind(app):
    for ticket in range(50):  # every phone's own ticket: a key asked by one caller
        assert shared_reads.read_once(("credential", "ticket", ticket), lambda: None) is None
    assert app.extensions[shared_reads._EXTENSION].keys == {}
