"""The live agenda's screens: moderator console, projector, idle slides, public clock JSON."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.agenda import services, slides
from assembly.assemblies import services as assemblies
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import AssemblyError, NotFound
from assembly.extensions import unit_of_work

bp = Blueprint("agenda", __name__)


@bp.route("/assemblies/<int:assembly_id>/console")
@require(Permission.RUN_CLOCK)
def console(assembly_id: int):
    """The moderator's console: the agenda, the current slot and every clock control."""
    assembly = assemblies.get_assembly(assembly_id)
    return render_template(
        "agenda/console.html",
        assembly=assembly,
        schedule=services.schedule(assembly.id),
        log=services.action_log(assembly.id),
    )


@bp.route("/assemblies/<int:assembly_id>/console/data")
@require(Permission.RUN_CLOCK)
def console_data(assembly_id: int):
    """The console's agenda (planned, actual, projected) and action log, as JSON."""
    assembly = assemblies.get_assembly(assembly_id)
    return jsonify(
        ok=True, schedule=services.schedule(assembly.id), log=services.action_log(assembly.id)
    )


@bp.route("/api/assemblies/<int:assembly_id>/clock")
def clock_json(assembly_id: int):
    """The clock snapshot, public (what any clock screen shows), for screens without a socket."""
    response = jsonify(services.clock_snapshot(assemblies.get_assembly(assembly_id).id))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/assemblies/<int:assembly_id>/projector")
@require(Permission.RUN_CLOCK)
def projector(assembly_id: int):
    """The projector: the countdown huge, or the idle slideshow before the day and in breaks."""
    assembly = assemblies.get_assembly(assembly_id)
    return render_template(
        "agenda/projector.html",
        assembly=assembly,
        counts=assemblies.overview(assembly),
        slides=slides.list_slides(assembly.id),
    )


@bp.route("/assemblies/<int:assembly_id>/slides", methods=["GET", "POST"])
@require(Permission.RUN_CLOCK)
def slide_list(assembly_id: int):
    """Upload, reorder and delete the images of the projector's idle slideshow."""
    assembly = assemblies.get_assembly(assembly_id)
    error = None
    if request.method == "POST":
        uploads = [(f.filename, f.read()) for f in request.files.getlist("images") if f.filename]
        try:
            with unit_of_work():
                added = slides.add_slides(current_user, assembly.id, uploads)
        except AssemblyError as problem:
            if problem.status == 404:
                raise
            error = problem.message
        else:
            flash(_("%(n)d imágenes agregadas.", n=len(added)), "success")
            return redirect(url_for("agenda.slide_list", assembly_id=assembly.id))
    return render_template(
        "agenda/slides.html",
        assembly=assembly,
        slides=slides.list_slides(assembly.id),
        error=error,
        max_mb=slides.MAX_SLIDE_BYTES // (1024 * 1024),
    ), 422 if error else 200


@bp.post("/assemblies/<int:assembly_id>/slides/<int:slide_id>/<action>")
@require(Permission.RUN_CLOCK)
def slide_action(assembly_id: int, slide_id: int, action: str):
    """Move a slide up or down, or delete it."""
    if action not in {"up", "down", "delete"}:
        raise NotFound(_("Acción desconocida."))
    with unit_of_work():
        if action == "delete":
            path = slides.delete_slide(current_user, assembly_id, slide_id)
        else:
            slides.move_slide(current_user, assembly_id, slide_id, -1 if action == "up" else 1)
    if action == "delete":
        path.unlink(missing_ok=True)
        flash(_("Imagen borrada."), "success")
    return redirect(url_for("agenda.slide_list", assembly_id=assembly_id))


@bp.route("/assemblies/<int:assembly_id>/slides/<int:slide_id>/image")
@require(Permission.RUN_CLOCK)
def slide_image(assembly_id: int, slide_id: int):
    """One slide's image file."""
    slide = slides.get_slide(assembly_id, slide_id)
    path = slides.slide_path(slide)
    if not path.exists():
        raise NotFound(_("La imagen no existe."))
    return send_file(path, mimetype=slide.content_type, max_age=3600)
