"""Panels on the moderator's plenary console and on the projected board, composed by the
packages above the board.

The board cannot import the follow-up (the satisfaction survey opened at the end of Moment 5),
so that package registers a provider here (in its ``receivers.py``)::

    @console_panel
    def survey_panel(assembly) -> str | None:   # HTML (Markup) or None for nothing
        ...

``panels_for(assembly)`` keeps the non-empty ones, in registration order (see core.panels).
``board_panel`` / ``board_panels_for`` do the same for the projected board (not the phones'
public board): a corner element of its own (the survey's QR while the survey is open), which
the board's layout gives a column of its own so it never covers a piece.
"""

from assembly.core.panels import PanelRegistry

CONSOLE_PANELS = PanelRegistry()
console_panel = CONSOLE_PANELS.register
panels_for = CONSOLE_PANELS.render

BOARD_PANELS = PanelRegistry()
board_panel = BOARD_PANELS.register
board_panels_for = BOARD_PANELS.render
