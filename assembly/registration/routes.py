"""Registration: the unified form (public link, desk walk-in, desk edit), the attendees list,
QR tickets, badges, the poster and extra questions (list imports: imports/routes.py)."""

from urllib.parse import urlencode

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from assembly import marks
from assembly.assemblies.services import get_assembly, note_printed
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.core import divipola
from assembly.core.jobs import breathe, paced
from assembly.core.qr import png_response, qr_svg
from assembly.errors import AssemblyError, NotFound
from assembly.extensions import limiter, unit_of_work
from assembly.helpers import public_url, room, venue_today
from assembly.registration import consent, domain, services
from assembly.registration.blueprint import bp
from assembly.registration.panels import panels_for

PER_PAGE = 50
#: badges a printed page holds (25 A4 sheets of 8; a QR each): «Página 2 de 250» at 50,000
BADGES_PER_PAGE = 200
OPEN_STATUSES = {"open", "live"}


def _public_limit() -> str:
    return current_app.config["PUBLIC_RATE_LIMIT"]


def form_context(assembly, values: dict, errors: dict, *, mode: str, holder=None) -> dict:
    department = values.get("department_code", "")
    labels = {field.key: _(field.label) for field in domain.FIELDS}
    labels.update({f"extra_{q.id}": q.label for q in assembly.extra_questions})
    labels[""] = _("Formulario")
    return {
        "labels": labels,
        "theme_choices": [(theme.id, theme.title) for theme in assembly.themes],
        "today_iso": venue_today(assembly).isoformat(),
        "assembly": assembly,
        "values": values,
        "errors": errors,
        "mode": mode,
        "holder": holder,
        "fields": domain.FIELDS_BY_KEY,
        "departments": divipola.departments(),
        "municipalities": divipola.municipalities(department) if department else [],
        **consent.texts(assembly),
    }


def _submitted() -> dict:
    return {key: value for key, value in request.form.items() if key != "csrf_token"}


def _failed(error: AssemblyError) -> tuple[dict, object]:
    """The per-field messages, in the language of the page, and, for a repeated document,
    who holds it."""
    fields = {key: marks.said(message, _) for key, message in error.fields.items()}
    fields = fields or {"": error.message}
    return fields, getattr(error, "holder", None)


# --- the form, three ways ---------------------------------------------------------------------


@bp.route("/inscripcion/<int:assembly_id>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def public_form(assembly_id: int):
    """The public pre-registration form (no log-in) while registrations are open."""
    assembly = get_assembly(assembly_id)
    if assembly.status not in OPEN_STATUSES:
        status = 200 if request.method == "GET" else 403
        return render_template("registration/closed.html", assembly=assembly), status
    values, errors = {}, {}
    if request.method == "POST":
        values = _submitted()
        try:
            # A registered document gets exactly the answer a new one gets, after the same
            # statements, and changes nothing: any difference (a message, a ticket link, the
            # time taken) would let anyone find out by number who signed up. The person's
            # ticket is the one they have; the desk finds it by the document.
            with unit_of_work():
                services.register_public(assembly, values, today=venue_today(assembly))
        except AssemblyError as error:
            errors, _holder = _failed(error)
        if not errors:
            return redirect(url_for("registration.received", assembly_id=assembly.id))
    context = form_context(assembly, values, errors, mode="public")
    return render_template("registration/public_form.html", **context), 422 if errors else 200


@bp.route("/inscripcion/<int:assembly_id>/recibida")
def received(assembly_id: int):
    """«Recibimos su inscripción»: the same page for a new and an already registered document
    (the ticket is handed at the desk, which finds the person by the document)."""
    assembly = get_assembly(assembly_id)
    return render_template("registration/received.html", assembly=assembly)


def _desk_url(assembly_id: int, desk: str, token: str) -> str:
    """The desk screen, checking in the person just saved."""
    return f"/assemblies/{assembly_id}/desk?" + urlencode({"desk": desk, "checkin": token})


@bp.route("/assemblies/<int:assembly_id>/attendees/new", methods=["GET", "POST"])
@require(Permission.DESK)
def new_attendee(assembly_id: int):
    """Walk-in registration at the desk; from the desk screen it goes back there checked in."""
    assembly = get_assembly(assembly_id)
    # Preset to what most walk-ins answer: the assembly's department, a cédula (issue 20.5).
    values = {"department_code": assembly.department_code or "", "document_type": "CC"}
    errors, holder = {}, None
    desk = request.args.get("desk", "")[:40]
    if request.method == "POST":
        values = _submitted()
        try:
            with unit_of_work():
                attendee = services.register(
                    assembly, values, source="mesa", today=venue_today(assembly)
                )
                audit.note(
                    current_user,
                    "attendee.create",
                    assembly_id=assembly.id,
                    subject=f"attendee:{attendee.id}",
                )
        except AssemblyError as error:
            errors, holder = _failed(error)
        else:
            if request.args.get("return") == "desk":
                return redirect(_desk_url(assembly.id, desk, attendee.ticket_token))
            flash(_("Inscrita: %(name)s.", name=attendee.full_name), "success")
            return redirect(url_for("registration.attendees", assembly_id=assembly.id))
    context = form_context(assembly, values, errors, mode="desk", holder=holder)
    return render_template(
        "registration/attendee_form.html", attendee=None, desk=desk, **context
    ), 422 if errors else 200


@bp.route("/assemblies/<int:assembly_id>/attendees/<int:attendee_id>/edit", methods=["GET", "POST"])
@require(Permission.DESK)
def edit_attendee(assembly_id: int, attendee_id: int):
    """Correct a registration at the desk (ticket, check-in and seat stay)."""
    assembly = get_assembly(assembly_id)
    attendee = services.get_attendee(assembly.id, attendee_id)
    values, errors, holder = services.form_values(attendee), {}, None
    desk = request.args.get("desk", "")[:40]
    if request.method == "POST":
        values = _submitted()
        try:
            with unit_of_work():
                services.update(assembly, attendee, values, today=venue_today(assembly))
                audit.note(
                    current_user,
                    "attendee.update",
                    assembly_id=assembly.id,
                    subject=f"attendee:{attendee.id}",
                )
        except AssemblyError as error:
            errors, holder = _failed(error)
        else:
            flash(_("Cambios guardados: %(name)s.", name=attendee.full_name), "success")
            if request.args.get("return") == "desk":
                return redirect(f"/assemblies/{assembly.id}/desk?" + urlencode({"desk": desk}))
            return redirect(url_for("registration.attendees", assembly_id=assembly.id))
    if request.method == "GET":
        audit.record(
            current_user,
            "attendee.view",
            assembly_id=assembly.id,
            subject=f"attendee:{attendee.id}",
        )
    context = form_context(assembly, values, errors, mode="edit", holder=holder)
    return render_template(
        "registration/attendee_form.html", attendee=attendee, desk=desk, **context
    ), 422 if errors else 200


# --- the staff list ---------------------------------------------------------------------------


def mask(value: str | None, keep: int = 0) -> str:
    """A personal datum as roles without PERSONAL_DATA see it."""
    if not value:
        return "—"
    return "•" * max(len(value) - keep, 4) + (value[-keep:] if keep else "")


@bp.route("/assemblies/<int:assembly_id>/attendees")
@require(Permission.DESK)
def attendees(assembly_id: int):
    """Everyone registered, searchable by name or document (as you type), a page at a time."""
    assembly = get_assembly(assembly_id)
    query = request.args.get("q", "")[:100]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, matching = services.search_attendees(assembly.id, query, page=page, per_page=PER_PAGE)
    context = {
        "assembly": assembly,
        "rows": rows,
        "query": query,
        "page": page,
        "pages": max((matching + PER_PAGE - 1) // PER_PAGE, 1),
        "matching": matching,
        "counts": services.attendee_counts(assembly.id),
        "sources": services.SOURCES,
        "personal": current_user.can(Permission.PERSONAL_DATA),
        "mask": mask,
    }
    if request.args.get("partial"):  # a desk search as you type: not logged one by one
        return render_template("registration/_attendee_results.html", **context)
    audit.record(
        current_user, "attendees.list", assembly_id=assembly.id, subject=query, people=len(rows)
    )
    return render_template("registration/attendees.html", **context)


# --- tickets, badges, poster ------------------------------------------------------------------


def ticket_url(token: str) -> str:
    return public_url("/t/" + token)


@bp.route("/t/<token>")
def ticket(token: str):
    """An attendee's QR ticket: name, assembly, mesa and sub-table; never the document."""
    attendee = services.attendee_by_token(token)
    response = Response(
        render_template(
            "registration/ticket.html",
            attendee=attendee,
            assembly=get_assembly(attendee.assembly_id),
            vote_url=url_for("board.vote", ticket_token=token),
            panels=panels_for(attendee),
        )
    )
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    # the board's vote page (/votar/<assembly>) sends this phone back to its ticket
    response.set_cookie(
        f"ticket_{attendee.assembly_id}",
        token,
        max_age=3 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.route("/t/<token>.png")
def ticket_qr(token: str):
    """The ticket's QR code as a PNG (``?download=1`` to save it)."""
    attendee = services.attendee_by_token(token)
    response = png_response(
        ticket_url(attendee.ticket_token), cache_control="private, max-age=86400"
    )
    if request.args.get("download"):
        name = domain.normalize_name(attendee.full_name).replace(" ", "-") or "tiquete"
        response.headers["Content-Disposition"] = f'attachment; filename="tiquete-{name}.png"'
    return response


@bp.route("/assemblies/<int:assembly_id>/badges")
@require(Permission.DESK)
def badges(assembly_id: int):
    """Badges to print: ``?ids=1,2`` (or repeated ids) or ``?all=1``; A4 sheets of 2×4, or a
    62 mm label roll with ``?format=roll``; ``BADGES_PER_PAGE`` a page (``?page=2``), each
    page printed on its own, so no response grows with the room."""
    assembly = get_assembly(assembly_id)
    if request.args.get("all"):
        ids = None
    else:
        ids = set()
        for value in request.args.getlist("ids"):
            ids.update(
                int(part)
                for part in value.split(",")
                if part.strip().isascii() and part.strip().isdigit()
            )
    people, shown = services.attendees_for_badges(
        assembly.id, ids, page=request.args.get("page"), per_page=BADGES_PER_PAGE
    )
    roll = request.args.get("format") == "roll"
    with unit_of_work():
        note_printed(assembly, room())
        audit.note(current_user, "attendees.badges", assembly_id=assembly.id, people=len(people))
    # a page's new QR codes are still ~0.3 s of work (core.qr: ~1.5 ms each, a reprint's are
    # kept): made one by one, the server serving the others in between (breathe every ~50 ms;
    # nothing written is pending any more)
    codes, tick = {}, paced(breathe)
    for done, person in enumerate(people, 1):
        codes[person.id] = qr_svg(ticket_url(person.ticket_token), label=_("Código QR"))
        tick(done, len(people))
    query = request.args.to_dict(flat=False)
    return render_template(
        "registration/badges.html",
        assembly=assembly,
        people=people,
        shown=shown,
        roll=roll,
        qr=lambda person: Markup(codes[person.id]),
        query={k: v for k, v in query.items() if k != "format"},
        pages_of={k: v for k, v in query.items() if k != "page"},
    )


@bp.route("/assemblies/<int:assembly_id>/poster")
@require(Permission.DESK)
def poster(assembly_id: int):
    """An A4 poster with a big QR to the public pre-registration form."""
    assembly = get_assembly(assembly_id)
    link = public_url(url_for("registration.public_form", assembly_id=assembly.id))
    with unit_of_work():
        note_printed(assembly, room())
    return render_template(
        "registration/poster.html",
        assembly=assembly,
        link=link,
        qr=Markup(qr_svg(link, label=_("Código QR de inscripción"))),
        is_open=assembly.status in OPEN_STATUSES,
    )


# --- extra questions --------------------------------------------------------------------------


@bp.route("/assemblies/<int:assembly_id>/questions")
@require(Permission.MANAGE_ASSEMBLIES)
def questions(assembly_id: int):
    """The assembly's extra questions: add, edit, delete, reorder."""
    return render_template(
        "registration/questions.html",
        assembly=get_assembly(assembly_id),
        kinds=domain.EXTRA_QUESTION_KINDS,
    )


_QUESTION_ACTIONS = {
    "add": (lambda user, a, q: services.add_question(user, a, request.form), "Pregunta agregada."),
    "update": (
        lambda user, a, q: services.update_question(user, a, q, request.form),
        "Pregunta guardada.",
    ),
    "delete": (lambda user, a, q: services.delete_question(user, a, q), "Pregunta borrada."),
    "up": (lambda user, a, q: services.move_question(user, a, q, -1), "Pregunta movida."),
    "down": (lambda user, a, q: services.move_question(user, a, q, 1), "Pregunta movida."),
}


@bp.post("/assemblies/<int:assembly_id>/questions/<int:question_id>/<action>")
@require(Permission.MANAGE_ASSEMBLIES)
def question_action(assembly_id: int, question_id: int, action: str):
    """Add (question_id 0), update, delete or move one extra question."""
    entry = _QUESTION_ACTIONS.get(action)
    if entry is None:
        raise NotFound(_("Acción desconocida."))
    run, done = entry
    assembly = get_assembly(assembly_id)
    try:
        with unit_of_work():
            run(current_user, assembly, question_id)
    except AssemblyError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        flash(_(done), "success")
    return redirect(url_for("registration.questions", assembly_id=assembly_id))
