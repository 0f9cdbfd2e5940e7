"""The live agenda: the stored clock, its controls, what the screens read, and the log.

Every function flushes; the caller commits (``realtime.broadcasting``).  Arithmetic lives in
``domain.py``; here the agenda is loaded from the database (``plans``), planned times become
aware datetimes in the assembly's zone, the moderator's commands are stored and logged
(``controls``), and the screens' snapshots are built (``reading``).
"""

from assembly.agenda.services.controls import (  # noqa: F401
    _describe,
    _into_first_step,
    _log,
    _parse_minutes,
    _parse_position,
    _slot_title,
    action_log,
    control,
    reanchor_after_edit,
)
from assembly.agenda.services.plans import (  # noqa: F401
    ACTION_LABELS,
    ACTIONS,
    IDLE_MOMENT_KINDS,
    PIECES_BY_STEP_KIND,
    Agenda,
    Slot,
    _agenda_fingerprint,
    _carried,
    _items_from_fingerprint,
    _now,
    _record,
    load_agenda,
    moment_plans,
)
from assembly.agenda.services.reading import (  # noqa: F401
    _current_slot,
    _current_state,
    _hhmm,
    _next_moment,
    _projection_now,
    _range,
    _run_day,
    clock_snapshot,
    input_grace_s,
    open_piece_kinds,
    piece_window,
    schedule,
)
from assembly.agenda.services.speakers import (  # noqa: F401
    KIND_LABELS,
    clock_with_speakers,
    speakers_command,
    speakers_view,
)
