"""How a split meets the soft goals (preferences, organisations, leaders, balance)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from assembly.grouping.domain.data import Person, Quality, Settings, TablePlan, _Tally


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


def _tv_distance(part: Counter, part_n: int, whole: Counter, whole_n: int) -> float:
    """Total-variation distance between two distributions given as counts."""
    if not part_n or not whole_n:
        return 0.0
    return 0.5 * sum(abs(part[v] / part_n - m / whole_n) for v, m in whole.items())
