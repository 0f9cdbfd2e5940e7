"""How the follow-up reacts to the plenary (board's signals; see ARCHITECTURE.md)."""

from flask import render_template

from assembly.board.panels import board_panel, console_panel
from assembly.board.signals import agenda_approved, approval_annulled, piece_amended
from assembly.followup import services, survey, survey_routes
from assembly.registration.panels import ticket_panel
from assembly.registration.signals import attendee_erased


@agenda_approved.connect
def make_commitments(group, **_kwargs) -> None:
    """An approved agenda's plan pieces become commitments."""
    services.commit_agenda(group)


@approval_annulled.connect
def annul_commitments(group, **_kwargs) -> None:
    services.annul_agenda(group)


@piece_amended.connect
def carry_amendment(piece, **_kwargs) -> None:
    services.carry_amendment(piece)


@ticket_panel
def survey_on_the_ticket(attendee) -> str | None:
    """While the survey is open, the ticket page of a person who attended offers it."""
    if attendee.checked_in_at is None:
        return None
    if survey.state_of(survey.survey_of(attendee.assembly_id)) != "abierta":
        return None
    return render_template(
        "followup/_ticket_survey_panel.html",
        attendee=attendee,
        answered=survey.answer_of(attendee) is not None,
    )


@console_panel
def survey_on_the_console(assembly) -> str | None:
    """The plenary console shows the survey (open it at the end of Moment 5) and its live
    results."""
    return survey_routes.console_panel_html(assembly)


@board_panel
def survey_qr_on_the_board(assembly) -> str | None:
    """The projected board carries the survey's QR in a corner while the survey is open."""
    return survey_routes.board_panel_html(assembly)


@attendee_erased.connect
def forget_survey_comments(attendee, **_kwargs) -> None:
    """Ley 1581: an erased person's free comments in the survey are erased too."""
    survey.forget_comments(attendee)
