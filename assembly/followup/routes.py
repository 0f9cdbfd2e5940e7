"""Follow-up pages: staff's commitments list and printable sheet, the responsible's private
update page (no account). All stay open after the assembly closes: that is their purpose."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assembly.assemblies import periods
from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.core.qr import qr_svg
from assembly.errors import AssemblyError, InvalidInput, NotFound
from assembly.extensions import limiter
from assembly.followup import monitoring, services
from assembly.helpers import public_url

bp = Blueprint("followup", __name__)

#: the domain's labels, translated (domain.STATUSES / WHO_KINDS keep the Spanish)
STATUS_LABELS = {
    "pendiente": _l("Pendiente"),
    "en_curso": _l("En curso"),
    "cumplido": _l("Cumplido"),
    "en_riesgo": _l("En riesgo"),
    "cancelado": _l("Cancelado"),
}
WHO_LABELS = {
    "organizacion": _l("Organización"),
    "persona": _l("Persona"),
    "institucion": _l("Institución"),
}

#: endpoints meant for after the day: a strict closing check must let them through
OPEN_AFTER_CLOSING = frozenset(
    {
        "followup.index",
        "followup.sheet",
        "followup.edit",
        "followup.review",
        "followup.photo",
        "followup.update_page",
        "followup.report",
        "followup.monitor",
        "followup.set_public",
        "followup.accountability",
        "followup.survey_console",
        "followup.survey_action",
        "followup.survey_projector",
        "followup.survey_entry",
        "followup.survey_answer",
        "followup.survey_submit",
        "followup.lessons_search",
        "followup.lesson_areas",
        "followup.add_lesson_area",
        "followup.lessons_index",
        "followup.new_lesson",
        "followup.create_lesson",
        "followup.edit_lesson",
        "followup.update_lesson",
        "followup.print_lessons",
    }
)


def _link_url(token: str) -> str:
    return public_url(url_for("followup.update_page", token=token))


def _rows(assembly, commitments):
    return [{"c": c, "flags": services.flags_of(c, assembly)} for c in commitments]


@bp.route("/assemblies/<int:assembly_id>/compromisos")
@require(Permission.VIEW_ASSEMBLY)
def index(assembly_id: int):
    """Every commitment of the assembly with its status, progress and flags; the reports
    waiting for staff; each responsible's private link."""
    assembly = get_assembly(assembly_id)
    rows = _rows(assembly, services.commitments_of(assembly.id))
    return render_template(
        "followup/index.html",
        assembly=assembly,
        rows=rows,
        pending=services.pending_reviews(assembly.id),
        links=[
            (link, _link_url(link.token), mine) for link, mine in services.links_of(assembly.id)
        ],
        statuses=STATUS_LABELS,
        who_kinds=WHO_LABELS,
        quarter=periods.label,
        can_edit=current_user.can(Permission.FOLLOW_UP),
        overdue=sum(1 for r in rows if r["flags"]["overdue"]),
        at_risk=sum(1 for r in rows if r["flags"]["at_risk"]),
        public=monitoring.is_public(assembly.id),
    )


@bp.route("/assemblies/<int:assembly_id>/compromisos/hoja")
@require(Permission.VIEW_ASSEMBLY)
def sheet(assembly_id: int):
    """The commitments sheet handed out at the end of the day: one page per responsible,
    with the QR of their private update link."""
    assembly = get_assembly(assembly_id)
    pages = []
    for link, mine in services.links_of(assembly.id):
        url = _link_url(link.token)
        svg = qr_svg(url, label=_("Código QR para reportar avances"), border=2)
        pages.append({"link": link, "url": url, "qr": svg, "commitments": mine})
    return render_template(
        "followup/sheet.html", assembly=assembly, pages=pages, quarter=periods.label
    )


@bp.route("/assemblies/<int:assembly_id>/compromisos/<int:commitment_id>", methods=["POST"])
@require(Permission.FOLLOW_UP)
def edit(assembly_id: int, commitment_id: int):
    """Staff complete a commitment (how, how much, indicator) or set its status."""
    form = request.form.to_dict()
    try:
        with broadcasting():
            if form.get("action") == "report":
                services.staff_report(current_user, assembly_id, commitment_id, form)
                flash(_("Avance registrado."), "success")
            else:
                services.update_details(current_user, assembly_id, commitment_id, form)
                flash(_("Compromiso actualizado."), "success")
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "error")
    return redirect(url_for("followup.index", assembly_id=assembly_id) + f"#c{commitment_id}")


@bp.route("/assemblies/<int:assembly_id>/compromisos/avances/<int:update_id>", methods=["POST"])
@require(Permission.FOLLOW_UP)
def review(assembly_id: int, update_id: int):
    """Confirm or correct a responsible's report."""
    try:
        with broadcasting():
            services.review_update(current_user, assembly_id, update_id, request.form.to_dict())
        flash(_("Reporte revisado."), "success")
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error), "error")
    return redirect(url_for("followup.index", assembly_id=assembly_id) + "#pendientes")


@bp.route("/assemblies/<int:assembly_id>/compromisos/avances/<int:update_id>/foto")
@require(Permission.VIEW_ASSEMBLY)
def photo(assembly_id: int, update_id: int):
    update = services.get_update(assembly_id, update_id)
    if not update.photo:
        raise NotFound(_("Este reporte no tiene foto."))
    response = Response(update.photo, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _update_page(token: str, *, failed_id=None, values=None, errors=None, status=200):
    link = services.link_by_token(token)
    assembly = get_assembly(link.assembly_id)
    page = render_template(
        "followup/update.html",
        assembly=assembly,
        link=link,
        rows=_rows(assembly, services.commitments_for_link(link)),
        statuses=STATUS_LABELS,
        quarter=periods.label,
        failed_id=failed_id,
        values=values or {},
        errors=errors or {},
    )
    return page, status


@bp.route("/seguimiento/<token>")
def update_page(token: str):
    """The responsible's private page: their commitments and a short report form each."""
    return _update_page(token)


@bp.route("/seguimiento/<token>/<int:commitment_id>", methods=["POST"])
@limiter.limit("30/hour", methods=["POST"], key_func=lambda: request.view_args.get("token", ""))
def report(token: str, commitment_id: int):
    """A report from the private link; refused input comes back in the form, with why."""
    upload = request.files.get("photo")
    data = upload.read() if upload and upload.filename else None
    form = request.form.to_dict()
    try:
        with broadcasting():
            services.report_progress(token, commitment_id, form, data)
    except InvalidInput as error:
        flash(str(error), "error")
        return _update_page(
            token, failed_id=commitment_id, values=form, errors=error.fields or {}, status=422
        )
    flash(_("Gracias: su avance quedó registrado. El equipo lo revisará."), "success")
    return redirect(url_for("followup.update_page", token=token) + f"#c{commitment_id}")
