"""k-anonymity for the pseudonymised export: nobody stands out by a COMBINATION of what the
file still says about them.

The quasi-identifiers (what someone who knows a person can see or look up) are the age band,
sex, municipality, organisation type, and the mesa and sub-mesa the person sat at. In the
shared file every combination of them must be held by at least ``k`` people; the sensitive
answers (victim status, ethnicity, disability, orientation...) then never point at fewer than
``k`` people.

:func:`plan` generalises the whole file step by step (sub-mesa → mesa only, municipality →
department, age band → a coarser band, organisation type and sex → withheld) and stops at the
first step where at most a tenth of the people are still in a combination smaller than ``k``;
those are suppressed (every quasi-identifier withheld), together with as few people of the
largest combinations as it takes for the suppressed group itself to reach ``k``. Pure:
no database, no Flask.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace

#: what a withheld value reads in the file
WITHHELD = "Reservado"
DEFAULT_K = 5
#: the share of people that may be suppressed before a coarser step is tried
MAX_SUPPRESSED_SHARE = 0.1

#: age band as printed (registration.choices.AGE_BOUNDS) -> the coarser band of steps 3+
COARSE_AGE = {
    "Menor de 14 años": "Menor de 18 años",
    "14 a 17 años": "Menor de 18 años",
    "18 a 28 años": "18 a 59 años",
    "29 a 40 años": "18 a 59 años",
    "41 a 59 años": "18 a 59 años",
    "60 años o más": "60 años o más",
}


@dataclass(frozen=True)
class Quasi:
    """One person's quasi-identifiers, as the file would print them."""

    age: str | None
    sex: str | None
    department: str | None
    municipality: str | None
    organization_kind: str | None
    group: str | None
    table: str | None

    def key(self) -> tuple:
        return (
            self.age,
            self.sex,
            self.department,
            self.municipality,
            self.organization_kind,
            self.group,
            self.table,
        )


def _step(quasi: Quasi, level: int) -> Quasi:
    """``quasi`` generalised to ``level`` (0: as it is … 6: only the mesa is left)."""
    if level >= 1:
        quasi = replace(quasi, table=WITHHELD)
    if level >= 2:
        quasi = replace(quasi, municipality=WITHHELD)
    if level >= 3:
        quasi = replace(quasi, age=COARSE_AGE.get(quasi.age or "", quasi.age))
    if level >= 4:
        quasi = replace(quasi, organization_kind=WITHHELD)
    if level >= 5:
        quasi = replace(quasi, sex=WITHHELD)
    if level >= 6:
        quasi = replace(quasi, age=WITHHELD, department=WITHHELD)
    return quasi


LEVELS = 7
SUPPRESSED = Quasi(*(WITHHELD,) * 7)


def plan(people: Mapping[Hashable, Quasi], k: int = DEFAULT_K) -> dict[Hashable, Quasi]:
    """What to print for each person so that every combination is shared by ``k`` or more
    (or by everybody, when the file has fewer than ``k`` people: then all is withheld)."""
    k = max(1, int(k))
    if not people:
        return {}
    if len(people) < k:
        return dict.fromkeys(people, SUPPRESSED)
    allowance = int(len(people) * MAX_SUPPRESSED_SHARE)
    for level in range(LEVELS):
        stepped = {pid: _step(q, level) for pid, q in people.items()}
        sizes = Counter(q.key() for q in stepped.values())
        small = sum(n for n in sizes.values() if n < k)
        if small <= allowance or level == LEVELS - 1:
            return _suppress(stepped, sizes, k)
    raise AssertionError("unreachable")


def _suppress(stepped: dict, sizes: Counter, k: int) -> dict:
    """Withhold everything of the people in combinations smaller than ``k``. If they are
    fewer than ``k`` themselves, people of the largest combinations join them (as few as it
    takes, never leaving a combination below ``k``), so the withheld group reaches ``k``."""
    small_keys = {key for key, n in sizes.items() if n < k}
    chosen = {pid for pid, q in stepped.items() if q.key() in small_keys}
    if 0 < len(chosen) < k:
        by_key: dict = {}
        for pid, q in stepped.items():
            if q.key() not in small_keys:
                by_key.setdefault(q.key(), []).append(pid)
        for _key, members in sorted(by_key.items(), key=lambda item: (-len(item[1]), str(item[0]))):
            need = k - len(chosen)
            if need <= 0:
                break
            members = sorted(members, key=str)
            # take only some when the rest still make k; otherwise the whole combination
            take = members[:need] if len(members) - need >= k else members
            chosen.update(take)
    return {pid: SUPPRESSED if pid in chosen else q for pid, q in stepped.items()}


def smallest_group(printed: Mapping[Hashable, Quasi]) -> int:
    """The size of the smallest combination in ``printed`` (tests, the export's log)."""
    sizes = Counter(q.key() for q in printed.values())
    return min(sizes.values()) if sizes else 0
