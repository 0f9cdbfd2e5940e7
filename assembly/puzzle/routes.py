"""The puzzle's pages: the table leaders' phone page and the mesa facilitator's view."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies import periods
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import PermissionDenied
from assembly.extensions import limiter
from assembly.grouping import services as grouping
from assembly.puzzle import domain, services

bp = Blueprint("puzzle", __name__)

WRONG_CODE = (
    "No encontramos una mesa con el código «{code}». Revise el código en la tarjeta de su "
    "mesa y escríbalo de nuevo, o pídalo a la persona que facilita."
)


def _wrong_code(response) -> bool:
    return response.status_code == 404


@bp.route("/mesa")
# Only wrong codes count (against guessing); a room of phones behind one address still enters.
@limiter.limit("30 per minute", deduct_when=_wrong_code)
def table_entry():
    """Type the table's short code (no account needed); a valid code opens the table page."""
    code = (request.args.get("code") or "").strip()
    if code:
        table = services.table_for_code(code)
        if table is not None:
            return redirect(url_for("puzzle.table_page", code=table.join_code))
        return render_template(
            "puzzle/entry.html", code=code, error=_(WRONG_CODE).format(code=code[:20])
        ), 404
    return render_template("puzzle/entry.html", code="", error=None)


@bp.route("/mesa/<code>")
@limiter.limit("30 per minute", deduct_when=_wrong_code)
def table_page(code: str):
    """The table's space on the leaders' phones: theme, step, countdown, pieces."""
    table = services.table_for_code(code)
    if table is None:
        return render_template(
            "puzzle/entry.html", code=code, error=_(WRONG_CODE).format(code=code[:20])
        ), 404
    if code != table.join_code:
        return redirect(url_for("puzzle.table_page", code=table.join_code))
    identity = {"kind": "table_code", **services.identity_for_code(table.join_code)}
    state = services.table_state(identity)
    assembly = get_assembly(identity["assembly_id"])
    return render_template(
        "puzzle/table.html",
        assembly=assembly,
        code=table.join_code,
        state=state,
        quarters=periods.choices(assembly),
        limits=domain.LIMITS,
    )


@bp.route("/assemblies/<int:assembly_id>/facilitate")
@require(Permission.FACILITATE)
def facilitate_index(assembly_id: int):
    """The mesas this account may facilitate; straight to it when there is only one."""
    assembly = get_assembly(assembly_id)
    groups = [
        g for g in grouping.groups_of(assembly_id) if services.may_facilitate(current_user, g)
    ]
    if len(groups) == 1:
        return redirect(
            url_for("puzzle.facilitate", assembly_id=assembly_id, group_id=groups[0].id)
        )
    return render_template("puzzle/facilitate_index.html", assembly=assembly, groups=groups)


@bp.route("/assemblies/<int:assembly_id>/groups/<int:group_id>/facilitate")
@require(Permission.FACILITATE)
def facilitate(assembly_id: int, group_id: int):
    """The mesa facilitator's phone view: its tables side by side, live, with moderation."""
    try:
        group = services.facilitated_group(current_user, group_id, assembly_id)
    except PermissionDenied as error:
        # A facilitator who opened another mesa's link goes to their own mesa(s) instead.
        flash(error.message, "warning")
        return redirect(url_for("puzzle.facilitate_index", assembly_id=assembly_id))
    state = services.group_state(group)
    assembly = get_assembly(assembly_id)
    return render_template(
        "puzzle/facilitate.html",
        assembly=assembly,
        group=group,
        state=state,
        limits=domain.LIMITS,
    )
