"""The plain data the split reads and writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

#: When dealing a mesa onto its tables, a person looks at no more than this many tables of
#: each fill level, so that a huge mesa of tiny tables stays O(n) (any of them would do).
_WINDOW = 48


@dataclass(frozen=True)
class Person:
    """What the split needs to know about one attendee."""

    id: int
    preferred_theme: int | None = None  #: a theme id
    organization: str | None = None  #: normalised key; None = no organisation
    sex: str | None = None
    age_range: str | None = None
    municipality: str | None = None  #: DIVIPOLA code
    leader_candidate: bool = False  #: knows the PIT and took part before


def person_rows(people: Iterable[Person]) -> list[tuple]:
    """Each person as a plain tuple of its fields, in order: what crosses to another process
    cheaply (pickling 50,000 frozen dataclasses costs ten times as much)."""
    return [
        (
            p.id, p.preferred_theme, p.organization, p.sex, p.age_range, p.municipality,
            p.leader_candidate,
        )
        for p in people
    ]  # fmt: skip


def people_of(rows: Iterable[tuple]) -> list[Person]:
    """The people back from :func:`person_rows`."""
    return [Person(*row) for row in rows]


@dataclass(frozen=True)
class Settings:
    """How to split: the themes (one mesa each), the capacity of a table, the random seed."""

    theme_ids: tuple[int, ...]
    table_size: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.theme_ids:
            raise ValueError("at least one theme is needed")
        if len(set(self.theme_ids)) != len(self.theme_ids):
            raise ValueError("theme ids must be unique")
        if self.table_size < 1:
            raise ValueError("table size must be at least 1")


@dataclass
class TablePlan:
    """One sub-table: its mesa's theme, its 1-based number in the mesa, members, leader."""

    theme_id: int
    number: int
    members: list[int]  #: person ids, ascending
    leader: int | None = None  #: a leader candidate among the members, or None


@dataclass(frozen=True)
class Quality:
    """How well a split met the soft goals (see the field comments for each figure)."""

    people: int
    tables_count: int
    #: % of people with a valid preferred theme seated in it (100.0 when nobody has one).
    preference_pct: float
    #: worst share of one organisation among one table's members, 0..1 (0 = no organisations).
    max_org_share: float
    #: people above their organisation's ceil(n_org / tables) cap, summed over tables.
    org_excess: int
    #: tables whose leader is a leader candidate; leaders_possible = min(tables, candidates).
    leaders_found: int
    leaders_possible: int
    #: leaders_found / tables_count * 100 (0.0 without tables).
    leaders_pct: float
    #: mean over tables of the total-variation distance (0 = same mix as the room, 1 = disjoint)
    #: between the table's and the whole room's distribution of sex, age range, municipality.
    sex_deviation: float
    age_deviation: float
    municipality_deviation: float


@dataclass
class SplitResult:
    """The tables, ordered by theme (as in the settings) then number, and their quality."""

    tables: list[TablePlan]
    quality: Quality

    def assignment(self) -> dict[int, tuple[int, int]]:
        """Person id → (theme id, table number)."""
        return {pid: (t.theme_id, t.number) for t in self.tables for pid in t.members}


@dataclass(frozen=True)
class TableSeat:
    """An existing table as seen at check-in, for :func:`place_late_arrival`."""

    theme_id: int
    number: int
    members: tuple[Person, ...] = ()
    capacity: int | None = None  #: None = Settings.table_size
    locked: bool = False  #: a locked table takes nobody new


@dataclass(frozen=True)
class TableCounts:
    """An existing table as counts about ONE newcomer: all :func:`place_by_counts` needs, read
    with one grouped query however many people the room holds (``same_*`` count the members
    equal to the newcomer in that attribute, a missing value matching a missing value)."""

    theme_id: int
    number: int
    size: int = 0
    capacity: int | None = None  #: None = Settings.table_size
    locked: bool = False
    leaders: int = 0  #: leader candidates seated there
    same_org: int = 0  #: 0 when the newcomer has no organisation
    same_sex: int = 0
    same_age: int = 0
    same_muni: int = 0


@dataclass(frozen=True)
class Placement:
    """Where a late arrival goes; ``new_table`` means: open this table, every one is full."""

    theme_id: int
    number: int
    new_table: bool = False


class _Tally:
    """Counts of organisation, sex, age range, municipality and leaders in one group."""

    __slots__ = ("age", "leaders", "muni", "org", "sex", "size")

    def __init__(self) -> None:
        self.size = 0
        self.leaders = 0
        self.org: Counter[str | None] = Counter()
        self.sex: Counter[str | None] = Counter()
        self.age: Counter[str | None] = Counter()
        self.muni: Counter[str | None] = Counter()

    def add(self, p: Person) -> None:
        self.size += 1
        self.leaders += p.leader_candidate
        self.org[p.organization] += 1
        self.sex[p.sex] += 1
        self.age[p.age_range] += 1
        self.muni[p.municipality] += 1

    def org_count(self, p: Person) -> int:
        return 0 if p.organization is None else self.org[p.organization]
