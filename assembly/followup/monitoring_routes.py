"""Monitoring across assemblies (supervisors) and the opt-in public accountability page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assembly.assemblies import periods
from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import NotFound
from assembly.followup import monitoring, services
from assembly.followup.routes import STATUS_LABELS, bp

DIMENSION_LABELS = {
    "region": _l("Región"),
    "theme": _l("Eje temático"),
    "who": _l("Responsable"),
    "due": _l("Trimestre"),
}


def dimension_of(args) -> str:
    """The summary's grouping from the query string (``por``), region by default."""
    value = args.get("por", "region")
    return value if value in monitoring.DIMENSIONS else "region"


def _dimension() -> str:
    return dimension_of(request.args)


@bp.route("/compromisos")
@require(Permission.VIEW_ASSEMBLY)
def monitor():
    """Every followed commitment of the assemblies this account works on (auth.scope), by
    region, theme, responsible or quarter, filterable, with progress bars."""
    filters = monitoring.clean_filters(request.args)
    dimension = _dimension()
    found = monitoring.rows(filters)
    return render_template(
        "followup/monitor.html",
        filters=filters,
        dimension=dimension,
        dimensions=DIMENSION_LABELS,
        rows=found,
        summary=monitoring.summary(found, dimension),
        options=monitoring.options(),
        statuses=STATUS_LABELS,
        quarter=periods.label,
    )


@bp.route("/assemblies/<int:assembly_id>/compromisos/publico", methods=["POST"])
@require(Permission.FOLLOW_UP)
def set_public(assembly_id: int):
    get_assembly(assembly_id)
    public = request.form.get("public") == "1"
    with broadcasting():
        monitoring.set_public(assembly_id, public)
    if public:
        flash(_("La página pública de rendición de cuentas está abierta."), "success")
    else:
        flash(_("La página pública de rendición de cuentas está cerrada."), "success")
    return redirect(url_for("followup.index", assembly_id=assembly_id))


@bp.route("/rendicion/<int:assembly_id>")
def accountability(assembly_id: int):
    """Public (when the assembly opted in): each commitment's progress, with organisations
    and institutions only — never a person's name."""
    if not monitoring.is_public(assembly_id):
        raise NotFound(_("Esta asamblea no publica su seguimiento."))
    assembly = get_assembly(assembly_id)
    commitments = services.commitments_of(assembly_id)
    return render_template(
        "followup/public.html",
        assembly=assembly,
        rows=monitoring.public_rows(assembly_id, commitments),
        statuses=STATUS_LABELS,
        quarter=periods.label,
    )
