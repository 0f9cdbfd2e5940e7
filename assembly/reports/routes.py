"""The supervisors' reports page: one click per Excel report, for one assembly or several."""

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from assembly.assemblies import services as assemblies
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import wants_json
from assembly.extensions import unit_of_work
from assembly.followup import lessons, monitoring
from assembly.followup import lessons_domain as lesson_rules
from assembly.followup.monitoring_routes import dimension_of
from assembly.reports import domain, services
from assembly.reports.workbooks.lessons import lessons_workbook
from assembly.reports.workbooks.monitoring import monitoring_workbook

bp = Blueprint("reports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exports_dir() -> Path:
    return Path(current_app.config["EXPORTS_DIR"])


def _page(selected: set[int] | None, assembly=None):
    rows = services.reportable_assemblies(current_user)
    if selected is None:
        selected = {row["assembly"].id for row in rows}
    return render_template(
        "reports/index.html",
        rows=rows,
        selected=selected,
        reports=domain.REPORTS,
        variants=domain.VARIANTS,
        full=domain.FULL,
        pseudonymised=domain.PSEUDONYMISED,
        exports=services.recent_exports(viewer=current_user),
        assembly=assembly,
    )


@bp.route("/reports")
@require(Permission.EXPORT)
def index():
    """Every assembly with checkboxes, the reports, and the log of earlier exports."""
    return _page(None)


@bp.route("/assemblies/<int:assembly_id>/reports")
@require(Permission.EXPORT)
def for_assembly(assembly_id: int):
    """The reports page with one assembly selected."""
    assembly = assemblies.get_assembly(assembly_id)
    return _page({assembly.id}, assembly)


@bp.post("/reports/export")
@require(Permission.EXPORT)
def export():
    """Build one report for the selected assemblies, save and log it. The page calls this
    with fetch (JSON answer with the download address, while it shows progress); without
    JavaScript the form posts here and gets the file itself."""
    variant = request.form.get("variant", domain.PSEUDONYMISED)
    with unit_of_work():
        result = services.export_report(
            current_user,
            request.form.get("report", ""),
            request.form.getlist("assembly_ids"),
            variant,
            exports_dir=_exports_dir(),
            secret=current_app.config["PSEUDONYM_KEY"],
            k=current_app.config["EXPORT_K"],
        )
    entry = result.log
    if wants_json():
        described = services.describe_export(entry, result.names, result.zones)
        return jsonify(
            ok=True,
            url=url_for("reports.download", export_id=entry.id),
            filename=entry.filename,
            rows=entry.rows,
            seconds=round(entry.duration_ms / 1000, 1),
            log={**described, "when": described["when"].strftime("%d/%m/%Y %H:%M")},
        )
    return send_file(result.path, mimetype=XLSX, as_attachment=True, download_name=entry.filename)


@bp.route("/reports/files/<int:export_id>")
@require(Permission.EXPORT)
def download(export_id: int):
    """The file of an earlier export, as it was saved."""
    path, name = services.export_file(current_user, export_id, exports_dir=_exports_dir())
    audit.record(current_user, "export.download", subject=name, people=0)
    return send_file(path, mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/compromisos/excel")
@require(Permission.EXPORT)
def monitor_excel():
    """The monitoring page's selection (/compromisos, same filters) in Excel, with the
    summary's native chart."""
    filters = monitoring.clean_filters(request.args)
    dimension = dimension_of(request.args)
    found = monitoring.rows(filters)
    data = monitoring_workbook(
        monitoring.export_rows(found),
        monitoring.summary(found, dimension),
        monitoring.DIMENSIONS[dimension],
    )
    name = f"monitoreo-compromisos-{date.today().isoformat()}.xlsx"
    return Response(
        data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route("/lecciones/excel")
@require(Permission.EXPORT)
def lessons_excel():
    """The lessons-learned search (/lecciones, same filters) in Excel: every field of the
    seed's card, one row per card."""
    found = lessons.search(lesson_rules.clean_filters(request.args))
    headers, rows = lessons.export_rows(found)
    name = f"lecciones-aprendidas-{date.today().isoformat()}.xlsx"
    return Response(
        lessons_workbook(headers, rows),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
