"""The audit log for admins (Ley 1581): filtered, a page at a time, and as a CSV file.
Registered on the auth blueprint."""

import csv
import io

from flask import Response, render_template, request
from sqlalchemy import func, select

from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.auth.routes import bp
from assembly.core.schemas import as_id
from assembly.extensions import db

CSV_COLUMNS = ("at", "username", "action", "assembly_id", "subject", "people")


def _filters() -> dict:
    return {
        "action": request.args.get("action", "")[:40],
        "username": request.args.get("username", "")[:60],
        "assembly_id": as_id(request.args.get("assembly", "")),
    }


@bp.route("/admin/audit")
@require(Permission.VIEW_AUDIT)
def audit_log():
    """Every staff action on personal data, newest first, 50 a page."""
    filters = _filters()
    query = audit.entries(**filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max((total + audit.PER_PAGE - 1) // audit.PER_PAGE, 1)
    page = min(max(as_id(request.args.get("page", "1")) or 1, 1), pages)
    rows = db.session.scalars(query.limit(audit.PER_PAGE).offset((page - 1) * audit.PER_PAGE))
    return render_template(
        "auth/audit.html",
        rows=list(rows),
        filters=filters,
        actions=audit.actions(),
        page=page,
        pages=pages,
        total=total,
    )


@bp.route("/admin/audit.csv")
@require(Permission.VIEW_AUDIT)
def audit_csv():
    """The filtered log as a CSV file (UTF-8 with BOM, for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in db.session.scalars(audit.entries(**_filters())):
        writer.writerow(
            [entry.at.isoformat(sep=" ", timespec="seconds")]
            + [_cell(getattr(entry, column)) for column in CSV_COLUMNS[1:]]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="auditoria.csv"'},
    )


def _cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
