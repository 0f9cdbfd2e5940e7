"""The live agenda clock: pure arithmetic, no Flask, no database.

One clock for the whole room. The server stores a small :class:`ClockState` (which slot
is running, when it started, its duration, its pauses) and every screen derives its
countdown from that state and its own measured offset to the server clock. Nothing here
keeps time in memory: after a server restart, loading the stored state is enough.

Vocabulary:

* An **item** (:class:`AgendaItem`) is one *slot* the clock walks through. The agenda is
  flattened: a moment without steps is one slot, a moment with steps is one slot per step
  (see :func:`flatten`).
* Times are UTC epoch seconds (``float``) everywhere in the state, so it serialises to
  JSON as-is and the browser can use the same numbers.
* Every transition is a function ``(state, now, ...) -> new state`` that raises
  :class:`ClockError` (with a Spanish, user-facing message) on an impossible command.

Delay against plan (:func:`delay_minutes`, :func:`projected_schedule`), deliberately simple:

* The planned start of an item is its own ``planned_start`` when it has one (an *anchor*,
  e.g. "Momento 4 a las 2:45"), otherwise the planned end of the item before it.
* The delay is the running slot's projected end (now + what is left of it, or now when it
  is overtime) minus its planned end. Extensions and pauses make it grow; so does overtime.
* The rest of the day is shifted by that delay, except that an item with its own planned
  start never starts before it: a gap in the plan (slack before a break or the next
  moment) absorbs lateness, and being early does not pull anchored items forward.

Modules: ``clock`` (items and state), ``transitions`` (the moderator's commands), ``schedule``
(plan against actual, the clients' offset), ``text`` (Spanish formatting).
"""

from assembly.agenda.domain.clock import (  # noqa: F401
    ACTIVE,
    DEFAULT_INPUT_GRACE_S,
    FINISHED,
    IDLE,
    MAX_EXTENSION_MINUTES,
    PAUSED,
    RUNNING,
    STATUSES,
    AgendaItem,
    ClockError,
    ClockState,
    MomentPlan,
    SlotRun,
    StepPlan,
    elapsed_s,
    flatten,
    input_time_up,
    is_overtime,
    planned_times,
    remaining_s,
    to_epoch,
)
from assembly.agenda.domain.schedule import (  # noqa: F401
    ScheduleRow,
    best_offset,
    clock_offset,
    delay_minutes,
    delay_s,
    projected_schedule,
)
from assembly.agenda.domain.text import _round_half_up, format_delay, format_mmss  # noqa: F401
from assembly.agenda.domain.transitions import (  # noqa: F401
    _begin,
    _check_items,
    _close_run,
    _current,
    _resolve,
    back,
    extend,
    jump,
    next_slot,
    pause,
    reanchor,
    reset,
    resume,
    skip,
    start,
)
