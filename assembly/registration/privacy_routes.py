"""Ley 1581: an admin erases a person's data (they asked at the desk or by mail); the person,
from their ticket, sees and corrects their data or withdraws consent (which erases it).
Registered on the registration blueprint."""

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies.services import get_assembly
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import AssemblyError, InvalidInput
from assembly.extensions import limiter, unit_of_work
from assembly.helpers import venue_today
from assembly.registration import domain, privacy, services
from assembly.registration.blueprint import bp
from assembly.registration.routes import form_context


@bp.post("/assemblies/<int:assembly_id>/attendees/<int:attendee_id>/erase")
@require(Permission.ERASE_PERSONAL_DATA)
def erase_attendee(assembly_id: int, attendee_id: int):
    """Erase the person's data (kept: the aggregates), after an explicit confirmation."""
    assembly = get_assembly(assembly_id)
    attendee = services.get_attendee(assembly.id, attendee_id)
    if request.form.get("confirm") != "yes":
        raise InvalidInput(
            _("Marque la confirmación: el borrado no se puede deshacer."),
            fields={"confirm": _("Marque la confirmación: el borrado no se puede deshacer.")},
        )
    reason = request.form.get("reason", "")
    with unit_of_work():
        privacy.erase(current_user, attendee, reason=reason)
        audit.note(
            current_user,
            "attendee.erase",
            assembly_id=assembly.id,
            subject=f"attendee:{attendee.id}",
        )
    flash(_("Datos personales borrados. Quedan solo los conteos."), "success")
    return redirect(url_for("registration.attendees", assembly_id=assembly.id))


# --- the person's own data, from their ticket (no log-in: the ticket token is the key) --------

#: who an erasure asked by the person is recorded under
HOLDER_ACTOR = "titular"


def _personal(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/t/<token>/mis-datos", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], methods=["POST"])
def my_data(token: str):
    """The person sees the data they gave and corrects it (the document number only at the
    desk: changing it here could tell who holds another one)."""
    attendee = services.attendee_by_token(token)
    assembly = get_assembly(attendee.assembly_id)
    values, errors = services.form_values(attendee), {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            kept = {
                "document_type": attendee.document_type,
                "document_number": attendee.document_number,
            }
            if any(
                domain.normalize_document(values.get(key, "")) != domain.normalize_document(value)
                for key, value in kept.items()
            ):
                message = _("El documento solo se corrige en la mesa de registro.")
                raise InvalidInput(message, fields={"document_number": message})
            with unit_of_work():
                services.update(assembly, attendee, values, today=venue_today(assembly))
        except AssemblyError as error:
            errors = dict(error.fields) or {"": error.message}
        else:
            flash(_("Sus datos quedaron corregidos."), "success")
            return redirect(url_for("registration.my_data", token=token))
    context = form_context(assembly, values, errors, mode="self")
    page = render_template("registration/my_data.html", attendee=attendee, token=token, **context)
    return _personal(make_response(page, 422 if errors else 200))


@bp.post("/t/<token>/retirar")
@limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])
def withdraw_consent(token: str):
    """The person withdraws their consent: their data is erased (the counts stay), after an
    explicit confirmation. The ticket stops working."""
    attendee = services.attendee_by_token(token)
    assembly = get_assembly(attendee.assembly_id)
    if request.form.get("confirm") != "yes":
        message = _("Marque la confirmación: el borrado no se puede deshacer.")
        raise InvalidInput(message, fields={"confirm": message})
    with unit_of_work():
        privacy.erase(
            HOLDER_ACTOR, attendee, reason="retiro del consentimiento (enlace del tiquete)"
        )
        audit.note(
            HOLDER_ACTOR,
            "attendee.withdraw",
            assembly_id=assembly.id,
            subject=f"attendee:{attendee.id}",
        )
    return _personal(
        make_response(render_template("registration/withdrawn.html", assembly=assembly))
    )
