"""The page behind a projected QR that needs a ticket (the vote, the survey).

A phone that opened its ticket before (its cookie) goes straight on; otherwise the person is
asked for the ticket — the badge's QR opened with the camera, or the ticket link pasted — and
a wrong one is said (422), never which tickets exist."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from assembly.registration.models import Attendee
from assembly.registration.services import ticket_owner


def ticket_token_from(text: str) -> str:
    """The ticket token from what a person pasted: the ticket link or the bare code."""
    text = (text or "").strip()
    if "/t/" in text:
        text = text.split("/t/", 1)[1]
    return text.split("/")[0].split("?")[0].split("#")[0].removesuffix(".png")[:64]


def ticket_holder(assembly_id: int, token: str) -> Attendee | None:
    """The attendee of this assembly whose ticket this is; None for anything else."""
    attendee = ticket_owner(token)
    return attendee if attendee is not None and attendee.assembly_id == assembly_id else None


def ticket_entry(assembly, *, template: str, endpoint: str, token_arg: str):
    """Answer the entry page: a redirect to ``endpoint`` with the ticket, or ``template``."""
    error = None
    token = request.cookies.get(f"ticket_{assembly.id}", "")
    if request.method == "POST":
        token = ticket_token_from(request.form.get("ticket", ""))
        error = _("No encontramos ese tiquete. Abra el código QR de su escarapela con la cámara.")
    attendee = ticket_holder(assembly.id, token)
    if attendee is not None:
        return redirect(url_for(endpoint, **{token_arg: attendee.ticket_token}))
    pasted = request.form.get("ticket", "")[:300]  # kept in the field beside its error
    page = render_template(template, assembly=assembly, error=error, pasted=pasted)
    return page, 422 if error else 200
