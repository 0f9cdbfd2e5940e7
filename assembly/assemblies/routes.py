"""Assemblies: list, create from the methodology template, edit fields, themes and agenda."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies import broadcasts, program, services, template
from assembly.assemblies.domain import day_checklist, time_zones
from assembly.assemblies.forms import AssemblyForm
from assembly.assemblies.models import STATUSES
from assembly.assemblies.realtime import broadcasting
from assembly.auth import services as accounts_services
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.core import divipola, network
from assembly.core.qr import qr_svg
from assembly.errors import AssemblyError, InvalidInput, NotFound
from assembly.extensions import unit_of_work
from assembly.helpers import attach_errors, room, select_choices

bp = Blueprint("assemblies", __name__, url_prefix="/assemblies")


def _choices(form: AssemblyForm) -> None:
    form.time_zone.choices = select_choices((zone, zone.replace("_", " ")) for zone in time_zones())
    form.department_code.choices = select_choices([("", "—"), *divipola.departments()])
    department = form.department_code.data or ""
    municipalities = divipola.municipalities(department) if department else []
    form.municipality_code.choices = select_choices([("", "—"), *municipalities])


@bp.route("/")
@require(Permission.VIEW_ASSEMBLY)
def index():
    """Every assembly, newest first."""
    return render_template(
        "assemblies/index.html", assemblies=services.list_assemblies(current_user)
    )


@bp.route("/red")
@require(Permission.VIEW_ASSEMBLY)
def room_network():
    """«Red de la sala»: the address phones use, a big QR to test one, and the phones connected
    to this process now."""
    address = room()
    return render_template(
        "assemblies/network.html",
        address=address,
        qr=qr_svg(
            address.base_url + "/", label=_("Código QR de la dirección de la sala"), border=2
        ),
        presence=network.presence.counts(),
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_ASSEMBLIES)
def new():
    """Create an assembly from the methodology template (agenda, 5 themes, one mesa each)."""
    form = AssemblyForm(data=services.template_defaults() if request.method == "GET" else None)
    _choices(form)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                assembly = services.create_from_template(current_user, form.raw())
        except AssemblyError as error:
            attach_errors(form, error)
        else:
            flash(
                _(
                    "Asamblea creada con la agenda y los ejes de la metodología. Revísalos y ajusta lo que cambie."
                ),
                "success",
            )
            return redirect(url_for("assemblies.show", assembly_id=assembly.id))
    return render_template(
        "assemblies/form.html", form=form, assembly=None
    ), 422 if form.errors else 200


@bp.route("/<int:assembly_id>")
@require(Permission.VIEW_ASSEMBLY)
def show(assembly_id: int):
    """An assembly's landing page: data, counts, links to each screen."""
    assembly = services.get_assembly(assembly_id)
    counts = services.progress(assembly)
    steps = day_checklist(
        has_venue=bool(assembly.venue and assembly.department_code),
        themes=len(assembly.themes),
        moments=len(assembly.moments),
        status=assembly.status,
        counts=counts,
    )
    return render_template(
        "assemblies/show.html",
        assembly=assembly,
        counts=counts,
        steps=steps,
        statuses=STATUSES,
    )


@bp.route("/<int:assembly_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_ASSEMBLIES)
def edit(assembly_id: int):
    """Edit the assembly's own fields."""
    assembly = services.get_assembly(assembly_id)
    form = AssemblyForm(obj=assembly)
    _choices(form)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.update_assembly(current_user, assembly.id, form.raw())
        except AssemblyError as error:
            attach_errors(form, error)
        else:
            flash(_("Cambios guardados."), "success")
            return redirect(url_for("assemblies.show", assembly_id=assembly.id))
    return render_template(
        "assemblies/form.html", form=form, assembly=assembly
    ), 422 if form.errors else 200


@bp.post("/<int:assembly_id>/status")
@require(Permission.MANAGE_ASSEMBLIES)
def status(assembly_id: int):
    """Move the assembly between draft, open, live and closed."""
    try:
        with broadcasting() as out:
            assembly = services.set_status(
                current_user,
                assembly_id,
                request.form.get("status", ""),
                request.form.get("reason", ""),
            )
            out.add(broadcasts.assembly_changed(assembly))
    except AssemblyError as error:
        if error.status == 404 or (error.status == 422 and not error.fields):
            raise
        # refused by a package above (a vote still open...) or a reason missing
        flash(error.message, "error")
    else:
        flash(_("Estado: %(status)s.", status=_(assembly.status_label)), "success")
    return redirect(url_for("assemblies.show", assembly_id=assembly_id))


@bp.route("/<int:assembly_id>/themes")
@require(Permission.MANAGE_ASSEMBLIES)
def themes(assembly_id: int):
    """The themes (one per mesa), editable in place."""
    return render_template("assemblies/themes.html", assembly=services.get_assembly(assembly_id))


@bp.route("/<int:assembly_id>/agenda")
@require(Permission.MANAGE_ASSEMBLIES)
def agenda(assembly_id: int):
    """The moments and their steps, editable in place."""
    return render_template(
        "assemblies/agenda.html",
        assembly=services.get_assembly(assembly_id),
        moment_kinds=template.MOMENT_KINDS,
        step_kinds=template.STEP_KINDS,
    )


# Row editors share one route: what differs is which service runs and where to go back to.
_ROW_ACTIONS = {
    ("themes", "add"): (lambda a, r, f: program.add_theme(current_user, a, f), "themes"),
    ("themes", "update"): (lambda a, r, f: program.update_theme(current_user, a, r, f), "themes"),
    ("themes", "delete"): (lambda a, r, f: program.delete_theme(current_user, a, r), "themes"),
    ("themes", "up"): (lambda a, r, f: program.move_theme(current_user, a, r, -1), "themes"),
    ("themes", "down"): (lambda a, r, f: program.move_theme(current_user, a, r, 1), "themes"),
    ("moments", "add"): (lambda a, r, f: program.add_moment(current_user, a, f), "agenda"),
    ("moments", "update"): (
        lambda a, r, f: program.update_moment(current_user, a, r, f),
        "agenda",
    ),
    ("moments", "delete"): (lambda a, r, f: program.delete_moment(current_user, a, r), "agenda"),
    ("moments", "up"): (lambda a, r, f: program.move_moment(current_user, a, r, -1), "agenda"),
    ("moments", "down"): (lambda a, r, f: program.move_moment(current_user, a, r, 1), "agenda"),
    ("moments", "add-step"): (lambda a, r, f: program.add_step(current_user, a, r, f), "agenda"),
    ("steps", "update"): (lambda a, r, f: program.update_step(current_user, a, r, f), "agenda"),
    ("steps", "delete"): (lambda a, r, f: program.delete_step(current_user, a, r), "agenda"),
    ("steps", "up"): (lambda a, r, f: program.move_step(current_user, a, r, -1), "agenda"),
    ("steps", "down"): (lambda a, r, f: program.move_step(current_user, a, r, 1), "agenda"),
}

_DONE = {
    "add": "Agregado.",
    "update": "Guardado.",
    "delete": "Borrado.",
    "up": "Movido.",
    "down": "Movido.",
    "add-step": "Paso agregado.",
}


@bp.post("/<int:assembly_id>/<kind>/<int:row_id>/<action>")
@require(Permission.MANAGE_ASSEMBLIES)
def row_action(assembly_id: int, kind: str, row_id: int, action: str):
    """Add, update, delete or move one theme, moment or step (row_id 0 to add)."""
    entry = _ROW_ACTIONS.get((kind, action))
    if entry is None:
        raise NotFound(_("Acción desconocida."))
    run, page = entry
    try:
        with broadcasting():
            run(assembly_id, row_id, request.form.to_dict())
            if kind != "themes":
                # A running clock follows the edit in the same transaction (or refuses it).
                program.agenda_edited(current_user, assembly_id)
    except AssemblyError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        flash(_(_DONE[action]), "success")
    return redirect(url_for(f"assemblies.{page}", assembly_id=assembly_id) + f"#{kind}-{row_id}")


@bp.route("/<int:assembly_id>/staff", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def staff(assembly_id: int):
    """Who works on this assembly: each staff account's role applies only to the assemblies
    it is granted here (admins and national accounts work on every one)."""
    assembly = services.get_assembly(assembly_id)
    accounts = accounts_services.staff_accounts()
    if request.method == "POST":
        chosen = {int(v) for v in request.form.getlist("user_ids") if v.isdigit()}
        with unit_of_work():
            for user in accounts:
                if not user.is_global:
                    accounts_services.grant(user, assembly.id, user.id in chosen)
        flash(_("Equipo de la asamblea guardado."), "success")
        return redirect(url_for("assemblies.staff", assembly_id=assembly.id))
    return render_template("assemblies/staff.html", assembly=assembly, accounts=accounts)


@bp.post("/<int:assembly_id>/public-board")
@require(Permission.MANAGE_ASSEMBLIES)
def public_board(assembly_id: int):
    """Turn the public phone board on or off, or give it a new address."""
    action = request.form.get("action", "")
    if action not in {"on", "off", "new"}:
        raise InvalidInput(_("Acción desconocida para el tablero público."))
    with unit_of_work():
        assembly = services.set_public_board(
            current_user, assembly_id, enabled=action != "off", new_address=action == "new"
        )
    messages = {
        "on": _("Tablero público activado."),
        "off": _("Tablero público desactivado: los teléfonos ya no lo abren."),
        "new": _("El tablero público tiene una dirección nueva: la anterior ya no funciona."),
    }
    flash(messages[action], "success")
    return redirect(url_for("assemblies.show", assembly_id=assembly.id))
