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

Modules: ``data`` (the plain data), ``split``, ``late`` (one late arrival), ``quality``.
"""

from assembly.grouping.domain.data import (  # noqa: F401
    _WINDOW,
    Person,
    Placement,
    Quality,
    Settings,
    SplitResult,
    TableCounts,
    TablePlan,
    TableSeat,
    _Tally,
    people_of,
    person_rows,
)
from assembly.grouping.domain.late import (  # noqa: F401
    contenders,
    counts_of,
    place_by_counts,
    place_late_arrival,
    table_seats,
)
from assembly.grouping.domain.quality import _tv_distance, quality  # noqa: F401
from assembly.grouping.domain.split import (  # noqa: F401
    _assign_mesas,
    _check_locks,
    _deal_tables,
    _index,
    _keep_first,
    _mesa_sizes,
    _plan,
    naive_split,
    split,
    split_rows,
)
