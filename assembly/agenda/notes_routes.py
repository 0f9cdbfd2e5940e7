"""The record of Moments 2 and 3: staff note the allies' offers and the experiences live."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assembly.agenda import notes
from assembly.agenda.routes import bp
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import AssemblyError, InvalidInput, NotFound
from assembly.extensions import unit_of_work

KIND_LABELS = {
    "oferta": _l("Oferta institucional (Momento 2)"),
    "experiencia": _l("Experiencia (Momento 3)"),
}


def _page(assembly, *, values=None, errors=None, status=200):
    page = render_template(
        "agenda/moment_notes.html",
        assembly=assembly,
        notes=notes.notes_of(assembly.id),
        kinds=KIND_LABELS,
        values=values or {"kind": request.args.get("tipo", "oferta")},
        errors=errors or {},
        can_edit=current_user.can(Permission.RUN_CLOCK) and assembly.status != "closed",
    )
    return page, status


@bp.route("/assemblies/<int:assembly_id>/momentos")
@require(Permission.VIEW_ASSEMBLY)
def moment_notes(assembly_id: int):
    """The offers (Moment 2) and experiences (Moment 3) noted so far, and the form."""
    return _page(get_assembly(assembly_id))


@bp.route("/assemblies/<int:assembly_id>/momentos", methods=["POST"])
@require(Permission.RUN_CLOCK)
def add_moment_note(assembly_id: int):
    assembly = get_assembly(assembly_id)
    form = request.form.to_dict()
    try:
        with unit_of_work():
            notes.add_note(current_user, assembly.id, form)
    except InvalidInput as error:
        flash(str(error), "error")
        return _page(assembly, values=form, errors=error.fields or {}, status=422)
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "error")
        return _page(assembly, values=form, status=error.status)
    flash(_("Nota guardada: irá al acta."), "success")
    return redirect(url_for("agenda.moment_notes", assembly_id=assembly.id, tipo=form.get("kind")))


@bp.route("/assemblies/<int:assembly_id>/momentos/<int:note_id>/borrar", methods=["POST"])
@require(Permission.RUN_CLOCK)
def delete_moment_note(assembly_id: int, note_id: int):
    try:
        with unit_of_work():
            notes.delete_note(current_user, assembly_id, note_id)
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "error")
    else:
        flash(_("Nota borrada."), "success")
    return redirect(url_for("agenda.moment_notes", assembly_id=assembly_id))
