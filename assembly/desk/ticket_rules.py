"""The desk's rule for "a scanner typed this", handed to the desk page's JS (one source: the
patterns of ``assembly.desk.domain``; ``static/js/shared/tickets.js`` applies them)."""

from flask import Flask

from assembly.desk import domain


def ticket_rules() -> dict:
    """The patterns ``looks_like_ticket`` applies, for ``data-ticket-rules`` on the desk page."""
    return {
        "marker": "/t/",
        "token": domain.TOKEN_RE.pattern,
        "mismatched": domain.MISMATCHED_URL_RE.pattern,
        "min_length": domain.SCAN_MIN_LENGTH,
    }


def register(app: Flask) -> None:
    app.add_template_global(ticket_rules)
