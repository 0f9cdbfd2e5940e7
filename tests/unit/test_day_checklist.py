"""The assembly page's checklist of the day (issue 20.4): in order, each with its state."""

from assembly.assemblies.domain import DAY_STEPS, day_checklist


def _states(**counts):
    status = counts.pop("status", "open")
    steps = day_checklist(has_venue=True, themes=5, moments=11, status=status, counts=counts)
    assert tuple(s.key for s in steps) == DAY_STEPS
    return {s.key: s.state for s in steps}


def test_a_new_assembly_points_at_the_registrations():
    assert _states(registered=0) == {
        "datos": "done",
        "agenda": "done",
        "inscripciones": "now",
        "mesas": "todo",
        "dia": "todo",
        "plenaria": "todo",
        "informes": "todo",
    }


def test_the_day_moves_the_current_step_along():
    assert _states(registered=300, tables=0)["mesas"] == "now"
    running = _states(registered=300, tables=25, clock="running", checked_in=250)
    assert running["mesas"] == "done" and running["dia"] == "now"
    plenary = _states(registered=300, tables=25, clock="finished", decided=2)
    assert plenary["dia"] == "done" and plenary["plenaria"] == "now"
    decided = _states(registered=300, tables=25, clock="finished", decided=5)
    assert decided["plenaria"] == "done" and decided["informes"] == "now"
    closed = _states(registered=300, tables=25, clock="running", decided=5, status="closed")
    assert set(closed.values()) == {"done"}


def test_exactly_one_step_is_current_until_all_are_done():
    for counts in ({}, {"registered": 1}, {"registered": 1, "tables": 3}):
        assert list(_states(**counts).values()).count("now") == 1
    missing_venue = day_checklist(has_venue=False, themes=0, moments=0, status="draft", counts={})
    assert [s.state for s in missing_venue][:2] == ["now", "todo"]
