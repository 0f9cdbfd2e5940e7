"""What the grouping tells the packages above it (see assemblies/signals.py for the rules)."""

from blinker import Namespace

_signals = Namespace()

#: sender: a Table the split no longer needs. A receiver RETURNS True to keep it because it
#: holds work (the puzzle: the table wrote pieces); the table is removed when none does.
table_retiring = _signals.signal("table-retiring")
