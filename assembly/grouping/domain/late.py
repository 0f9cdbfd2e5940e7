"""Seating one late arrival without moving anyone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from assembly.grouping.domain.data import (
    Person,
    Placement,
    Settings,
    SplitResult,
    TableCounts,
    TableSeat,
    _Tally,
)


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
    if any(m.id == person.id for seat in tables for m in seat.members):
        raise ValueError(f"person {person.id} is already seated")
    return place_by_counts(person, [counts_of(seat, person) for seat in tables], settings)


def counts_of(seat: TableSeat, person: Person) -> TableCounts:
    """A table's members as the counts about ``person`` that the choice reads."""
    tally = _Tally()
    for m in seat.members:
        tally.add(m)
    return TableCounts(
        theme_id=seat.theme_id,
        number=seat.number,
        size=tally.size,
        capacity=seat.capacity,
        locked=seat.locked,
        leaders=tally.leaders,
        same_org=tally.org_count(person),
        same_sex=tally.sex[person.sex],
        same_age=tally.age[person.age_range],
        same_muni=tally.muni[person.municipality],
    )


def _mesa_sizes(tables: Sequence[TableCounts], settings: Settings) -> Counter[int]:
    mesa_size: Counter[int] = Counter({t: 0 for t in settings.theme_ids})
    for seat in tables:
        mesa_size[seat.theme_id] += seat.size
    return mesa_size


def _capacity(seat: TableCounts, settings: Settings) -> int:
    return settings.table_size if seat.capacity is None else seat.capacity


def _preferred(person: Person, settings: Settings) -> int | None:
    return person.preferred_theme if person.preferred_theme in settings.theme_ids else None


def _open_choice(
    person: Person, tables: Sequence[TableCounts], settings: Settings
) -> tuple[list[TableCounts], Callable[[TableCounts], tuple]]:
    """The tables a late arrival may take (unlocked, a free seat; only the preferred mesa's
    when it has one) and the key whose least value wins."""
    mesa_size = _mesa_sizes(tables, settings)
    pref = _preferred(person, settings)
    open_seats = [s for s in tables if not s.locked and s.size < _capacity(s, settings)]
    in_pref = [s for s in open_seats if s.theme_id == pref]

    def key(seat: TableCounts) -> tuple:
        return (
            0 if in_pref else mesa_size[seat.theme_id],
            seat.size - _capacity(seat, settings),
            seat.same_org,
            person.leader_candidate and seat.leaders > 0,
            seat.same_sex + seat.same_age,
            seat.same_muni,
            seat.theme_id,
            seat.number,
        )

    return in_pref or open_seats, key


def contenders(
    person: Person, tables: Sequence[TableCounts], settings: Settings
) -> list[TableCounts]:
    """The tables :func:`place_by_counts` may still pick once it knows how full each table
    and each mesa is: the open ones tied on the mesa and on the free seats.  Only these need
    their counts about the person (``same_*``, ``leaders``); any other table loses before
    those are compared, so it may carry zeros."""
    candidates, key = _open_choice(person, tables, settings)
    if not candidates:
        return []
    best = min(key(seat)[:2] for seat in candidates)
    return [seat for seat in candidates if key(seat)[:2] == best]


def place_by_counts(person: Person, tables: Sequence[TableCounts], settings: Settings) -> Placement:
    """:func:`place_late_arrival` on counts (every table of the assembly, without the person):
    the same choice and tie-breaks, at a cost that does not grow with the people seated."""
    candidates, key = _open_choice(person, tables, settings)
    if candidates:
        best = min(candidates, key=key)
        return Placement(best.theme_id, best.number)

    mesa_size = _mesa_sizes(tables, settings)
    pref = _preferred(person, settings)
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
