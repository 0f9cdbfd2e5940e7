"""The agenda clock and /api/time read the test clock; real deployments stay on real time."""

import time

import pytest

from assembly.agenda import services as agenda
from assembly.core import testclock


def test_api_time_is_real_time_with_speed_one_by_default(client):
    body = client.get("/api/time").get_json()
    assert body["speed"] == 1.0
    assert body["now"] == pytest.approx(time.time(), abs=2)


def test_a_rehearsal_speed_moves_the_agenda_clock_and_api_time(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TEST_CLOCK_SPEED", 3600)
    body = client.get("/api/time").get_json()
    assert body["speed"] == 3600
    # an hour of agenda time per real second since the process started
    assert body["now"] > time.time() + 60
    real = [testclock.ANCHOR + 10.0]
    monkeypatch.setattr(testclock.time, "time", lambda: real[0])
    first = agenda._now(None)
    real[0] += 0.5  # half a real second is half an hour of the agenda
    assert agenda._now(None) - first == pytest.approx(1800)
