"""The plenary board, the approval of each mesa's agenda, piece amendments and the acta.

Every function flushes; the caller commits (``realtime.broadcasting`` or ``unit_of_work``).
``plenary`` (what the board shows, the moderator's commands), ``rules`` (quorum, majority,
people present), ``approvals`` (hands and phone votes), ``amendments``, ``acta`` (the consolidated agenda and the minutes).
"""

from assembly.board.services.acta import (  # noqa: F401
    _versions_count,
    acta_snapshot,
    attendance_totals,
    closing_blockers,
    consolidated_agenda,
    latest_acta,
    refuse_closing_with_open_votes,
    store_acta,
)
from assembly.board.services.acta_record import (  # noqa: F401
    amendments,
    opening_attendance,
    present_at,
    redact_for_erasure,
)
from assembly.board.services.amendments import amend_piece, get_piece  # noqa: F401
from assembly.board.services.approvals import (  # noqa: F401
    _approval,
    _decided,
    _iso,
    _live_counts,
    _refuse_if_decided,
    approval_dict,
    approval_results,
    attendee_by_ticket,
    cast_vote,
    close_vote,
    correct_hands,
    is_frozen,
    json_approval,
    open_vote,
    open_votes,
    record_hands,
    reset_approval,
    settle_vote,
    shared_devices,
    votes_of,
)
from assembly.board.services.plenary import (  # noqa: F401
    assembly_pieces,
    board_groups,
    board_snapshot,
    checked_in_count,
    drop_big_qr,
    find_public_board,
    plenary_command,
    plenary_dict,
    plenary_state,
    public_board_assembly,
    set_big_qr,
)
from assembly.board.services.rules import (  # noqa: F401
    approval_rule_text,
    checked_in_now,
    present_count,
    rules_of,
    rules_view,
    set_headcount,
    set_rules,
    state_row,
    vote_rule_text,
)
