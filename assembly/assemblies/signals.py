"""What the assemblies package tells the packages above it (blinker signals, contract 4).

Receivers live in the listening package's ``receivers.py`` (imported by ``create_app``). They
run inside the sender's transaction: they flush, may raise an
:class:`~assembly.errors.AssemblyError` to refuse (the whole write rolls back), and announce
their own changes with :func:`assembly.assemblies.realtime.queue`.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the Assembly about to close; kwargs: actor, reason ("" or the moderator's
#: confirmation). Raise Conflict to refuse (the board refuses while a vote is open or a mesa
#: is undecided, unless there is a reason).
assembly_closing = _signals.signal("assembly-closing")
#: sender: the Assembly, just closed (status flushed); kwargs: actor, reason. The board stores
#: the acta (a new version on each close).
assembly_closed = _signals.signal("assembly-closed")
#: sender: the Assembly, reopened after being closed; kwargs: actor.
assembly_reopened = _signals.signal("assembly-reopened")

#: sender: a new Theme (flushed, it has an id). Grouping opens its mesa.
theme_added = _signals.signal("theme-added")
#: sender: the Theme about to be deleted. Grouping refuses while its mesa has people.
theme_removing = _signals.signal("theme-removing")

#: sender: the Assembly whose moments or steps were just edited; kwargs: actor. The agenda
#: carries a running clock over the edit (or raises Conflict) and queues its broadcast.
agenda_edited = _signals.signal("agenda-edited")

#: sender: the Assembly. Each receiver RETURNS a dict of counters for its landing page and
#: the staff screens' snapshot (registration: registered, checked_in); see
#: ``assemblies.services.overview``.
assembly_counts = _signals.signal("assembly-counts")
#: ``(assembly)`` -> dict: the figures of the assembly page's checklist of the day (tables,
#: seated, clock, decided, voting, acta), asked only by that page (``services.progress``)
assembly_progress = _signals.signal("assembly-progress")
