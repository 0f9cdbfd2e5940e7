"""The desk's rule for "a scanner typed this", handed to the desk page's JS (one source: the
patterns of ``assembly.desk.domain``; ``static/js/shared/tickets.js`` applies them)."""

from flask import Flask

from assembly.desk import domain

#: ``looks_like_ticket``: a bare token counts as a scan only from this length on
SCAN_MIN_LENGTH = 24


def ticket_rules() -> dict:
    """The patterns ``looks_like_ticket`` applies, for ``data-ticket-rules`` on the desk page."""
    return {
        "marker": "/t/",
        "token": domain._TOKEN_RE.pattern,
        "mismatched": domain._MISMATCHED_URL_RE.pattern,
        "min_length": SCAN_MIN_LENGTH,
    }


def register(app: Flask) -> None:
    app.add_template_global(ticket_rules)
