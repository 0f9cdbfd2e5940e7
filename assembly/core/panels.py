"""Panels a page of a lower package shows for the packages above it.

A lower package cannot import a higher one, so the higher one registers a provider (in its
``receivers.py``) and the page renders what each returns::

    TICKET = PanelRegistry()                 # in the lower package
    @TICKET.register                         # in the higher package's receivers.py
    def open_votes(attendee) -> str | None:  # HTML (Markup) or None for nothing
        ...
    TICKET.render(attendee)                  # in the lower package's route

A provider must not write: the page is a read.
"""

from collections.abc import Callable

from markupsafe import Markup

Provider = Callable[[object], str | None]


class PanelRegistry:
    """The providers of one page's panels, in registration order."""

    def __init__(self) -> None:
        self._providers: list[Provider] = []

    def register(self, provider: Provider) -> Provider:
        """Register ``provider(subject) -> HTML | None`` (idempotent by function)."""
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def render(self, subject) -> list[Markup]:
        """The non-empty panels for ``subject``, in registration order."""
        panels = []
        for provider in self._providers:
            html = provider(subject)
            if html:
                panels.append(Markup(html))
        return panels
