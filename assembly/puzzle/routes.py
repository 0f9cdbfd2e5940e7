"""The puzzle's pages: the table leaders' phone page and the mesa facilitator's view."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies import periods
from assembly.assemblies.services import get_assembly, note_printed
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.errors import PermissionDenied
from assembly.extensions import limiter, unit_of_work
from assembly.grouping import codes
from assembly.grouping import services as grouping
from assembly.helpers import room
from assembly.puzzle import domain, services
from assembly.puzzle.table_audit import audit_table_read

bp = Blueprint("puzzle", __name__)


def _wrong_code_message(code: str) -> str:
    return _(
        "No encontramos una mesa con el código «%(code)s». Revise el código en la tarjeta de "
        "su mesa y escríbalo de nuevo, o pídalo a la persona que facilita.",
        code=code[:20],
    )


def _code_changed_page(code: str):
    """An old (rotated) code: not a wrong guess (410, not counted by the limiter)."""
    error = _(
        "El código «%(code)s» ya no abre la mesa: la facilitación lo cambió. Pida el código "
        "nuevo y escríbalo aquí; lo que escribió en este teléfono sigue guardado.",
        code=code[:20],
    )
    return render_template("puzzle/entry.html", code="", error=error), 410


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
        if services.was_rotated(code):
            return _code_changed_page(code)
        return render_template("puzzle/entry.html", code=code, error=_wrong_code_message(code)), 404
    return render_template("puzzle/entry.html", code="", error=None)


@bp.route("/mesa/<code>")
@limiter.limit("30 per minute", deduct_when=_wrong_code)
def table_page(code: str):
    """The table's space on the leaders' phones: theme, step, countdown, pieces."""
    table = services.table_for_code(code)
    if table is None and services.was_rotated(code):
        return _code_changed_page(code)
    if table is None:
        return render_template("puzzle/entry.html", code=code, error=_wrong_code_message(code)), 404
    if code != table.join_code:
        return redirect(url_for("puzzle.table_page", code=table.join_code))
    identity = {"kind": "table_code", **services.identity_for_code(table.join_code)}
    state = services.table_state(identity)
    audit_table_read(state, current_user)
    assembly = get_assembly(identity["assembly_id"])
    return render_template(
        "puzzle/table.html",
        assembly=assembly,
        code=table.join_code,
        state=state,
        quarters=periods.choices(assembly, _),
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


def _facilitated_table(assembly_id: int, table_id: int):
    table = grouping.get_table(assembly_id, table_id)
    if not services.may_facilitate(current_user, table.group):
        raise PermissionDenied(_("Esta sub-mesa es de una mesa asignada a otra persona."))
    return table


@bp.route("/assemblies/<int:assembly_id>/tables/<int:table_id>/card")
@require(Permission.FACILITATE)
def table_card(assembly_id: int, table_id: int):
    """One sub-mesa's join card, for its facilitator to print again after changing its code."""
    table = _facilitated_table(assembly_id, table_id)
    assembly = get_assembly(assembly_id)
    with unit_of_work():
        note_printed(assembly, room())  # as the organizers' cards: the address it carries
    return render_template(
        "grouping/cards.html",
        assembly=assembly,
        tables=[table],
        join_url=codes.join_url(),
        qr_endpoint="puzzle.table_card_qr",
    )


@bp.route("/assemblies/<int:assembly_id>/tables/<int:table_id>/card-qr.png")
@require(Permission.FACILITATE)
def table_card_qr(assembly_id: int, table_id: int):
    """The QR of that card: it opens public_url('/mesa/<code>')."""
    table = _facilitated_table(assembly_id, table_id)
    return codes.join_qr(table)
