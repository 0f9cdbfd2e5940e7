"""The puzzle: table phones write pieces, mesa facilitators moderate them.

Every function takes the acting identity or user and all inputs as arguments, checks that
the actor may touch the table or mesa concerned, flushes and never commits or emits (the
Socket.IO handlers run them inside ``realtime.broadcasting()`` with the builders of
:mod:`assembly.puzzle.broadcasts`). ``access`` (who may act), ``reading`` (snapshots and
payloads), ``history`` (versions, the frozen agenda), ``late`` (time-up), ``phones``, ``moderation``.
"""

from assembly.puzzle.services.access import (  # noqa: F401
    _facilitated_piece,
    _invalid,
    _own_piece,
    code_changed_error,
    facilitated_group,
    identity_for_code,
    identity_table,
    may_facilitate,
    table_for_code,
    was_rotated,
)
from assembly.puzzle.services.history import ensure_editable, piece_history, record_version  # noqa: F401
from assembly.puzzle.services.late import (  # noqa: F401
    accept_late_piece,
    drop_late_piece,
    ensure_in_time,
    hold_late_piece,
)
from assembly.puzzle.services.moderation import (  # noqa: F401
    fix_piece,
    hide_piece,
    merge_piece,
    nudge_table,
    rotate_table_code,
    set_group_spokesperson,
)
from assembly.puzzle.services.phones import (  # noqa: F401
    _stored,
    _with_descendants,
    delete_piece,
    edit_piece,
    edit_piece_of,
    resend,
    set_table_spokesperson,
    stored_after_race,
    submit_piece,
)
from assembly.puzzle.services.reading import (  # noqa: F401
    _members,
    _person,
    _pieces_of,
    _plan_years,
    _views,
    clock_snapshot,
    group_info,
    group_state,
    is_shown,
    late_payload,
    late_pieces_of,
    open_piece_kinds,
    piece_payload,
    table_info,
    table_state,
)
