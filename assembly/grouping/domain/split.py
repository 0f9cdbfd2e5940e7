"""Splitting the room: mesa sizes, preferences, leftovers, then tables (see the package)."""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from assembly.grouping.domain.data import (
    _WINDOW,
    Person,
    Settings,
    SplitResult,
    TablePlan,
    _Tally,
    people_of,
)
from assembly.grouping.domain.quality import quality


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


def split_rows(
    rows: Sequence[tuple],
    settings: Settings,
    locked: Mapping[int, tuple[int, int]] | None = None,
) -> SplitResult:
    """:func:`split` of the people given as :func:`~data.person_rows` (the form the split is
    sent to a worker process in)."""
    return split(people_of(rows), settings, locked)


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
