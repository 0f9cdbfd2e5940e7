"""Ley 1581 at the admin's hand: erase a person's data (they asked at the desk, by mail, or
withdrew their consent). Registered on the registration blueprint."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import InvalidInput
from assembly.extensions import unit_of_work
from assembly.registration import privacy, services
from assembly.registration.blueprint import bp


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
    flash(_("Datos personales borrados. Quedan solo los conteos."), "success")
    return redirect(url_for("registration.attendees", assembly_id=assembly.id))
