"""The satisfaction survey's pages: the moderator's survey console (settings, open/close, live
results, the QR to project) and the attendee's answer page, reached from the ticket page or
the projected QR. Everything stays open after the assembly closes, within the survey's window."""

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.board import broadcasts as board_broadcasts
from assembly.board import services as board
from assembly.core.qr import qr_svg
from assembly.errors import AssemblyError, InvalidInput, NotFound
from assembly.extensions import limiter
from assembly.followup import broadcasts, survey
from assembly.followup import survey_domain as rules
from assembly.followup.routes import bp
from assembly.helpers import public_url, utcnow
from assembly.registration.services import attendee_by_token
from assembly.registration.ticket_entry import ticket_entry

STATE_LABELS = {"borrador": _l("Sin abrir"), "abierta": _l("Abierta"), "cerrada": _l("Cerrada")}


def question_label(label: str) -> str:
    """A question's label in the page's language: a default question's is translated, a
    question the staff wrote is shown as written."""
    return _(label) if rules.is_builtin_label(label) else label


def _entry_url(assembly_id: int) -> str:
    return public_url(url_for("followup.survey_entry", assembly_id=assembly_id))


def _k() -> int:
    return int(current_app.config.get("EXPORT_K", 5))


def _console_context(assembly, *, values=None, errors=None):
    current = survey.survey_of(assembly.id)
    questions = survey.questions_of(current)
    return {
        "assembly": assembly,
        "survey": current,
        "state": survey.state_of(current),
        "states": STATE_LABELS,
        "qlabel": question_label,
        "results": survey.results(assembly.id, k=1),
        "values": values
        or {
            "questions": rules.questions_text(questions),
            "window_hours": current.window_hours if current else rules.DEFAULT_WINDOW_HOURS,
        },
        "errors": errors or {},
        "entry_url": _entry_url(assembly.id),
    }


@bp.route("/assemblies/<int:assembly_id>/encuesta")
@require(Permission.VIEW_ASSEMBLY)
def survey_console(assembly_id: int):
    """The survey's console: its state, live results (refreshed when an answer arrives), the
    settings and the open/close buttons. ``?partial=1`` gives the results block only,
    ``?partial=resumen`` the plenary console's summary."""
    assembly = get_assembly(assembly_id)
    context = _console_context(assembly)
    if request.args.get("partial") == "resumen":  # the plenary console's panel
        return render_template("followup/_survey_summary.html", **context)
    if request.args.get("partial"):
        return render_template("followup/_survey_results.html", **context)
    return render_template("followup/survey_console.html", **context)


@bp.route("/assemblies/<int:assembly_id>/encuesta", methods=["POST"])
@require(Permission.RUN_CLOCK)
def survey_action(assembly_id: int):
    """Save the settings, open (for the set hours) or close the survey."""
    assembly = get_assembly(assembly_id)
    action = request.form.get("action", "")
    form = request.form.to_dict()
    try:
        with broadcasting() as out:
            if action == "open":
                survey.open_survey(current_user, assembly.id)
                message = _("La encuesta está abierta.")
            elif action == "close":
                survey.close_survey(current_user, assembly.id)
                message = _("La encuesta quedó cerrada.")
            elif action == "settings":
                survey.configure(current_user, assembly.id, form)
                message = _("Preguntas guardadas.")
            else:
                raise InvalidInput(_("Elija guardar, abrir o cerrar."))
            if action in ("open", "close"):
                # opened or closed, the survey's QR goes back to its corner (issue 19)
                plenary = board.drop_big_qr(assembly.id, "survey")
                if plenary:
                    out.add(board_broadcasts.plenary_state(plenary))
            state = survey.state_of(survey.survey_of(assembly.id))
            count = survey.answer_count(assembly.id)
            big = False if action in ("open", "close") else None  # back in its corner, or as it was
            out.add(broadcasts.survey_changed(assembly.id, count, state, big))
    except InvalidInput as error:
        flash(str(error), "error")
        page = render_template(
            "followup/survey_console.html",
            **_console_context(assembly, values=form, errors=error.fields or {}),
        )
        return page, 422
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "error")
    else:
        flash(message, "success")
    if form.get("back") == "plenaria":  # the buttons on the plenary console
        return redirect(url_for("board.console", assembly_id=assembly.id))
    return redirect(url_for("followup.survey_console", assembly_id=assembly.id))


def board_panel_html(assembly) -> str:
    """The survey's corner on the projected board: always on the page (so it appears the moment
    the survey opens), hidden unless the survey is open (``followup/_board_survey.html``)."""
    url = _entry_url(assembly.id)
    current = survey.survey_of(assembly.id)
    return render_template(
        "followup/_board_survey.html",
        assembly=assembly,
        state=survey.state_of(current),
        questions=len(survey.questions_of(current)),
        url=url,
        # typed on a phone: no scheme needed; it wraps after a slash, never inside a word
        short_url=Markup("/<wbr>").join(url.split("://", 1)[-1].split("/")),
        qr=Markup(qr_svg(url, label=_("Código QR de la encuesta"), border=2)),
    )


@bp.route("/assemblies/<int:assembly_id>/encuesta/estado")
@require(Permission.VIEW_ASSEMBLY)
def survey_state(assembly_id: int):
    """The survey's state for the board's corner and the consoles (read again after a
    reconnect), with the seconds until its window closes and whether the board shows its QR
    full height."""
    current = survey.survey_of(get_assembly(assembly_id).id)
    state = survey.state_of(current)
    closes_in = None
    if state == "abierta" and current.closes_at is not None:
        closes_in = max(0.0, (current.closes_at - utcnow()).total_seconds())
    big = survey.qr_is_big(assembly_id, current)
    response = jsonify(ok=True, state=state, closes_in=closes_in, big=big)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/assemblies/<int:assembly_id>/encuesta/proyectar")
@require(Permission.VIEW_ASSEMBLY)
def survey_projector(assembly_id: int):
    """A big QR for the projector: the room answers from its phones."""
    assembly = get_assembly(assembly_id)
    url = _entry_url(assembly.id)
    svg = qr_svg(url, label=_("Código QR de la encuesta"), border=2)
    return render_template(
        "followup/survey_projector.html", assembly=assembly, url=url, qr=Markup(svg)
    )


@bp.route("/encuesta/asamblea/<int:assembly_id>", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def survey_entry(assembly_id: int):
    """Behind the projected QR: a phone that opened its ticket before goes straight to its
    survey; otherwise it is asked for the ticket (the badge's QR or its link)."""
    return ticket_entry(
        get_assembly(assembly_id),
        template="followup/survey_entry.html",
        endpoint="followup.survey_answer",
        token_arg="token",
    )


def _answer_page(attendee, *, values=None, errors=None, status=200):
    current = survey.survey_of(attendee.assembly_id)
    page = render_template(
        "followup/survey_answer.html",
        assembly=get_assembly(attendee.assembly_id),
        attendee=attendee,
        qlabel=question_label,
        questions=survey.questions_of(current),
        state=survey.state_of(current),
        answered=survey.answer_of(attendee) is not None,
        attended=attendee.checked_in_at is not None,
        closes_at=current.closes_at if current else None,
        values=values or {},
        errors=errors or {},
    )
    return page, status


@bp.route("/encuesta/<token>")
def survey_answer(token: str):
    """The attendee's survey, addressed by the ticket (one answer per ticket)."""
    return _answer_page(attendee_by_token(token))


@bp.route("/encuesta/<token>", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"], key_func=lambda: request.view_args.get("token", ""))
def survey_submit(token: str):
    """Store the answer; a refused one comes back in the form, with why."""
    attendee = attendee_by_token(token)
    form = request.form.to_dict()
    try:
        with broadcasting() as out:
            survey.answer(token, form)
            count = survey.answer_count(attendee.assembly_id)
            out.add(broadcasts.survey_changed(attendee.assembly_id, count, "abierta"))
    except InvalidInput as error:
        flash(str(error), "error")
        return _answer_page(attendee, values=form, errors=error.fields or {}, status=422)
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "error")
        return _answer_page(attendee, values=form, status=error.status)
    flash(_("Gracias: su respuesta quedó registrada."), "success")
    return redirect(url_for("followup.survey_answer", token=token))


def console_panel_html(assembly) -> str:
    """The survey's panel on the plenary console (registered in receivers.py)."""
    return render_template("followup/_survey_console_panel.html", **_console_context(assembly))
