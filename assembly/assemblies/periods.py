"""The plan period and its quarters: the ONE place that parses or formats a quarter.

A work-plan commitment says *when* with a quarter, stored as ``"2025-T2"`` and shown as
``"T2 2025 (abr–jun)"``. The quarters offered go from the quarter of the assembly's date to
the end of its plan period (``plan_start_year``–``plan_end_year``, the methodology's
"proyección 2024–2026"). Pure module: plain values in, plain values out (no Flask, no models:
anything with ``date``, ``plan_start_year`` and ``plan_end_year`` attributes is an assembly).
The phones offer :func:`choices` as the page's data (``table_state``): no screen builds or
parses a quarter of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assembly.marks import N_

_STORED = re.compile(r"^(\d{4})-T([1-4])$")
MONTHS = (N_("ene–mar"), N_("abr–jun"), N_("jul–sep"), N_("oct–dic"))
_LAST_DAY = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
#: how many calendar years after the assembly's year a new plan covers by default
DEFAULT_PLAN_YEARS = 3


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @property
    def value(self) -> str:
        """As stored: ``"2025-T2"``."""
        return f"{self.year}-T{self.number}"

    @property
    def label(self) -> str:
        """As shown everywhere: ``"T2 2025 (abr–jun)"`` (the Spanish of the official reports)."""
        return self.label_in(str)

    def label_in(self, translate: Callable[[str], str]) -> str:
        """The label with its months through ``translate`` (a gettext): ``"T2 2025 (Apr–Jun)"``."""
        return f"T{self.number} {self.year} ({translate(MONTHS[self.number - 1])})"

    @property
    def last_day(self) -> date:
        month, day = _LAST_DAY[self.number]
        return date(self.year, month, day)


def parse(text: object) -> Quarter | None:
    """A stored (or typed: case and blanks ignored) quarter, or None."""
    match = _STORED.match(str(text or "").strip().upper())
    return Quarter(int(match.group(1)), int(match.group(2))) if match else None


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def label(value: object) -> str:
    """A stored quarter's label; anything else (an old free-text or ISO date) as it is."""
    quarter = parse(value)
    return quarter.label if quarter else str(value or "")


def plan_years(assembly) -> tuple[int, int]:
    return assembly.plan_start_year, assembly.plan_end_year


def period_label(assembly) -> str:
    """``"2024–2026"``."""
    start, end = plan_years(assembly)
    return f"{start}–{end}"


def default_plan_years(assembly_date: date) -> tuple[int, int]:
    """The plan a new assembly starts with: the three calendar years after its own year (the
    2023 assembly of the methodology planned 2024–2026)."""
    return assembly_date.year + 1, assembly_date.year + DEFAULT_PLAN_YEARS


def offered(assembly) -> list[Quarter]:
    """Every quarter a commitment may take: from the quarter of the assembly's date (or the
    start of the plan, whichever is later) to the end of the plan period."""
    start_year, end_year = plan_years(assembly)
    first = max(Quarter(start_year, 1), quarter_of(assembly.date))
    return [
        quarter
        for year in range(start_year, end_year + 1)
        for number in range(1, 5)
        if (quarter := Quarter(year, number)) >= first
    ]


def choices(assembly, translate: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """``offered`` as (value, label) pairs for a select, the months through ``translate``."""
    return [(q.value, q.label_in(translate)) for q in offered(assembly)]


def is_offered(value: object, assembly) -> bool:
    quarter = parse(value)
    return quarter is not None and quarter in offered(assembly)
