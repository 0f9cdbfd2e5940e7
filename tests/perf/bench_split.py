"""Benchmark of the room split: time and quality for 500 and 5,000 people, against the naive
round-robin split measured in the same run.

Run from the project root:  .venv/bin/python tests/perf/bench_split.py

The rooms are synthetic but shaped like real ones: 5 themes with skewed preferences (15%
without one), tables of 20, one organisation holding 10% of the room, a long tail of small
organisations, 30% without any, Zipf-like municipalities, 8% leader candidates. The last line
is machine-readable:
RESULT split n=5000 seconds=… preference_pct=… max_org_share=… leaders_pct=…
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assembly.grouping.domain import (  # after the sys.path line above
    Person,
    Settings,
    TableSeat,
    naive_split,
    place_late_arrival,
    split,
    table_seats,
)

THEMES = (1, 2, 3, 4, 5)
TABLE_SIZE = 20
RUNS = 5


def make_room(n: int, seed: int, first_id: int = 1) -> list[Person]:
    """A synthetic room of n people (see the module docstring)."""
    rng = random.Random(seed)
    orgs = [f"org{i}" for i in range(max(1, n // 8))]
    org_weights = [1 / (i + 1) for i in range(len(orgs))]
    munis = [f"{5001 + i:05d}" for i in range(30)]
    muni_weights = [1 / (i + 1) for i in range(30)]
    theme_weights = [0.32, 0.26, 0.2, 0.13, 0.09]
    people = []
    for i in range(n):
        r = rng.random()
        org = "huge" if r < 0.1 else None if r < 0.4 else rng.choices(orgs, org_weights)[0]
        people.append(
            Person(
                id=first_id + i,
                preferred_theme=(
                    None if rng.random() < 0.15 else rng.choices(THEMES, theme_weights)[0]
                ),
                organization=org,
                sex=rng.choices(["F", "M", "X", None], [55, 42, 2, 1])[0],
                age_range=rng.choice(["18-28", "29-40", "41-59", "60+"]),
                municipality=rng.choices(munis, muni_weights)[0],
                leader_candidate=rng.random() < 0.08,
            )
        )
    return people


def timed(fn, *args):
    """The median wall time of RUNS calls, and the last call's result."""
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def show(label: str, seconds: float, q) -> None:
    print(
        f"  {label:<6} {seconds:8.4f} s  preference {q.preference_pct:5.1f}%  "
        f"max org share {q.max_org_share:.3f}  org excess {q.org_excess:4d}  "
        f"leaders {q.leaders_found}/{q.tables_count} ({q.leaders_pct:.1f}%)  "
        f"deviation sex {q.sex_deviation:.3f} age {q.age_deviation:.3f} "
        f"municipality {q.municipality_deviation:.3f}"
    )


def main() -> None:
    conf = Settings(THEMES, TABLE_SIZE, seed=2024)
    final = None
    for n in (500, 5000):
        people = make_room(n, seed=n)
        seconds, ours = timed(split, people, conf)
        naive_seconds, naive = timed(naive_split, people, conf)
        print(f"n={n}  themes={len(THEMES)}  table_size={TABLE_SIZE}  (median of {RUNS} runs)")
        show("split", seconds, ours.quality)
        show("naive", naive_seconds, naive.quality)

        # Late arrivals: 2% more people checking in one by one after the split.
        tables = table_seats(ours, people)
        late_people = make_room(max(1, n // 50), seed=n + 1, first_id=10**7)
        start = time.perf_counter()
        for late in late_people:
            placement = place_late_arrival(late, tables, conf)
            where = (placement.theme_id, placement.number)
            if placement.new_table:
                tables.append(TableSeat(*where, (late,)))
            else:
                i = next(i for i, t in enumerate(tables) if (t.theme_id, t.number) == where)
                tables[i] = TableSeat(*where, (*tables[i].members, late))
        per_arrival = (time.perf_counter() - start) / len(late_people)
        print(f"  late arrivals: {len(late_people)} placed, {per_arrival * 1000:.2f} ms each")
        final = (n, seconds, ours.quality)

    n, seconds, q = final
    print(
        f"RESULT split n={n} seconds={seconds:.4f} preference_pct={q.preference_pct:.2f} "
        f"max_org_share={q.max_org_share:.4f} leaders_pct={q.leaders_pct:.2f}"
    )


if __name__ == "__main__":
    main()
