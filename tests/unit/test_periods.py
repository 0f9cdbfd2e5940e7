"""The plan period and its quarters (assemblies/periods.py): the one format, the one list."""

from datetime import date
from types import SimpleNamespace

import pytest

from assembly.assemblies import periods
from assembly.assemblies.periods import Quarter


def assembly(day=date(2025, 5, 10), start=2025, end=2027):
    return SimpleNamespace(date=day, plan_start_year=start, plan_end_year=end)


def test_a_quarter_is_stored_one_way_and_shown_one_way():
    quarter = periods.parse(" 2025-t2 ")
    assert quarter == Quarter(2025, 2)
    assert quarter.value == "2025-T2"
    assert quarter.label == "T2 2025 (abr–jun)"
    assert quarter.last_day == date(2025, 6, 30)
    assert periods.label("2026-T4") == "T4 2026 (oct–dic)"


@pytest.mark.parametrize("text", ["", None, "2025-T5", "2025-T0", "T2 2025", "2025-06-30", 7])
def test_anything_else_is_not_a_quarter(text):
    assert periods.parse(text) is None


def test_old_free_text_is_shown_as_it_was_stored():
    assert periods.label("mañana") == "mañana"
    assert periods.label(None) == ""


def test_the_quarters_offered_start_at_the_assembly_date():
    offered = periods.offered(assembly())
    assert offered[0] == Quarter(2025, 2) and offered[-1] == Quarter(2027, 4)
    assert len(offered) == 11
    assert periods.choices(assembly())[0] == ("2025-T2", "T2 2025 (abr–jun)")
    assert periods.is_offered("2025-T2", assembly())
    assert not periods.is_offered("2025-T1", assembly())  # before the assembly
    assert not periods.is_offered("2028-T1", assembly())  # after the plan


def test_a_plan_that_starts_after_the_assembly_offers_all_its_quarters():
    offered = periods.offered(assembly(day=date(2023, 11, 10), start=2024, end=2026))
    assert len(offered) == 12 and offered[0] == Quarter(2024, 1)


def test_the_default_plan_is_the_three_years_after_the_assembly():
    assert periods.default_plan_years(date(2023, 8, 1)) == (2024, 2026)
    assert periods.period_label(assembly()) == "2025–2027"


def test_the_offered_labels_take_their_months_in_the_readers_language():
    english = {
        "ene–mar": "Jan–Mar",
        "abr–jun": "Apr–Jun",
        "jul–sep": "Jul–Sep",
        "oct–dic": "Oct–Dec",
    }
    offered = periods.choices(assembly(date(2026, 3, 14), 2024, 2026), english.get)
    assert offered == [
        ("2026-T1", "T1 2026 (Jan–Mar)"),
        ("2026-T2", "T2 2026 (Apr–Jun)"),
        ("2026-T3", "T3 2026 (Jul–Sep)"),
        ("2026-T4", "T4 2026 (Oct–Dec)"),
    ]
    # the values stay the stored ones, and without a translation the labels are the Spanish
    assert [v for v, _ in offered] == [
        q.value for q in periods.offered(assembly(date(2026, 3, 14), 2024, 2026))
    ]
    assert Quarter(2026, 2).label == "T2 2026 (abr–jun)"
