"""What registration tells the packages above it (blinker signals, contract 4).

Receivers live in the listening package's ``receivers.py``; they run inside the sender's
transaction and flush (see assemblies.signals).
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the Attendee whose personal data was just erased (Ley 1581; flushed). The follow-up
#: clears the free comment of the person's satisfaction survey answer (it could name someone).
attendee_erased = _signals.signal("attendee-erased")

#: sender: the Attendee about to be erased (Ley 1581), while their data is still there;
#: ``names``: what identifies them in text (full name, document number).  The plenary makes a
#: redacted acta version.
person_erasing = _signals.signal("person-erasing")
