"""Splitting the room: attendees → mesas (one per theme) → sub-tables, as pure functions.

Plain data in, plain data out: no Flask, no database, standard library only.

How the rules of the methodology ("Splitting the room") are read here:

* There is one **mesa** per theme (``Settings.theme_ids``); a mesa of ``s`` people holds
  ``ceil(s / table_size)`` **tables**, numbered 1.. inside the mesa, whose sizes differ by at
  most one person. A mesa may be empty (no tables) when the room is smaller than the themes.
* Hard rules, always kept by :func:`split`: every attendee sits at exactly one table; no table
  holds more than ``table_size``; the largest and the smallest mesa differ by at most
  ``table_size`` people ("one table's slack").
* Soft goals, in this order: seat people in their preferred theme as far as the slack allows;
  spread each organisation (no table with more than ``ceil(n_org / tables)`` people of one
  organisation where avoidable); balance sex and age range; mix municipalities; give every
  table a leader candidate (knows the PIT and took part before) where there are enough.
* A preferred theme that is not in ``theme_ids`` counts as no preference. ``None`` is a value
  of its own for sex, age range and municipality; ``organization=None`` means "no
  organisation" and never counts as a concentration.
* The result depends only on the set of people, the settings and the seed, not on the order
  of the input.

The algorithm is greedy and O(n log n)-ish (5,000 people split in well under a second):

1. choose mesa sizes that seat the most preferences within the slack, most balanced on ties;
2. seat preferences. Where a theme is over-subscribed, the preference percentage is the same
   whoever moves, so the choice serves the later goals: first people of an organisation
   already above what the mesa's tables hold under the cap (unless no other mesa has room
   for them under it either), then leader candidates the mesa does not need, then people
   above their organisation's fair share of the mesa, then anyone (seeded order);
3. the people left over fill the gaps, leader candidates first, then the largest
   organisations, each into the mesa where their organisation, a missing leader, their
   sex, age range and municipality make them fit best;
4. inside a mesa, one leader candidate per leaderless table first, then everyone else,
   largest organisation first, each into the table (among the emptiest ones) where their
   organisation, then sex and age range, then municipality are rarest;
5. each table's leader is a leader candidate seated there, or ``None`` (the table chooses).

:func:`place_late_arrival` seats someone who checks in after the split without moving anyone.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
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


def split(
    people: Sequence[Person],
    settings: Settings,
    locked: Mapping[int, tuple[int, int]] | None = None,
) -> SplitResult:
    """Split ``people`` into mesas and tables (see the module docstring for the rules).

    ``locked`` maps person id → (theme id, table number) for people who must stay where they
    are (a re-split); the other people are split around them. Locked people count towards
    their mesa and table; if they alone break a hard rule (too many in one mesa), the locks win.
    Raises ValueError on duplicate ids, a lock on an unknown person or theme, or a locked
    table above capacity.
    """
    by_id = _index(people)
    locked = dict(locked or {})
    c, themes = settings.table_size, settings.theme_ids
    _check_locks(locked, by_id, settings)

    # A seeded shuffle of the people sorted by id: the tie-breaker everywhere below, which
    # makes the result independent of input order and reproducible for one seed.
    order = sorted(by_id.values(), key=lambda p: p.id)
    random.Random(settings.seed).shuffle(order)
    rank = {p.id: i for i, p in enumerate(order)}

    lock_count = Counter(theme for theme, _ in locked.values())
    free = [p for p in order if p.id not in locked]
    demand = Counter(p.preferred_theme for p in free if p.preferred_theme in themes)
    sizes = _mesa_sizes(len(by_id), demand, lock_count, themes, c)
    table_counts = {
        t: max([math.ceil(sizes[t] / c)] + [n for th, n in locked.values() if th == t])
        for t in themes
    }
    org_total = Counter(p.organization for p in order if p.organization is not None)
    mesas = _assign_mesas(free, sizes, table_counts, locked, by_id, org_total, themes)

    tables: list[TablePlan] = []
    for t in themes:
        pinned = [by_id[pid] for pid in sorted(locked) if locked[pid][0] == t]
        tables += _deal_tables(t, table_counts[t], mesas[t], pinned, locked, rank, c)
    return SplitResult(tables, quality(people, tables, settings))


def naive_split(people: Sequence[Person], settings: Settings) -> SplitResult:
    """The round-robin baseline: person i (input order) goes to mesa i mod themes, then to
    the tables of its mesa in turn; preferences and attributes are ignored. Each table's
    leader is its first leader candidate, if any."""
    by_id = _index(people)
    themes, c = settings.theme_ids, settings.table_size
    mesas: dict[int, list[Person]] = {t: [] for t in themes}
    for i, p in enumerate(by_id.values()):
        mesas[themes[i % len(themes)]].append(p)
    tables: list[TablePlan] = []
    for t in themes:
        k = math.ceil(len(mesas[t]) / c)
        seated: list[list[Person]] = [[] for _ in range(k)]
        for i, p in enumerate(mesas[t]):
            seated[i % k].append(p)
        tables += [_plan(t, j + 1, members) for j, members in enumerate(seated)]
    return SplitResult(tables, quality(people, tables, settings))


def place_late_arrival(
    person: Person, tables: Sequence[TableSeat], settings: Settings
) -> Placement:
    """Choose the table for someone who checks in after the split, moving nobody.

    ``tables`` must be every table of the assembly, with its current members. Among the
    unlocked tables with a free seat the choice is, in order: the preferred theme (when it
    has no free seat, the smallest mesa instead); the most free seats (keeps tables even);
    the fewest people of the same organisation; a table without a leader candidate, for a
    candidate; the fewest of the same sex and age range; the fewest of the same municipality.

    When no table has a free seat, the answer is a new table (``new_table=True``, next
    number in its mesa): in the preferred theme if that keeps mesa sizes within one table's
    slack, otherwise in the smallest mesa. A table is never filled above its capacity.
    Raises ValueError if the person is already seated.
    """
    mesa_size: Counter[int] = Counter({t: 0 for t in settings.theme_ids})
    for seat in tables:
        mesa_size[seat.theme_id] += len(seat.members)
    pref = person.preferred_theme if person.preferred_theme in settings.theme_ids else None
    if any(m.id == person.id for seat in tables for m in seat.members):
        raise ValueError(f"person {person.id} is already seated")

    def capacity(seat: TableSeat) -> int:
        return settings.table_size if seat.capacity is None else seat.capacity

    open_seats = [s for s in tables if not s.locked and len(s.members) < capacity(s)]
    if open_seats:
        in_pref = [s for s in open_seats if s.theme_id == pref]

        def key(seat: TableSeat) -> tuple:
            tally = _Tally()
            for m in seat.members:
                tally.add(m)
            leader_wanted = person.leader_candidate and tally.leaders > 0
            return (
                0 if in_pref else mesa_size[seat.theme_id],
                len(seat.members) - capacity(seat),
                tally.org_count(person),
                leader_wanted,
                tally.sex[person.sex] + tally.age[person.age_range],
                tally.muni[person.municipality],
                seat.theme_id,
                seat.number,
            )

        best = min(in_pref or open_seats, key=key)
        return Placement(best.theme_id, best.number)

    smallest = min(settings.theme_ids, key=lambda t: (mesa_size[t], t != pref))
    theme = (
        pref
        if pref is not None and mesa_size[pref] < mesa_size[smallest] + settings.table_size
        else smallest
    )
    number = 1 + max((s.number for s in tables if s.theme_id == theme), default=0)
    return Placement(theme, number, new_table=True)


def table_seats(result: SplitResult, people: Iterable[Person]) -> list[TableSeat]:
    """The tables of a split as :class:`TableSeat` rows, ready for :func:`place_late_arrival`."""
    by_id = {p.id: p for p in people}
    return [
        TableSeat(t.theme_id, t.number, tuple(by_id[pid] for pid in t.members))
        for t in result.tables
    ]


def quality(people: Sequence[Person], tables: Sequence[TablePlan], settings: Settings) -> Quality:
    """Measure a split (ours, the naive one or a hand-made one) against the soft goals."""
    by_id = {p.id: p for p in sorted(people, key=lambda p: p.id)}  # same floats for any order
    n, k = len(by_id), len(tables)
    themes = set(settings.theme_ids)
    seated_theme = {pid: t.theme_id for t in tables for pid in t.members}
    wanting = [p for p in by_id.values() if p.preferred_theme in themes]
    happy = sum(seated_theme.get(p.id) == p.preferred_theme for p in wanting)

    org_total = Counter(p.organization for p in by_id.values() if p.organization is not None)
    room = {
        "sex": Counter(p.sex for p in by_id.values()),
        "age": Counter(p.age_range for p in by_id.values()),
        "muni": Counter(p.municipality for p in by_id.values()),
    }
    worst_share, excess = 0.0, 0
    deviation = dict.fromkeys(room, 0.0)
    for table in tables:
        tally = _Tally()
        for pid in table.members:
            tally.add(by_id[pid])
        orgs = [(o, m) for o, m in tally.org.items() if o is not None]
        if orgs and tally.size:
            worst_share = max(worst_share, max(m for _, m in orgs) / tally.size)
        excess += sum(max(0, m - math.ceil(org_total[o] / k)) for o, m in orgs)
        for attr, counts in (("sex", tally.sex), ("age", tally.age), ("muni", tally.muni)):
            deviation[attr] += _tv_distance(counts, tally.size, room[attr], n)

    candidates = sum(p.leader_candidate for p in by_id.values())
    found = sum(t.leader is not None and by_id[t.leader].leader_candidate for t in tables)
    return Quality(
        people=n,
        tables_count=k,
        preference_pct=100.0 * happy / len(wanting) if wanting else 100.0,
        max_org_share=worst_share,
        org_excess=excess,
        leaders_found=found,
        leaders_possible=min(k, candidates),
        leaders_pct=100.0 * found / k if k else 0.0,
        sex_deviation=deviation["sex"] / k if k else 0.0,
        age_deviation=deviation["age"] / k if k else 0.0,
        municipality_deviation=deviation["muni"] / k if k else 0.0,
    )


# --- the steps of split() -------------------------------------------------------------------


def _index(people: Sequence[Person]) -> dict[int, Person]:
    by_id = {p.id: p for p in people}
    if len(by_id) != len(people):
        raise ValueError("person ids must be unique")
    return by_id


def _check_locks(
    locked: dict[int, tuple[int, int]], by_id: dict[int, Person], settings: Settings
) -> None:
    per_table = Counter(locked.values())
    for pid, (theme, number) in locked.items():
        if pid not in by_id:
            raise ValueError(f"locked person {pid} is not in the room")
        if theme not in settings.theme_ids or number < 1:
            raise ValueError(f"locked person {pid} has no such table: {theme}/{number}")
    for (theme, number), count in per_table.items():
        if count > settings.table_size:
            raise ValueError(f"table {theme}/{number} has {count} locked people, above capacity")


def _mesa_sizes(
    n: int, demand: Counter[int], lock_count: Counter[int], themes: tuple[int, ...], c: int
) -> dict[int, int]:
    """Mesa sizes summing to n, all within [L, L + c] for some L, seating the most preferences.

    For one L, clamping each theme's wish (locked + demand) into the window and then trimming
    or padding to reach n is optimal: a trimmed theme is always at or below its demand (each
    person trimmed costs one preference) and padding never costs any. Trimming the largest
    and padding the smallest first keeps the sizes balanced, which also breaks ties between L.
    """
    best: tuple[tuple, dict[int, int]] | None = None
    for low in range(n // len(themes) + 1):
        lo = {t: max(low, lock_count[t]) for t in themes}
        hi = {t: max(low + c, lock_count[t]) for t in themes}
        if sum(lo.values()) > n:
            break
        if sum(hi.values()) < n:
            continue
        size = {t: min(max(lock_count[t] + demand[t], lo[t]), hi[t]) for t in themes}
        total = sum(size.values())
        while total > n:  # at most len(themes) * c steps: hi - lo <= c
            size[max((t for t in themes if size[t] > lo[t]), key=size.__getitem__)] -= 1
            total -= 1
        while total < n:
            size[min((t for t in themes if size[t] < hi[t]), key=size.__getitem__)] += 1
            total += 1
        seated = sum(min(size[t] - lock_count[t], demand[t]) for t in themes)
        spread_ok = max(size.values()) - min(size.values()) <= c  # only locks can break it
        key = (not spread_ok, -seated, sum(s * s for s in size.values()))
        if best is None or key < best[0]:
            best = (key, size)
    assert best is not None  # the L just below the break always fits (see the docstring)
    return best[1]


def _assign_mesas(
    free: list[Person],
    sizes: dict[int, int],
    table_counts: dict[int, int],
    locked: dict[int, tuple[int, int]],
    by_id: dict[int, Person],
    org_total: Counter[str],
    themes: tuple[int, ...],
) -> dict[int, list[Person]]:
    """Put the free (unlocked) people, in seeded order, into mesas of the given sizes."""
    all_tables = sum(table_counts.values()) or 1
    tally = {t: _Tally() for t in themes}
    for pid, (theme, _) in locked.items():
        tally[theme].add(by_id[pid])
    room = {t: sizes[t] - tally[t].size for t in themes}
    mesas: dict[int, list[Person]] = {t: [] for t in themes}

    def cap(t: int, org: str) -> int:
        """How many of `org` the tables of mesa t hold without going over the per-table cap."""
        return math.ceil(org_total[org] / all_tables) * table_counts[t]

    def fair(t: int, org: str) -> int:
        """The organisation's share of mesa t, rounded up: a more even spread than the cap."""
        return math.ceil(org_total[org] * table_counts[t] / all_tables)

    def seat(t: int, p: Person) -> None:
        mesas[t].append(p)
        tally[t].add(p)
        room[t] -= 1

    wishes: dict[int, list[Person]] = defaultdict(list)
    pool: list[Person] = []
    for p in free:
        (wishes[p.preferred_theme] if p.preferred_theme in room else pool).append(p)
    crowded = [t for t in themes if len(wishes[t]) > room[t]]
    # Seats under the cap that each organisation has left in the mesas that take everyone
    # who asks: someone moved out of a crowded mesa must find one there, or be an excess.
    spare: Counter[str] = Counter()
    for t in themes:
        if t not in crowded:
            asking = Counter(p.organization for p in wishes[t] if p.organization is not None)
            for org in org_total:
                spare[org] += cap(t, org) - min(asking[org], cap(t, org))
    spare.subtract(p.organization for p in pool if p.organization is not None)

    for t in themes:
        wanting = sorted(wishes[t], key=lambda p: not p.leader_candidate)  # stable: seeded
        if t in crowded:
            wanting = _keep_first(wanting, tally[t], table_counts[t], cap, fair, t)
            # Move the last ones out, except people of organisations with no spare seat
            # left elsewhere (moving them would only shift the excess to another table).
            moving, staying = [], []
            for p in reversed(wanting):
                org = p.organization
                if len(moving) == len(wanting) - room[t]:
                    staying.append(p)
                elif org is None or spare[org] > 0:
                    moving.append(p)
                    if org is not None:
                        spare[org] -= 1
                else:
                    staying.append(p)
            shortfall = len(wanting) - room[t] - len(moving)
            moving += staying[:shortfall]
            pool += moving
            gone = {p.id for p in moving}
            wanting = [p for p in wanting if p.id not in gone]
        for p in wanting:
            seat(t, p)

    # The rest fill the gaps: leader candidates first, then the largest organisations (the
    # hardest to spread), people without one last (they fit anywhere).
    pool.sort(
        key=lambda p: (
            not p.leader_candidate,
            -org_total[p.organization] if p.organization else 1,
            p.organization or "",
        )
    )
    for p in pool:

        def key(t: int, p: Person = p) -> tuple:
            here, org = tally[t], p.organization
            count = here.org_count(p) + 1
            return (
                org is not None and count > cap(t, org),
                p.leader_candidate and here.leaders >= table_counts[t],
                org is not None and count > fair(t, org),
                (2 * (here.sex[p.sex] + here.age[p.age_range]) + here.muni[p.municipality])
                / sizes[t],
                -room[t] / sizes[t],
            )

        seat(min((t for t in themes if room[t] > 0), key=key), p)
    return mesas


def _keep_first(
    wanting: list[Person],
    tally: _Tally,
    tables: int,
    cap: Callable[[int, str], int],
    fair: Callable[[int, str], int],
    t: int,
) -> list[Person]:
    """Order the people asking for a crowded mesa, those who should keep their seat first:
    people whose organisation still fits under its cap here, then the leader candidates the
    mesa needs (spare candidates last: another mesa may lack them), then the even spread."""
    seen = Counter(tally.org)
    leaders_needed = tables - tally.leaders
    ranked = []
    for i, p in enumerate(wanting):
        org = p.organization
        seen[org] += 1
        above_cap = org is not None and seen[org] > cap(t, org)
        above_fair = org is not None and seen[org] > fair(t, org)
        role = 1 if not p.leader_candidate else 0 if leaders_needed > 0 else 2
        leaders_needed -= p.leader_candidate
        ranked.append((above_cap, role, above_fair, i, p))
    ranked.sort(key=lambda r: r[:4])
    return [r[-1] for r in ranked]


def _deal_tables(
    theme: int,
    k: int,
    members: list[Person],
    pinned: list[Person],
    locked: dict[int, tuple[int, int]],
    rank: dict[int, int],
    c: int,
) -> list[TablePlan]:
    """Deal one mesa's free members onto its k tables around the pinned (locked) people."""
    tally = [_Tally() for _ in range(k)]
    seated: list[list[Person]] = [[] for _ in range(k)]
    for p in pinned:
        j = locked[p.id][1] - 1
        tally[j].add(p)
        seated[j].append(p)
    # Targets as even as the locks allow: each free person raises the emptiest table.
    heap = [(t.size, j) for j, t in enumerate(tally)]
    heapq.heapify(heap)
    for _ in members:
        size, j = heapq.heappop(heap)
        heapq.heappush(heap, (size + 1, j))
    target = [size for size, _ in sorted(heap, key=lambda e: e[1])]
    assert max(target, default=0) <= c

    orgs = Counter(p.organization for p in members)
    candidates = [p for p in members if p.leader_candidate]
    first = candidates[: sum(t.leaders == 0 for t in tally)]
    chosen = {p.id for p in first}
    rest = sorted(
        (p for p in members if p.id not in chosen),
        key=lambda p: (
            p.organization is None,
            -orgs[p.organization],
            p.organization or "",
            rank[p.id],
        ),
    )
    # Costs as one integer: the organisation outweighs everything else (a table's counts
    # stay below `big`); then sex and age range count double against the municipality.
    big = max(target, default=0) + 1

    def seat_best(p: Person, tables: list[int]) -> int:
        def cost(j: int) -> int:
            t = tally[j]
            balance = t.sex[p.sex] + t.age[p.age_range]
            return t.org_count(p) * 6 * big + 2 * balance + t.muni[p.municipality]

        j = min(tables[:_WINDOW], key=cost)
        tally[j].add(p)
        seated[j].append(p)
        return j

    leaderless = [j for j in range(k) if tally[j].leaders == 0 and tally[j].size < target[j]]
    for p in first:
        if leaderless:
            leaderless.remove(seat_best(p, leaderless))
        else:  # the leaderless tables left are full of locked people
            rest.insert(0, p)
    # Everyone else goes to one of the emptiest tables or those one person fuller: keeping
    # tables level makes raw counts comparable, and the second level leaves a real choice
    # to the last people of a round, who would otherwise get whatever table is left.
    level: dict[int, list[int]] = defaultdict(list)
    for j in range(k):
        if tally[j].size < target[j]:
            level[tally[j].size].append(j)
    low = min(level, default=0)
    for p in rest:
        while not level[low]:
            low += 1
        j = seat_best(p, level[low][:_WINDOW] + level[low + 1][:_WINDOW])
        level[tally[j].size - 1].remove(j)
        if tally[j].size < target[j]:
            level[tally[j].size].append(j)
    return [_plan(theme, j + 1, people) for j, people in enumerate(seated)]


def _plan(theme: int, number: int, people: list[Person]) -> TablePlan:
    """A table of these people; the leader is the first leader candidate seated, if any."""
    leader = next((p.id for p in people if p.leader_candidate), None)
    return TablePlan(theme, number, sorted(p.id for p in people), leader)


def _tv_distance(part: Counter, part_n: int, whole: Counter, whole_n: int) -> float:
    """Total-variation distance between two distributions given as counts."""
    if not part_n or not whole_n:
        return 0.0
    return 0.5 * sum(abs(part[v] / part_n - m / whole_n) for v, m in whole.items())
