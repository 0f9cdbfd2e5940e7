"""Panels on the attendee's ticket page, composed by the packages above registration.

Registration cannot import the board (or the follow-up survey), so those packages register a
provider here (in their ``receivers.py``), and the ticket page renders what each returns::

    @ticket_panel
    def open_votes_panel(attendee) -> str | None:   # HTML (Markup) or None for nothing
        ...

``panels_for(attendee)`` calls every provider in registration order and keeps the non-empty
ones. A provider must not write: the ticket page is a read (see core.panels).
"""

from assembly.core.panels import PanelRegistry

TICKET_PANELS = PanelRegistry()
ticket_panel = TICKET_PANELS.register
panels_for = TICKET_PANELS.render
