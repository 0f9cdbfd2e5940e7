"""The live agenda clock: pauses, extensions, skips, restarts, clock skew, plan vs actual."""

import json
import math
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembly.agenda import domain
from assembly.agenda.domain import (
    AgendaItem,
    ClockError,
    ClockState,
    MomentPlan,
    StepPlan,
)

COT = timezone(timedelta(hours=-5))  # Colombia, where the assemblies happen


def at(hour: int, minute: int, second: float = 0) -> float:
    """Epoch seconds of a time on the assembly day (Bogotá time)."""
    return datetime(2024, 5, 10, hour, minute, tzinfo=COT).timestamp() + second


def moments() -> list[MomentPlan]:
    """The afternoon of the methodology: Momento 3 and 4 with their steps, then 5."""
    day = datetime(2024, 5, 10, tzinfo=COT)
    talks = [StepPlan(31, "Asociación 1", 10), StepPlan(32, "Asociación 2", 10)]
    talks.append(StepPlan(33, "Asociación 3", 10))
    tables = [StepPlan(41, "Necesidades", 15), StepPlan(42, "Soluciones", 15)]
    tables += [StepPlan(43, "Plan de trabajo", 20), StepPlan(44, "Vocería", 5)]
    return [
        MomentPlan(3, "Momento 3 — Diálogo", day.replace(hour=14, minute=15), 30, talks),
        MomentPlan(4, "Momento 4 — Voces y apuestas", day.replace(hour=14, minute=45), 60, tables),
        MomentPlan(8, "Receso", day.replace(hour=15, minute=45), 15),
        MomentPlan(5, "Momento 5 — Plenaria y aprobación", day.replace(hour=16), 30),
    ]


@pytest.fixture
def items() -> list[AgendaItem]:
    # Slots: 0-2 talks (14:15, 14:25, 14:35), 3 needs 14:45, 4 solutions 15:00,
    # 5 work plan 15:15, 6 spokesperson 15:35-15:40, 7 receso 15:45 (5 min slack), 8 plenary 16:00.
    return domain.flatten(moments())


def running(items, now=None, position=0):
    return domain.start(items, ClockState(), at(14, 15) if now is None else now, position)


# --------------------------------------------------------------------------- agenda items


def test_flatten_makes_one_slot_per_step_with_stable_keys(items):
    keys = ["m3.s31", "m3.s32", "m3.s33", "m4.s41", "m4.s42", "m4.s43", "m4.s44", "m8", "m5"]
    assert [i.key for i in items] == keys
    assert items[3].title == "Necesidades"
    assert items[3].moment_title == "Momento 4 — Voces y apuestas"
    assert items[7].moment_title is None
    # Only the first step of a moment carries the moment's planned start.
    assert items[3].planned_start is not None and items[4].planned_start is None


def test_planned_times_follow_the_slot_before_until_the_next_anchor(items):
    times = domain.planned_times(items)
    assert times[1] == (at(14, 25), at(14, 35))
    assert times[6] == (at(15, 35), at(15, 40))
    assert times[7] == (at(15, 45), at(16, 0))  # anchored: the 5-minute gap stays


def test_planned_times_unknown_before_first_anchor():
    items = [AgendaItem("a", "A", None, 10), AgendaItem("b", "B", at(9, 0), 5)]
    assert domain.planned_times(items) == [(None, None), (at(9, 0), at(9, 5))]


def test_naive_datetime_is_utc_whatever_the_server_zone():
    naive = datetime(2024, 5, 10, 19, 15)
    assert domain.to_epoch(naive) == at(14, 15)
    assert domain.to_epoch(1.5) == 1.5
    assert domain.to_epoch(None) is None


def test_item_refuses_negative_minutes():
    with pytest.raises(ValueError):
        AgendaItem("a", "A", None, -1)


# --------------------------------------------------------------------------- running and pauses


def test_start_runs_the_first_slot_for_its_planned_duration(items):
    state = running(items)
    assert (state.status, state.position, state.key) == ("running", 0, "m3.s31")
    assert domain.remaining_s(state, at(14, 15)) == 600
    assert domain.remaining_s(state, at(14, 19, 55)) == 5 * 60 + 5
    assert domain.elapsed_s(state, at(14, 19, 55)) == 4 * 60 + 55
    assert not domain.is_overtime(state, at(14, 25))


def test_remaining_goes_negative_when_overtime(items):
    state = running(items)
    assert domain.remaining_s(state, at(14, 26, 30)) == -90
    assert domain.is_overtime(state, at(14, 26, 30))
    assert domain.format_mmss(domain.remaining_s(state, at(14, 26, 30))) == "-01:30"


def test_start_at_a_key_or_index(items):
    assert running(items, position="m4.s41").position == 3
    assert running(items, position=7).key == "m8"


def test_idle_and_finished_have_nothing_to_count():
    idle = ClockState()
    assert domain.remaining_s(idle, 1e9) == 0
    assert domain.elapsed_s(idle, 1e9) == 0
    assert not domain.is_overtime(idle, 1e9)


def test_pause_freezes_the_countdown(items):
    state = domain.pause(running(items), at(14, 18))
    assert state.status == "paused"
    assert domain.remaining_s(state, at(14, 18)) == 420
    assert domain.remaining_s(state, at(14, 50)) == 420  # hours later, still frozen
    assert not domain.is_overtime(state, at(18, 0))


def test_several_pauses_add_up(items):
    state = running(items)
    state = domain.pause(state, at(14, 17))
    state = domain.resume(state, at(14, 19))  # 2 min paused
    state = domain.pause(state, at(14, 20))
    state = domain.resume(state, at(14, 23, 30))  # 3.5 min paused
    assert state.paused_total_s == 330
    assert state.paused_at is None
    # 14:25 is 10 min after the start, minus 5.5 min of pauses: 4.5 min run, 5.5 left.
    assert domain.remaining_s(state, at(14, 25)) == 330
    assert domain.elapsed_s(state, at(14, 25)) == 270


def test_pause_and_resume_refuse_the_wrong_status(items):
    with pytest.raises(ClockError, match="Solo se puede pausar"):
        domain.pause(ClockState(), at(14, 0))
    paused = domain.pause(running(items), at(14, 16))
    with pytest.raises(ClockError, match="ya está en pausa"):
        domain.pause(paused, at(14, 17))
    with pytest.raises(ClockError, match="no está en pausa"):
        domain.resume(running(items), at(14, 16))


# --------------------------------------------------------------------------- extensions


def test_extend_adds_to_the_duration(items):
    state = domain.extend(running(items), at(14, 20), 5)
    state = domain.extend(state, at(14, 21), 1)
    assert state.duration_s == 16 * 60
    assert state.extended_s == 6 * 60
    assert domain.remaining_s(state, at(14, 21)) == 10 * 60


def test_extend_accepts_a_typed_fraction(items):
    state = domain.extend(running(items), at(14, 20), 2.5)
    assert domain.remaining_s(state, at(14, 20)) == 7.5 * 60


def test_extend_during_a_pause_stays_frozen(items):
    state = domain.pause(running(items), at(14, 24))
    state = domain.extend(state, at(14, 26), 5)
    assert domain.remaining_s(state, at(14, 30)) == 6 * 60
    state = domain.resume(state, at(14, 31))
    assert domain.remaining_s(state, at(14, 32)) == 5 * 60


def test_extend_when_overtime_adds_to_the_duration_not_to_now(items):
    state = running(items)
    assert domain.remaining_s(state, at(14, 28)) == -180
    state = domain.extend(state, at(14, 28), 5)
    assert domain.remaining_s(state, at(14, 28)) == 120


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (0, "más de 0"),
        (-5, "más de 0"),
        (181, "no puede pasar de 180"),
        (math.nan, "número de minutos"),
        (True, "número de minutos"),
        ("5", "número de minutos"),
    ],
)
def test_extend_refuses_bad_amounts(items, minutes, message):
    with pytest.raises(ClockError, match=message):
        domain.extend(running(items), at(14, 20), minutes)


def test_extend_accepts_exactly_the_maximum(items):
    state = domain.extend(running(items), at(14, 20), domain.MAX_EXTENSION_MINUTES)
    assert state.extended_s == 180 * 60


def test_extend_refuses_when_nothing_runs():
    with pytest.raises(ClockError, match="Solo se puede extender"):
        domain.extend(ClockState(), at(14, 0), 5)


# --------------------------------------------------------------------------- next, back, jump


def test_next_closes_the_run_and_starts_the_next_slot_fresh(items):
    state = domain.extend(running(items), at(14, 16), 2)
    state = domain.pause(state, at(14, 18))
    state = domain.resume(state, at(14, 19))
    state = domain.next_slot(items, state, at(14, 27))
    assert (state.status, state.position, state.key) == ("running", 1, "m3.s32")
    assert (state.started_at, state.duration_s, state.extended_s) == (at(14, 27), 600, 0)
    assert state.paused_total_s == 0 and state.paused_at is None
    assert state.history == (domain.SlotRun("m3.s31", at(14, 15), at(14, 27), 60, 120),)


def test_next_while_paused_counts_the_pause_up_to_now(items):
    state = domain.pause(running(items), at(14, 20))
    state = domain.next_slot(items, state, at(14, 23))
    assert state.history[-1].paused_s == 180


def test_skip_is_next(items):
    assert domain.skip is domain.next_slot


def test_next_after_the_last_slot_finishes_the_day(items):
    state = running(items, at(16, 0), position=len(items) - 1)
    state = domain.next_slot(items, state, at(16, 31))
    assert state.status == "finished"
    assert state.position is None and state.key is None and state.started_at is None
    assert state.history[-1] == domain.SlotRun("m5", at(16, 0), at(16, 31))
    assert domain.remaining_s(state, at(16, 40)) == 0
    with pytest.raises(ClockError, match="ya terminó"):
        domain.next_slot(items, state, at(16, 40))


def test_next_before_the_start_is_refused(items):
    with pytest.raises(ClockError, match="aún no ha comenzado"):
        domain.next_slot(items, ClockState(), at(14, 0))


def test_back_restarts_the_previous_slot_from_its_full_duration(items):
    state = running(items)
    state = domain.next_slot(items, state, at(14, 25))
    state = domain.back(items, state, at(14, 26))
    assert (state.position, state.started_at) == (0, at(14, 26))
    assert domain.remaining_s(state, at(14, 26)) == 600
    assert [run.key for run in state.history] == ["m3.s31", "m3.s32"]


def test_back_on_the_first_slot_is_refused(items):
    with pytest.raises(ClockError, match="primer momento"):
        domain.back(items, running(items), at(14, 16))


def test_back_after_finishing_restarts_the_last_slot(items):
    state = running(items, at(16, 0), position=8)
    state = domain.next_slot(items, state, at(16, 30))
    state = domain.back(items, state, at(16, 31))
    assert (state.status, state.position, state.key) == ("running", 8, "m5")
    assert domain.remaining_s(state, at(16, 31)) == 30 * 60


def test_jump_to_any_slot_by_index_or_key(items):
    state = domain.jump(items, running(items), at(14, 20), "m4.s43")
    assert (state.position, state.duration_s) == (5, 20 * 60)
    state = domain.jump(items, state, at(14, 22), 1)
    assert state.key == "m3.s32"
    assert [run.key for run in state.history] == ["m3.s31", "m4.s43"]


def test_jump_to_the_current_slot_restarts_it(items):
    state = domain.extend(running(items), at(14, 16), 5)
    state = domain.jump(items, state, at(14, 20), 0)
    assert (state.position, state.started_at, state.extended_s) == (0, at(14, 20), 0)
    assert domain.remaining_s(state, at(14, 20)) == 600


def test_jump_works_before_the_start_and_after_the_end(items):
    assert domain.jump(items, ClockState(), at(14, 0), 2).status == "running"
    finished = domain.next_slot(items, running(items, position=8), at(16, 30))
    assert domain.jump(items, finished, at(16, 35), "m8").key == "m8"


@pytest.mark.parametrize("target", [-1, 9, 99, "m99", "", True, 1.0, None])
def test_jump_to_an_unknown_slot_is_refused(items, target):
    with pytest.raises(ClockError, match="No existe ese momento o paso"):
        domain.jump(items, running(items), at(14, 20), target)


def test_start_refuses_a_running_clock_and_an_empty_agenda(items):
    with pytest.raises(ClockError, match="ya está en marcha"):
        domain.start(items, running(items), at(14, 16))
    with pytest.raises(ClockError, match="ya está en marcha"):
        domain.start(items, domain.pause(running(items), at(14, 16)), at(14, 17))
    with pytest.raises(ClockError, match="no tiene momentos"):
        domain.start([], ClockState(), at(14, 16))


def test_start_again_after_finishing_keeps_the_history(items):
    finished = domain.next_slot(items, running(items, position=8), at(16, 30))
    again = domain.start(items, finished, at(16, 35))
    assert again.position == 0 and len(again.history) == 1


def test_commands_on_a_stale_agenda_are_refused(items):
    state = running(items)
    with pytest.raises(ClockError, match="La agenda cambió"):
        domain.next_slot(list(reversed(items)), state, at(14, 20))
    with pytest.raises(ClockError, match="La agenda cambió"):
        domain.next_slot(items[1:], domain.jump(items, state, at(14, 20), 8), at(14, 21))


def test_every_change_bumps_the_version_and_reset_keeps_it_growing(items):
    state = running(items)
    versions = [state.version]
    for change in (
        lambda s: domain.pause(s, at(14, 16)),
        lambda s: domain.extend(s, at(14, 16), 1),
        lambda s: domain.resume(s, at(14, 17)),
        lambda s: domain.next_slot(items, s, at(14, 20)),
        domain.reset,
    ):
        state = change(state)
        versions.append(state.version)
    assert versions == [1, 2, 3, 4, 5, 6]
    assert state.status == "idle" and state.history == ()


# --------------------------------------------------------------------------- restart = reload


def test_to_dict_shape(items):
    state = domain.next_slot(items, running(items), at(14, 25))
    state = domain.pause(domain.extend(state, at(14, 26), 5), at(14, 30))
    assert state.to_dict() == {
        "status": "paused",
        "position": 1,
        "key": "m3.s32",
        "started_at": at(14, 25),
        "duration_s": 900.0,
        "extended_s": 300.0,
        "paused_at": at(14, 30),
        "paused_total_s": 0.0,
        "version": 4,
        "history": [
            {
                "key": "m3.s31",
                "actual_start": at(14, 15),
                "actual_end": at(14, 25),
                "paused_s": 0.0,
                "extended_s": 0.0,
            }
        ],
    }


def test_state_survives_a_server_restart_mid_run(items):
    state = domain.next_slot(items, running(items), at(14, 25))
    state = domain.pause(state, at(14, 27))
    state = domain.resume(state, at(14, 28))
    state = domain.extend(state, at(14, 29), 3)

    stored = json.dumps(state.to_dict())  # what the database keeps; the process dies here
    loaded = ClockState.from_dict(json.loads(stored))

    assert loaded == state
    for now in (at(14, 30), at(14, 40), at(14, 45)):
        assert domain.remaining_s(loaded, now) == domain.remaining_s(state, now)
    # And it goes on working as if nothing happened.
    loaded = domain.next_slot(items, loaded, at(14, 39))
    assert loaded.history[-1] == domain.SlotRun("m3.s32", at(14, 25), at(14, 39), 60, 180)


def test_a_paused_state_survives_a_restart(items):
    state = domain.pause(running(items), at(14, 20))
    loaded = ClockState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert domain.remaining_s(loaded, at(15, 0)) == 300
    assert domain.remaining_s(domain.resume(loaded, at(15, 0)), at(15, 1)) == 240


def test_from_dict_defaults_and_validation():
    assert ClockState.from_dict(None) == ClockState()
    assert ClockState.from_dict({}) == ClockState()
    assert ClockState.from_dict({"status": "idle", "version": 3}).version == 3
    with pytest.raises(ValueError):
        ClockState.from_dict({"status": "corriendo"})
    with pytest.raises(ValueError):
        ClockState.from_dict({"status": "running", "position": 0})
    with pytest.raises(ValueError):
        ClockState.from_dict({"status": "paused", "position": 0, "started_at": 1.0})


# --------------------------------------------------------------------------- clock skew


def test_clock_offset_with_symmetric_delays_is_exact():
    offset, rtt = domain.clock_offset(100.0, 280.1, 100.2)
    assert rtt == pytest.approx(0.2)
    assert offset == pytest.approx(180.0)


def test_clock_offset_error_is_at_most_half_the_round_trip():
    true_offset = 180.0
    # Request 300 ms on the way up (a congested 3G uplink), 20 ms back.
    t0 = 1000.0
    server_time = t0 + 0.3 + true_offset
    t1 = t0 + 0.3 + 0.02
    offset, rtt = domain.clock_offset(t0, server_time, t1)
    assert abs(offset - true_offset) <= rtt / 2
    assert offset - true_offset == pytest.approx(0.14)


def test_clock_offset_refuses_a_negative_round_trip():
    with pytest.raises(ValueError):
        domain.clock_offset(10.0, 5.0, 9.0)


def test_best_offset_picks_the_smallest_round_trip():
    samples = [(3.0, 0.9), (2.0, 0.05), (1.0, 0.4)]
    assert domain.best_offset(samples) == (2.0, 0.05)
    assert domain.best_offset(iter(samples)) == (2.0, 0.05)
    with pytest.raises(ValueError):
        domain.best_offset([])


def sample(client_error: float, true_time: float, up: float, down: float):
    """One /api/time round trip from a client whose clock is off by ``client_error`` s."""
    t0 = true_time + client_error
    server_time = true_time + up
    t1 = true_time + up + down + client_error
    return domain.clock_offset(t0, server_time, t1)


def test_a_phone_three_minutes_wrong_shows_the_right_remaining_time(items):
    state = domain.extend(running(items), at(14, 16), 2)  # 12 minutes in all
    phone_error = -180.0  # the phone's clock is 3 minutes behind
    samples = [
        sample(phone_error, at(14, 20, 0), 0.8, 0.1),  # slow, lopsided: off by 0.35 s
        sample(phone_error, at(14, 20, 1), 0.04, 0.03),  # the good one
        sample(phone_error, at(14, 20, 2), 0.2, 1.5),
    ]
    offset, rtt = domain.best_offset(samples)
    assert rtt == pytest.approx(0.07)

    true_now = at(14, 21, 7.25)
    phone_now = true_now + phone_error
    naive = domain.remaining_s(state, phone_now)  # trusting the phone's own clock
    corrected = domain.remaining_s(state, phone_now + offset)
    truth = domain.remaining_s(state, true_now)
    assert naive - truth == pytest.approx(180)
    assert abs(corrected - truth) <= rtt / 2
    assert domain.format_mmss(corrected) == domain.format_mmss(truth) == "05:53"


def test_two_screens_with_different_skews_agree_within_a_second(items):
    state = domain.pause(running(items), at(14, 17))
    state = domain.resume(state, at(14, 18))
    screens = [(-180.0, 0.05, 0.02), (42.5, 0.01, 0.3), (0.0, 0.2, 0.2)]
    offsets = [
        domain.best_offset([sample(err, at(14, 19), up, down)])[0] for err, up, down in screens
    ]
    for step in range(0, 900, 7):
        true_now = at(14, 19) + step + 0.37
        shown = [
            domain.remaining_s(state, true_now + err + off)
            for (err, _, _), off in zip(screens, offsets, strict=True)
        ]
        assert max(shown) - min(shown) < 1


# --------------------------------------------------------------------------- delay against plan


def test_on_time_when_the_slot_runs_as_planned(items):
    state = running(items, at(14, 15))
    assert domain.delay_minutes(items, state, at(14, 20)) == 0
    assert domain.format_delay(domain.delay_minutes(items, state, at(14, 20))) == "vamos a tiempo"


def test_a_late_start_is_the_delay(items):
    state = running(items, at(14, 27))
    assert domain.delay_minutes(items, state, at(14, 30)) == 12
    assert domain.format_delay(12) == "vamos 12 min tarde"


def test_extensions_and_pauses_add_to_the_delay(items):
    state = domain.extend(running(items), at(14, 16), 5)
    assert domain.delay_minutes(items, state, at(14, 16)) == 5
    state = domain.pause(state, at(14, 18))
    assert domain.delay_minutes(items, state, at(14, 21)) == 8  # 3 paused minutes


def test_overtime_makes_the_delay_grow_with_the_clock(items):
    state = running(items)
    assert domain.delay_minutes(items, state, at(14, 25)) == 0
    assert domain.delay_minutes(items, state, at(14, 29)) == 4


def test_skipping_ahead_makes_us_early(items):
    state = domain.next_slot(items, running(items), at(14, 22))
    assert domain.delay_minutes(items, state, at(14, 23)) == -3
    assert domain.format_delay(-3) == "vamos 3 min adelantados"


def test_delay_before_the_day_starts(items):
    assert domain.delay_minutes(items, ClockState(), at(14, 0)) == 0
    assert domain.delay_minutes(items, ClockState(), at(14, 25)) == 10


def test_delay_after_the_day_ends(items):
    state = domain.next_slot(items, running(items, at(16, 0), 8), at(16, 40))
    assert domain.delay_minutes(items, state, at(17, 0)) == 10


def test_no_planned_times_means_no_delay():
    items = [AgendaItem("a", "A", None, 10), AgendaItem("b", "B", None, 5)]
    state = domain.start(items, ClockState(), 1000.0)
    assert domain.delay_minutes(items, state, 5000.0) == 0
    assert domain.delay_minutes(items, ClockState(), 5000.0) == 0
    assert [row.projected_start for row in domain.projected_schedule(items, state, 1000.0)] == [
        1000.0,
        1600.0,
    ]


# --------------------------------------------------------------------------- projected schedule


def by_key(rows):
    return {row.key: row for row in rows}


def test_schedule_shifts_the_rest_of_the_day_by_the_delay(items):
    # Momento 4 "Necesidades" started 12 minutes late.
    state = domain.jump(items, ClockState(), at(14, 57), "m4.s41")
    rows = by_key(domain.projected_schedule(items, state, at(15, 0)))
    assert domain.delay_minutes(items, state, at(15, 0)) == 12
    assert rows["m4.s41"].status == "current"
    assert rows["m4.s41"].projected_end == at(15, 12)
    assert rows["m4.s42"].projected_start == at(15, 12)
    assert rows["m4.s44"].projected_end == at(15, 52)
    # The 5-minute slack before the receso absorbs 5 of the 12 minutes.
    assert rows["m8"].planned_start == at(15, 45)
    assert rows["m8"].projected_start == at(15, 52)
    assert rows["m5"].projected_start == at(16, 7)
    assert rows["m5"].projected_end == at(16, 37)


def test_small_delays_vanish_into_the_slack(items):
    state = domain.jump(items, ClockState(), at(14, 48), "m4.s41")
    rows = by_key(domain.projected_schedule(items, state, at(14, 50)))
    assert rows["m4.s44"].projected_end == at(15, 43)
    assert rows["m8"].projected_start == at(15, 45)  # on time again
    assert rows["m5"].projected_start == at(16, 0)


def test_being_early_never_pulls_an_anchored_slot_forward(items):
    state = domain.jump(items, ClockState(), at(14, 35), "m4.s41")  # 10 minutes early
    rows = by_key(domain.projected_schedule(items, state, at(14, 36)))
    assert rows["m4.s42"].projected_start == at(14, 50)  # steps follow each other
    assert rows["m8"].projected_start == at(15, 45)  # the receso keeps its time


def test_schedule_marks_done_skipped_current_pending_with_actuals(items):
    state = running(items)
    state = domain.next_slot(items, state, at(14, 26))
    state = domain.jump(items, state, at(14, 37), "m4.s41")  # the third talk is skipped
    rows = domain.projected_schedule(items, state, at(14, 40))
    assert [row.status for row in rows] == ["done", "done", "skipped", "current"] + 5 * ["pending"]
    assert (rows[0].actual_start, rows[0].actual_end) == (at(14, 15), at(14, 26))
    assert (rows[0].planned_start, rows[0].planned_end) == (at(14, 15), at(14, 25))
    assert rows[2].actual_start is None and rows[2].projected_start is None
    assert (rows[3].actual_start, rows[3].actual_end) == (at(14, 37), None)
    assert rows[3].projected_end == at(14, 52)
    assert rows[4].actual_start is None


def test_schedule_actuals_span_the_first_start_to_the_last_end(items):
    state = domain.next_slot(items, running(items), at(14, 25))
    state = domain.back(items, state, at(14, 27))  # the first talk runs again
    state = domain.next_slot(items, state, at(14, 30))
    rows = domain.projected_schedule(items, state, at(14, 31))
    assert (rows[0].actual_start, rows[0].actual_end) == (at(14, 15), at(14, 30))
    assert rows[1].status == "current"
    assert rows[1].actual_start == at(14, 25)  # its first run, before the back


def test_schedule_before_the_day_is_the_plan(items):
    rows = domain.projected_schedule(items, ClockState(), at(13, 0))
    assert all(row.status == "pending" for row in rows)
    assert [r.projected_start for r in rows] == [r.planned_start for r in rows]
    assert [r.projected_end for r in rows] == [r.planned_end for r in rows]


def test_schedule_after_the_day_is_what_happened(items):
    state = domain.next_slot(items, running(items, at(16, 0), 8), at(16, 35))
    rows = domain.projected_schedule(items, state, at(17, 0))
    assert [row.status for row in rows] == 8 * ["skipped"] + ["done"]
    assert rows[8].projected_end == rows[8].actual_end == at(16, 35)


def test_schedule_row_to_dict_is_json(items):
    rows = domain.projected_schedule(items, running(items), at(14, 20))
    data = json.loads(json.dumps([row.to_dict() for row in rows]))
    assert data[0]["key"] == "m3.s31" and data[0]["status"] == "current"
    assert list(data[0]) == [
        "position",
        "key",
        "title",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "projected_start",
        "projected_end",
    ]


# --------------------------------------------------------------------------- editing the agenda


def edited(changes=None, order=None, drop=()):
    """The afternoon agenda after an admin edit: step durations/titles, moment order, drops."""
    changes = changes or {}
    plans = moments()
    for plan in plans:
        plan.steps = [
            StepPlan(step.id, *changes.get(step.id, (step.title, step.planned_minutes)))
            for step in plan.steps
            if step.id not in drop
        ]
    if order:
        plans = [next(p for p in plans if p.id == moment_id) for moment_id in order]
    return domain.flatten(plans)


def test_reanchor_after_a_rename_changes_nothing(items):
    state = domain.jump(items, ClockState(), at(14, 45), "m4.s42")
    new_items = edited({42: ("Soluciones colectivas", 15)})
    assert domain.reanchor(state, items, new_items) is state


def test_reanchor_after_reorder_follows_the_running_slot(items):
    state = domain.extend(domain.jump(items, ClockState(), at(15, 0), "m4.s42"), at(15, 1), 5)
    state = domain.pause(state, at(15, 5))
    new_items = edited(order=[4, 3, 8, 5])  # Momento 4 now comes first
    moved = domain.reanchor(state, items, new_items)
    assert (moved.position, moved.key) == (1, "m4.s42")
    assert moved.started_at == state.started_at and moved.paused_at == state.paused_at
    assert domain.remaining_s(moved, at(15, 30)) == domain.remaining_s(state, at(15, 30))
    assert moved.version == state.version + 1
    # "Next" now follows the new order.
    moved = domain.resume(moved, at(15, 6))
    assert domain.next_slot(new_items, moved, at(15, 20)).key == "m4.s43"


def test_reanchor_keeps_extensions_when_the_running_duration_changes(items):
    state = domain.jump(items, ClockState(), at(15, 0), "m4.s42")
    state = domain.extend(state, at(15, 5), 5)  # 15 + 5
    new_items = edited({42: ("Soluciones", 25)})
    changed = domain.reanchor(state, items, new_items)
    assert (changed.duration_s, changed.extended_s) == (30 * 60, 5 * 60)
    assert changed.started_at == state.started_at
    assert domain.remaining_s(changed, at(15, 10)) == 20 * 60


def test_reanchor_when_a_step_before_the_running_one_is_removed(items):
    state = domain.jump(items, ClockState(), at(15, 0), "m4.s42")
    new_items = edited(drop={31})
    assert domain.reanchor(state, items, new_items).position == 3


def test_reanchor_refuses_to_remove_the_running_slot(items):
    state = domain.jump(items, ClockState(), at(15, 0), "m4.s42")
    with pytest.raises(ClockError, match="No se puede quitar"):
        domain.reanchor(state, items, edited(drop={42}))


def test_reanchor_leaves_idle_and_finished_clocks_alone(items):
    idle = ClockState()
    assert domain.reanchor(idle, items, edited(order=[5, 8, 4, 3])) is idle
    finished = domain.next_slot(items, running(items, position=8), at(16, 30))
    assert domain.reanchor(finished, items, edited(drop={31})) is finished


def test_reanchor_refuses_the_wrong_old_agenda(items):
    state = domain.jump(items, ClockState(), at(15, 0), "m4.s42")
    with pytest.raises(ClockError, match="La agenda cambió"):
        domain.reanchor(state, edited(order=[4, 3, 8, 5]), items)


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "vamos a tiempo"),
        (0.4, "vamos a tiempo"),
        (-0.49, "vamos a tiempo"),
        (0.5, "vamos 1 min tarde"),
        (12, "vamos 12 min tarde"),
        (12.2, "vamos 12 min tarde"),
        (-3, "vamos 3 min adelantados"),
        (-2.5, "vamos 3 min adelantados"),
    ],
)
def test_format_delay(minutes, text):
    assert domain.format_delay(minutes) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (845, "14:05"),
        (844.2, "14:05"),  # a countdown rounds up: 00:01 until it reaches zero
        (600, "10:00"),
        (599.9999999, "10:00"),  # float noise does not add a second
        (600.0000001, "10:00"),
        (0.2, "00:01"),
        (0, "00:00"),
        (-0.4, "00:00"),
        (-1, "-00:01"),
        (-90, "-01:30"),
        (-90.5, "-01:30"),
        (9000, "150:00"),
    ],
)
def test_format_mmss(seconds, text):
    assert domain.format_mmss(seconds) == text


def test_clock_error_carries_its_message():
    error = ClockError("El reloj no está en pausa.")
    assert error.message == str(error) == "El reloj no está en pausa."


# --------------------------------------------------------------------------- properties


commands = st.lists(
    st.tuples(
        st.sampled_from(["pause", "resume", "extend", "wait"]),
        st.floats(min_value=0.001, max_value=600, allow_nan=False),
    ),
    max_size=40,
)


@given(commands)
def test_remaining_is_duration_minus_time_actually_run(script):
    """Whatever the mix of pauses and extensions, remaining = planned + extended - run time."""
    items = [AgendaItem("a", "A", None, 10)]
    now = 1_700_000_000.0
    state = domain.start(items, ClockState(), now)
    run_time = extended = 0.0
    for command, amount in script:
        if command == "pause" and state.status == "running":
            state = domain.pause(state, now)
        elif command == "resume" and state.status == "paused":
            state = domain.resume(state, now)
        elif command == "extend":
            state = domain.extend(state, now, amount / 10)
            extended += amount * 6
        elif command == "wait":
            now += amount
            if state.status == "running":
                run_time += amount
        restored = ClockState.from_dict(json.loads(json.dumps(state.to_dict())))
        expected = 600 + extended - run_time
        assert domain.remaining_s(state, now) == pytest.approx(expected, abs=1e-6)
        assert domain.remaining_s(restored, now) == domain.remaining_s(state, now)


# --------------------------------------------------------------------------- clock.js mirrors it


CLOCK_JS = Path(__file__).parents[2] / "static" / "js" / "shared" / "clock.js"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_clock_js_computes_exactly_what_python_computes(items, tmp_path):
    # Imported where it is: static/package.json makes Node read it as the ES module it is.
    running_state = domain.extend(running(items), at(14, 16), 2)
    paused_state = domain.resume(domain.pause(running_state, at(14, 17)), at(14, 18))
    paused_state = domain.pause(paused_state, at(14, 20))
    finished = domain.next_slot(items, running(items, position=8), at(16, 30))
    states = [ClockState(), running_state, paused_state, finished]
    nows = [at(14, 14, 59.5), at(14, 16, 0.25), at(14, 27, 59.999), at(14, 40, 0.0004)]
    seconds = [845, 844.2, 599.9999999, 0.2, 0, -0.4, -0.0006, -1, -90.5, 9000]
    expected = {
        "remaining": [[domain.remaining_s(s, n) for n in nows] for s in states],
        "elapsed": [[domain.elapsed_s(s, n) for n in nows] for s in states],
        "format": [domain.format_mmss(x) for x in seconds],
        "offset": list(domain.clock_offset(1000.0, 1180.3, 1000.32)),
        "best": list(domain.best_offset([(3.0, 0.9), (2.0, 0.05), (1.0, 0.4)])),
    }
    script = f"""
    import {{ remainingAt, elapsedAt, formatMmss, clockOffset, bestOffset, createClock }}
      from "{CLOCK_JS.as_uri()}";
    const states = {json.dumps([s.to_dict() for s in states])};
    const nows = {json.dumps(nows)};
    const o = clockOffset(1000.0, 1180.3, 1000.32);
    const b = bestOffset(
      [{{ offset: 3, rtt: 0.9 }}, {{ offset: 2, rtt: 0.05 }}, {{ offset: 1, rtt: 0.4 }}],
    );
    // A screen whose clock is 3 minutes behind, talking to a fake /api/time
    // (10 ms up, 10 ms down).
    let trueNow = {nows[1]};
    const clock = createClock({{
      now: () => trueNow - 180,
      fetch: async () => {{
        trueNow += 0.01;
        const stamp = trueNow;
        trueNow += 0.01;
        return {{ json: async () => ({{ now: stamp }}) }};
      }},
    }});
    await clock.sync();
    clock.setState({{ ...states[1], server_now: trueNow }});
    const stale = clock.setState({{ ...states[0], version: 0 }});
    clock.stop();
    console.log(JSON.stringify({{
      remaining: states.map((s) => nows.map((n) => remainingAt(s, n))),
      elapsed: states.map((s) => nows.map((n) => elapsedAt(s, n))),
      format: {json.dumps(seconds)}.map(formatMmss),
      offset: [o.offset, o.rtt],
      best: [b.offset, b.rtt],
      screen: [trueNow, clock.remaining(), clock.format(clock.remaining()), stale],
    }}));
    """
    (tmp_path / "check.mjs").write_text(script, encoding="utf-8")
    result = subprocess.run(
        ["node", "check.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=30, check=True
    )
    got = json.loads(result.stdout)
    screen = got.pop("screen")
    assert got == expected
    true_now, shown, text, stale_accepted = screen
    truth = domain.remaining_s(states[1], true_now)
    assert shown == pytest.approx(truth, abs=1e-6)
    assert text == domain.format_mmss(truth)
    assert stale_accepted is False  # an older version is ignored
