"""The registration desk: scan a ticket or find a person, check them in, undo, see counters."""

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.desk import payloads
from assembly.desk.broadcasts import broadcast_desk_counters
from assembly.errors import InvalidInput
from assembly.extensions import unit_of_work
from assembly.helpers import utcnow
from assembly.registration import checkin

bp = Blueprint("desk", __name__, url_prefix="/assemblies/<int:assembly_id>/desk")


def _json_body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _show_documents() -> bool:
    return current_user.can(Permission.PERSONAL_DATA)


def _attendee_id(data: dict) -> int:
    try:
        return int(data.get("attendee_id"))
    except (TypeError, ValueError):
        raise InvalidInput("Falta la persona (attendee_id).") from None


@bp.route("")
@require(Permission.DESK)
def screen(assembly_id: int):
    """The desk screen: scanner/search input, camera, result, undo, walk-in, live counters."""
    assembly = get_assembly(assembly_id)
    return render_template(
        "desk/desk.html",
        assembly=assembly,
        walk_in_base=f"/assemblies/{assembly.id}/attendees/new",
    )


@bp.route("/checkin", methods=["POST"])
@require(Permission.DESK)
def check_in(assembly_id: int):
    """Check a person in, by scanned ticket (``ticket``) or by search pick (``attendee_id``);
    JSON in and out.  Unknown and repeated tickets are answers (red, amber), not errors."""
    data = _json_body()
    # No assembly lookup: the service checks the ticket's assembly, one query less per scan.
    with unit_of_work():
        if data.get("attendee_id") not in (None, ""):
            outcome = checkin.check_in_by_id(
                current_user, assembly_id, _attendee_id(data), data.get("desk"), utcnow()
            )
        else:
            outcome = checkin.check_in(
                current_user, assembly_id, str(data.get("ticket") or ""), data.get("desk"), utcnow()
            )
    body = payloads.result(outcome, show_documents=_show_documents())
    if outcome.kind == checkin.OK:
        broadcast_desk_counters(assembly_id)
    return jsonify(ok=True, **body)


@bp.route("/undo", methods=["POST"])
@require(Permission.DESK)
def undo(assembly_id: int):
    """Take back a check-in (the desk's "deshacer")."""
    data = _json_body()
    with unit_of_work():
        attendee = checkin.undo_check_in(current_user, assembly_id, _attendee_id(data))
    body = payloads.person(attendee, show_documents=_show_documents())
    broadcast_desk_counters(assembly_id)
    return jsonify(ok=True, message=f"Se deshizo la llegada de {attendee.full_name}.", person=body)


@bp.route("/search")
@require(Permission.DESK)
def search(assembly_id: int):
    """People matching a name (every word, accents ignored) or a document number prefix."""
    get_assembly(assembly_id)
    people = checkin.search(assembly_id, request.args.get("q", ""), limit=8)
    show = _show_documents()
    return jsonify(ok=True, results=[payloads.person(a, show_documents=show) for a in people])


@bp.route("/counters")
@require(Permission.DESK)
def counters(assembly_id: int):
    """The live counters as JSON (the screen's first paint, and a fallback with no socket)."""
    get_assembly(assembly_id)
    return jsonify(ok=True, state=checkin.counters(assembly_id, utcnow()))
