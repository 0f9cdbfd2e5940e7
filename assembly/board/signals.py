"""What the plenary tells the packages above it (see assemblies/signals.py for the rules)."""

from blinker import Namespace

_signals = Namespace()

#: sender: the Group (mesa) whose agenda the plenary just approved (its pieces are frozen).
agenda_approved = _signals.signal("agenda-approved")
#: sender: the Group whose approval was annulled (its pieces thaw).
approval_annulled = _signals.signal("approval-annulled")
#: sender: the Piece the plenary just amended (its new text, who and due are set).
piece_amended = _signals.signal("piece-amended")
