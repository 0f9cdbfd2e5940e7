"""From stored moments and steps (naive wall-clock times) to the clock's slots, in Bogotá time."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from assembly.agenda import domain
from assembly.agenda.services import moment_plans

BOGOTA = ZoneInfo("America/Bogota")
DAY = date(2026, 3, 14)


def moment(id, position, title, start, end, kind="momento"):
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return SimpleNamespace(
        id=id, position=position, title=title, kind=kind,
        planned_start=start, planned_end=end, planned_minutes=minutes,
    )  # fmt: skip


def step(id, moment_id, position, title, minutes, kind="other"):
    return SimpleNamespace(
        id=id, moment_id=moment_id, position=position, title=title, minutes=minutes, kind=kind
    )


def afternoon():
    moments = [
        moment(7, 1, "Momento 3 — Diálogo de experiencias", time(14, 15), time(14, 45)),
        moment(8, 2, "Momento 4 — Voces y apuestas", time(14, 45), time(15, 45), "mesas"),
        moment(9, 3, "Receso", time(15, 45), time(16, 0), "receso"),
    ]
    # Steps arrive in any order (the query sorts by position only): plans sort them per moment.
    steps = [
        step(23, 8, 2, "Soluciones", 15, "solutions"),
        step(22, 8, 1, "Necesidades", 15, "needs"),
        step(24, 8, 3, "Plan de trabajo", 20, "plan"),
        step(25, 8, 4, "Vocería", 10, "spokesperson"),
        step(11, 7, 1, "Experiencia 1", 10, "talk"),
        step(12, 7, 2, "Experiencia 2", 10, "talk"),
        step(13, 7, 3, "Experiencia 3", 10, "talk"),
    ]
    return moments, steps


def test_moment_plans_give_aware_local_starts_and_ordered_steps():
    moments, steps = afternoon()
    plans = moment_plans(DAY, moments, steps, BOGOTA)
    assert [p.id for p in plans] == [7, 8, 9]
    assert plans[0].planned_start == datetime(2026, 3, 14, 14, 15, tzinfo=BOGOTA)
    assert plans[0].planned_start.utcoffset().total_seconds() == -5 * 3600
    assert [s.title for s in plans[1].steps] == [
        "Necesidades", "Soluciones", "Plan de trabajo", "Vocería",
    ]  # fmt: skip
    assert plans[1].planned_minutes == 60 and plans[2].steps == []


def test_flattened_slots_start_at_bogota_wall_clock_times_not_utc():
    moments, steps = afternoon()
    items = domain.flatten(moment_plans(DAY, moments, steps, BOGOTA))
    assert [i.key for i in items] == [
        "m7.s11", "m7.s12", "m7.s13", "m8.s22", "m8.s23", "m8.s24", "m8.s25", "m9",
    ]  # fmt: skip
    times = domain.planned_times(items)
    # 14:15 in Bogotá (UTC-5, no daylight saving) is 19:15 UTC.
    assert times[0][0] == datetime(2026, 3, 14, 19, 15, tzinfo=UTC).timestamp()
    assert times[3] == (
        datetime(2026, 3, 14, 19, 45, tzinfo=UTC).timestamp(),
        datetime(2026, 3, 14, 20, 0, tzinfo=UTC).timestamp(),
    )
    # The receso is anchored at its own 15:45 start.
    assert times[7][0] == datetime(2026, 3, 14, 20, 45, tzinfo=UTC).timestamp()


def test_delay_is_measured_against_local_plan():
    moments, steps = afternoon()
    items = domain.flatten(moment_plans(DAY, moments, steps, BOGOTA))
    # The first talk starts 12 minutes late (14:27 Bogotá = 19:27 UTC).
    late = datetime(2026, 3, 14, 19, 27, tzinfo=UTC).timestamp()
    state = domain.start(items, domain.ClockState(), late)
    assert round(domain.delay_minutes(items, state, late)) == 12
    assert domain.format_delay(domain.delay_minutes(items, state, late)) == "vamos 12 min tarde"
