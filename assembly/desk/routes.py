"""The registration desk: scan a ticket or find a person, check them in, undo, see counters."""

import uuid
from typing import Annotated

from flask import Blueprint, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BeforeValidator, Field

from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import get_assembly
from assembly.auth import audit
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.core.schemas import Count, Id, OptionalId, Payload, Text, json_body
from assembly.desk import domain, payloads, services
from assembly.desk.broadcasts import schedule_desk_counters
from assembly.grouping import broadcasts as grouping_broadcasts
from assembly.helpers import utcnow, venue_zone

bp = Blueprint("desk", __name__, url_prefix="/assemblies/<int:assembly_id>/desk")


class CheckIn(Payload):
    """A scanned ticket (the token or the whole ticket URL) or a person picked in the search."""

    ticket: Text[2000] = ""
    attendee_id: OptionalId = None
    desk: Text[200] | None = None
    #: the desk's UUID of this scan: a resend (lost answer, offline queue) counts once
    scan_id: Annotated[uuid.UUID | None, BeforeValidator(lambda v: v or None)] = None
    #: milliseconds since the scan was made, by the desk's clock (queued while offline)
    age_ms: Annotated[Count, Field(le=domain.SCAN_AGE_MAX_MS)] = 0


class Undo(Payload):
    attendee_id: Id


def _show_documents() -> bool:
    return current_user.can(Permission.PERSONAL_DATA)


@bp.route("")
@require(Permission.DESK)
def screen(assembly_id: int):
    """The desk screen: scanner/search input, camera, result, undo, walk-in, live counters."""
    assembly = get_assembly(assembly_id)
    return render_template(
        "desk/desk.html",
        assembly=assembly,
        walk_in_base=f"/assemblies/{assembly.id}/attendees/new",
        time_zone=venue_zone(assembly).key,
    )


@bp.route("/checkin", methods=["POST"])
@require(Permission.DESK)
@json_body(CheckIn)
def check_in(assembly_id: int, body: CheckIn):
    """Check a person in, by scanned ticket (``ticket``) or by search pick (``attendee_id``);
    JSON in and out.  Unknown and repeated tickets are answers (red, amber), not errors.
    ``scan_id`` (a UUID) and ``age_ms`` come from the desk's queue: a resend counts once, and
    a scan queued while offline counts at the time it was made."""
    now = utcnow()
    scan = services.scan_of(body.scan_id, body.age_ms, now)
    # held for the whole request: the session keeps only what is referenced, and the
    # answer reads it again after the service
    assembly = get_assembly(assembly_id)
    with broadcasting() as out:
        if body.attendee_id is not None:
            outcome = services.check_in_by_id(
                current_user, assembly_id, body.attendee_id, body.desk, now, scan
            )
        else:
            outcome = services.check_in(
                current_user, assembly_id, body.ticket, body.desk, now, scan
            )
        if outcome.kind == services.OK:
            out.touch(assembly_id)  # the counters follow in a moment (debounced)
            audit.note(
                current_user,
                "attendee.check_in",
                assembly_id=assembly_id,
                subject=f"attendee:{outcome.attendee.id}",
            )
        if outcome.seated_now:
            out.add(grouping_broadcasts.seated(outcome.table))
        reply = payloads.result(assembly, outcome, show_documents=_show_documents())
    if outcome.kind == services.OK:
        schedule_desk_counters(assembly_id)
    return jsonify(ok=True, **reply)


@bp.route("/undo", methods=["POST"])
@require(Permission.DESK)
@json_body(Undo)
def undo(assembly_id: int, body: Undo):
    """Take back a check-in (the desk's "deshacer")."""
    with broadcasting() as out:
        attendee = services.undo_check_in(current_user, assembly_id, body.attendee_id)
        out.touch(assembly_id)
        audit.note(
            current_user,
            "attendee.undo",
            assembly_id=assembly_id,
            subject=f"attendee:{attendee.id}",
        )
        person = payloads.person(
            get_assembly(assembly_id), attendee, show_documents=_show_documents()
        )
    schedule_desk_counters(assembly_id)
    return jsonify(
        ok=True,
        message=_("Se deshizo la llegada de %(name)s.", name=attendee.full_name),
        person=person,
    )


@bp.route("/checkout", methods=["POST"])
@require(Permission.DESK)
@json_body(Undo)
def check_out(assembly_id: int, body: Undo):
    """Record a person's "salida" (optional): they stop counting as present until they scan
    their ticket again."""
    with broadcasting() as out:
        attendee = services.check_out(current_user, assembly_id, body.attendee_id, utcnow())
        out.touch(assembly_id)
        audit.note(
            current_user,
            "attendee.check_out",
            assembly_id=assembly_id,
            subject=f"attendee:{attendee.id}",
        )
        person = payloads.person(
            get_assembly(assembly_id), attendee, show_documents=_show_documents()
        )
    schedule_desk_counters(assembly_id)
    return jsonify(
        ok=True,
        message=_(
            "Salida registrada: %(name)s ya no cuenta como presente.", name=attendee.full_name
        ),
        person=person,
    )


#: people per page of a name search
PAGE_SIZE = 20


@bp.route("/search")
@require(Permission.DESK)
def search(assembly_id: int):
    """People matching a name (every word, accents ignored) or a document number prefix, a
    page at a time (``offset``), narrowed by organisation or municipality (``narrow``);
    ``total`` counts every match, so the desk knows when exactly one person matches."""
    assembly = get_assembly(assembly_id)
    page = services.search_page(
        assembly_id,
        request.args.get("q", ""),
        narrow=request.args.get("narrow", ""),
        offset=request.args.get("offset", 0, type=int) or 0,
        limit=PAGE_SIZE,
    )
    show = _show_documents()
    after = page.offset + len(page.people)
    return jsonify(
        ok=True,
        results=[payloads.person(assembly, a, show_documents=show) for a in page.people],
        total=page.total,
        offset=page.offset,
        next_offset=after if after < page.total else None,
    )


@bp.route("/recent")
@require(Permission.DESK)
def recent(assembly_id: int):
    """The last check-ins at this desk (``desk``), newest first, for the desk's undo list."""
    assembly = get_assembly(assembly_id)
    people = services.recent_check_ins(assembly_id, request.args.get("desk") or None)
    show = _show_documents()
    return jsonify(
        ok=True, results=[payloads.person(assembly, a, show_documents=show) for a in people]
    )


@bp.route("/counters")
@require(Permission.DESK)
def counters(assembly_id: int):
    """The live counters as JSON (the screen's first paint, and a fallback with no socket)."""
    return jsonify(ok=True, state=services.counters(get_assembly(assembly_id), utcnow()))
