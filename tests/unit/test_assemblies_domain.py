from datetime import date, time

from assembly.assemblies import template
from assembly.assemblies.domain import (
    clean_assembly,
    clean_moment,
    clean_step,
    clean_theme,
    parse_time,
)
from assembly.core.ordering import moved


def _raw(**overrides):
    return {
        "name": "Asamblea PIT Arauca",
        "date": "2026-03-14",
        "capacity": "500",
        "table_size": "20",
        "plan_start_year": "2024",
        "plan_end_year": "2026",
        "agreement_line": template.AGREEMENT_LINE,
        **overrides,
    }


def test_a_complete_assembly_is_clean():
    clean, errors = clean_assembly(_raw(venue="  Coliseo  "))
    assert errors == {}
    assert clean["date"] == date(2026, 3, 14)
    assert clean["capacity"] == 500 and clean["venue"] == "Coliseo"


def test_every_bad_assembly_field_gets_a_spanish_message():
    _, errors = clean_assembly(
        _raw(
            name="",
            date="14/03/2026",
            capacity="mil",
            table_size="2",
            plan_end_year="2020",
            agreement_line=" ",
        )
    )
    assert set(errors) == {
        "name",
        "date",
        "capacity",
        "table_size",
        "plan_end_year",
        "agreement_line",
    }
    assert "AAAA-MM-DD" in errors["date"]
    assert "anterior" in errors["plan_end_year"]


def test_the_template_is_the_methodology_day():
    assert len(template.THEMES) == 5
    assert template.MOMENTS[0].start == time(7, 30) and template.MOMENTS[-1].end == time(16, 30)
    moment3 = next(m for m in template.MOMENTS if m.title.startswith("Momento 3"))
    assert [s.minutes for s in moment3.steps] == [10, 10, 10]
    moment4 = next(m for m in template.MOMENTS if m.title.startswith("Momento 4"))
    assert [(s.kind, s.minutes) for s in moment4.steps][:3] == [
        ("needs", 15),
        ("solutions", 15),
        ("plan", 20),
    ]
    assert moment4.steps[-1].kind == "spokesperson"


def test_moment_times_must_be_ordered():
    _, errors = clean_moment({"title": "X", "planned_start": "10:00", "planned_end": "09:30"})
    assert "posterior" in errors["planned_end"]
    clean, errors = clean_moment(
        {"title": "X", "planned_start": "8:00", "planned_end": "8:30", "kind": "receso"}
    )
    assert errors == {} and clean["planned_start"] == time(8, 0)
    assert parse_time("25:00") is None and parse_time("ocho") is None


def test_step_and_theme_checks():
    assert "minutos" in clean_step({"title": "Necesidades", "minutes": "0"})[1]["minutes"]
    assert clean_step({"title": "Necesidades", "minutes": "15", "kind": "needs"})[1] == {}
    assert "título" in clean_theme({"title": ""})[1]["title"]


def test_moved_clamps_at_both_ends():
    assert moved(["a", "b", "c"], 0, -1) == ["a", "b", "c"]
    assert moved(["a", "b", "c"], 0, 1) == ["b", "a", "c"]
    assert moved(["a", "b", "c"], 2, 5) == ["a", "b", "c"]
