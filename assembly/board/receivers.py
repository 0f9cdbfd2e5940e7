"""How the plenary reacts to the packages below it (their signals; see ARCHITECTURE.md)."""

from flask import render_template

from assembly.assemblies.signals import assembly_closed, assembly_closing, assembly_progress
from assembly.board import services
from assembly.board.models import VOTE_CHOICES
from assembly.registration.panels import ticket_panel
from assembly.registration.signals import person_erasing


@assembly_closing.connect
def no_closing_while_voting(assembly, *, actor=None, reason="", **_kwargs) -> None:
    """Refuse to close while a phone vote is open or a mesa is undecided, unless a reason
    confirms it (the open votes are then counted; the reason goes into the acta)."""
    services.refuse_closing_with_open_votes(assembly, actor, reason)


@assembly_closed.connect
def store_the_acta(assembly, *, actor=None, reason="", **_kwargs) -> None:
    """The acta is the snapshot taken the moment the assembly closes (a new version each
    time it closes again)."""
    services.store_acta(actor, assembly, reason)


@person_erasing.connect
def redact_the_acta(attendee, *, names=(), **_kwargs) -> None:
    """An erased person's mentions leave the acta in a new, redacted version (Ley 1581); names
    in a public role stay."""
    services.redact_for_erasure(attendee.assembly_id, list(names))


@assembly_progress.connect
def plenary_counts(assembly, **_kwargs) -> dict:
    """Mesas whose agenda is decided (approved or not), votes open, and the acta."""
    results = services.approval_results(assembly.id).values()
    return {
        "decided": sum(r["status"] == "closed" for r in results),
        "voting": sum(r["status"] == "open" for r in results),
        "acta": services.latest_acta(assembly.id) is not None,
    }


@ticket_panel
def open_votes_on_the_ticket(attendee) -> str | None:
    """The ticket page shows the open phone votes with a button to vote (issue 15.3)."""
    approvals = services.open_votes(attendee.assembly_id)
    if not approvals:
        return None
    return render_template(
        "board/_ticket_vote_panel.html",
        attendee=attendee,
        approvals=approvals,
        mine=services.votes_of(attendee),
        choices=VOTE_CHOICES,
    )
