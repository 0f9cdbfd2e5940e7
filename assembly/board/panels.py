"""Panels on the moderator's plenary console, composed by the packages above the board.

The board cannot import the follow-up (the satisfaction survey opened at the end of Moment 5),
so that package registers a provider here (in its ``receivers.py``)::

    @console_panel
    def survey_panel(assembly) -> str | None:   # HTML (Markup) or None for nothing
        ...

``panels_for(assembly)`` keeps the non-empty ones, in registration order (see core.panels).
"""

from assembly.core.panels import PanelRegistry

CONSOLE_PANELS = PanelRegistry()
console_panel = CONSOLE_PANELS.register
panels_for = CONSOLE_PANELS.render
