"""Panels on the attendee's ticket page, composed by the packages above registration.

Registration cannot import the board (or the follow-up survey), so those packages register a
provider here (in their ``receivers.py``), and the ticket page renders what each returns::

    @ticket_panel
    def open_votes_panel(attendee) -> str | None:   # HTML (Markup) or None for nothing
        ...

``panels_for(attendee)`` calls every provider in registration order and keeps the non-empty
ones. A provider must not write: the ticket page is a read.
"""

from collections.abc import Callable

from markupsafe import Markup

Provider = Callable[[object], str | None]

_providers: list[Provider] = []


def ticket_panel(provider: Provider) -> Provider:
    """Register ``provider(attendee) -> HTML | None`` (idempotent by function)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(attendee) -> list[Markup]:
    """The ticket page's extra panels for this attendee, in registration order."""
    panels = []
    for provider in _providers:
        html = provider(attendee)
        if html:
            panels.append(Markup(html))
    return panels
