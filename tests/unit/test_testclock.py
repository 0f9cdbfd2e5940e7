"""The test clock: the agenda's time source runs faster only when a rehearsal sets it."""

from assembly import config
from assembly.core import testclock


def test_the_scaled_clock_agrees_at_its_anchor_and_runs_speed_times_faster():
    assert testclock.scaled(1000.0, 1000.0, 120) == 1000.0
    assert testclock.scaled(1002.5, 1000.0, 120) == 1300.0
    assert testclock.scaled(1002.5, 1000.0, 1) == 1002.5


def test_without_an_app_or_a_setting_it_is_real_time(monkeypatch):
    monkeypatch.setattr(testclock.time, "time", lambda: 1_715_369_100.25)
    assert testclock.speed() == 1.0
    assert testclock.now() == 1_715_369_100.25  # the real clock itself, unscaled
    assert config.DEFAULTS["TEST_CLOCK_SPEED"][0] == 1.0


def test_the_speed_comes_from_the_environment_as_a_number(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSEMBLY_TEST_CLOCK_SPEED", "90.5")
    assert config.load(tmp_path, {"SECRET_KEY": "x"})["TEST_CLOCK_SPEED"] == 90.5
    monkeypatch.delenv("ASSEMBLY_TEST_CLOCK_SPEED")
    assert config.load(tmp_path, {"SECRET_KEY": "x"})["TEST_CLOCK_SPEED"] == 1.0
