"""Splitting the room on stored data, late arrivals, manual changes.  Flush, never commit.

The pure split lives in :mod:`assembly.grouping.domain`; here it meets the database:
``reading`` (mesas, tables, rosters), ``split`` (the whole room), ``late`` (one late arrival,
seated by the desk), ``changes`` (move, swap, leader, lock, facilitator). Broadcasts are
built in :mod:`assembly.grouping.broadcasts`.
"""

from assembly.grouping.services.changes import (  # noqa: F401
    Change,
    _leave,
    _refuse_locked,
    _seated_count,
    assign_facilitator,
    current_quality,
    group_snapshot,
    move_attendee,
    population_counts,
    rotate_join_code,
    set_leader,
    set_locked,
    swap_attendees,
)
from assembly.grouping.services.late import _still_has_a_seat, seat_late_arrival  # noqa: F401
from assembly.grouping.services.reading import (  # noqa: F401
    _PERSON_COLUMNS,
    _group,
    _table,
    facilitates,
    facilitators,
    find_table_by_code,
    get_group,
    get_table,
    groups_facilitated_by,
    groups_of,
    is_split,
    members_by_table,
    members_of_tables,
    people_by_table,
    retired_table,
    table_sizes,
    tables_of,
    tables_page,
    to_person,
    unseated,
    unseated_count,
)
from assembly.grouping.services.seating import seating_counts, table_counts  # noqa: F401
from assembly.grouping.services.split import (  # noqa: F401
    POPULATIONS,
    SEAT_CHUNK,
    SeatRow,
    SplitReport,
    _compute,
    _describe_changes,
    _Plan,
    describe_changes,
    preview_split,
    run_split,
    seat_rows,
)
