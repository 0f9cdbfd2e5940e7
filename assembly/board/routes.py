"""The plenary: projector board, public phone board, moderator console, consolidated agenda,
amendments, phone vote and acta."""

import secrets

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assembly.assemblies import broadcasts as assembly_broadcasts
from assembly.assemblies import periods
from assembly.assemblies.realtime import broadcasting
from assembly.assemblies.services import close_assembly as close
from assembly.assemblies.services import get_assembly
from assembly.auth.access import require
from assembly.auth.domain import Permission
from assembly.board import broadcasts, services
from assembly.board.domain import APPROVAL_METHODS, outcome_label
from assembly.board.models import VOTE_CHOICES
from assembly.board.panels import board_panels_for, panels_for
from assembly.core.qr import qr_svg
from assembly.core.schemas import as_id
from assembly.errors import AssemblyError, NotFound
from assembly.extensions import limiter
from assembly.helpers import public_url
from assembly.puzzle import broadcasts as puzzle_broadcasts
from assembly.puzzle.models import PIECE_KINDS
from assembly.puzzle.services import piece_history
from assembly.registration.ticket_entry import ticket_entry

bp = Blueprint("board", __name__)

#: a random id per phone: several tickets voting from one phone are flagged, not blocked
DEVICE_COOKIE = "vote_device"


def _qr_svg(url: str) -> str:
    """The board's QR as inline SVG (crisp at any projector size)."""
    return qr_svg(url, label=_("Código QR del tablero"), border=2)


def _public_board_url(assembly) -> str:
    return public_url(url_for("board.public_board", token=assembly.board_token))


def _render_board(assembly, *, public: bool):
    board_url = _public_board_url(assembly)
    vote_url = public_url(url_for("board.vote_entry", assembly_id=assembly.id))
    return render_template(
        "board/board.html",
        assembly=assembly,
        public=public,
        board_url=board_url,
        qr_svg=None if public else _qr_svg(board_url),
        vote_url=vote_url,
        vote_qr_svg=None if public else qr_svg(vote_url, label=_("Código QR para votar"), border=2),
        can_control=not public and current_user.can(Permission.RUN_CLOCK),
        panels=[] if public else board_panels_for(assembly),
    )


@bp.route("/assemblies/<int:assembly_id>/board")
@require(Permission.VIEW_ASSEMBLY)
def board(assembly_id: int):
    """The projected plenary board: the big solidarity puzzle, live."""
    return _render_board(get_assembly(assembly_id), public=False)


@bp.route("/tablero/<token>")
def public_board(token: str):
    """The same board, read-only, for the room's phones (opened from the QR on the screen):
    addressed by the assembly's unguessable board token, only while it is turned on."""
    return _render_board(services.public_board_assembly(token), public=True)


@bp.route("/assemblies/<int:assembly_id>/plenaria")
@require(Permission.RUN_CLOCK)
def console(assembly_id: int):
    """The moderator's console: reveal mesas, zoom, the whole puzzle, approvals."""
    assembly = get_assembly(assembly_id)
    return render_template(
        "board/console.html",
        assembly=assembly,
        groups=services.board_groups(assembly_id),
        board_url=_public_board_url(assembly),
        panels=panels_for(assembly),
    )


@bp.route("/assemblies/<int:assembly_id>/agenda-consolidada")
@require(Permission.VIEW_ASSEMBLY)
def consolidated(assembly_id: int):
    """The printable agenda of every mesa: need → solution → who / when."""
    assembly = get_assembly(assembly_id)
    return render_template(
        "board/consolidated.html",
        assembly=assembly,
        sections=services.consolidated_agenda(assembly_id),
        methods=APPROVAL_METHODS,
        outcome_label=outcome_label,
        kinds=PIECE_KINDS,
        amend=current_user.can(Permission.RUN_CLOCK),
    )


@bp.route("/assemblies/<int:assembly_id>/piezas/<piece_id>/enmendar", methods=["GET", "POST"])
@require(Permission.RUN_CLOCK)
def amend(assembly_id: int, piece_id: str):
    """Amend a piece in the plenary; the previous text is kept in its history."""
    assembly = get_assembly(assembly_id)
    piece = services.get_piece(assembly_id, piece_id)
    errors, values = {}, {"text": piece.text, "who": piece.who or "", "due": piece.due or ""}
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("text", "who", "due", "reason")}
        try:
            with broadcasting() as out:
                piece = services.amend_piece(current_user, assembly_id, piece_id, values)
                out.add(puzzle_broadcasts.piece_saved(piece))
        except AssemblyError as error:
            if error.status == 404:
                raise
            errors = error.fields or {"text": error.message}
        else:
            flash(_("Pieza enmendada; la versión anterior queda en el historial."), "success")
            return redirect(url_for("board.consolidated", assembly_id=assembly_id))
    return render_template(
        "board/amend.html",
        assembly=assembly,
        piece=piece,
        kinds=PIECE_KINDS,
        values=values,
        errors=errors,
        history=piece_history(piece.id),
        frozen=services.is_frozen(piece.table.group_id),
        quarters=periods.choices(assembly, _),
    ), 422 if errors else 200


def _ticket_key() -> str:
    # per ticket, not per address: a whole hall may vote from behind one proxy or Wi-Fi NAT
    return "vote:" + str((request.view_args or {}).get("ticket_token", ""))


@bp.route("/votar/<int:assembly_id>", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def vote_entry(assembly_id: int):
    """The vote page behind the board's big QR: a phone that opened its ticket before goes
    straight to its vote; otherwise it is asked for the ticket (the badge's QR or its link)."""
    return ticket_entry(
        get_assembly(assembly_id),
        template="board/vote_entry.html",
        endpoint="board.vote",
        token_arg="ticket_token",
    )


@bp.route("/t/<ticket_token>/votar", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"], key_func=_ticket_key)
def vote(ticket_token: str):
    """An attendee votes on the open agendas from the phone (one vote per ticket, changeable
    until the vote closes)."""
    attendee = services.attendee_by_ticket(ticket_token)
    device = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    status = 200
    if request.method == "POST":
        approval_id = as_id(request.form.get("approval_id"))
        try:
            with broadcasting() as out:
                approval = services.cast_vote(
                    ticket_token,
                    approval_id,
                    request.form.get("choice", ""),
                    device=device,
                )
                out.touch(attendee.assembly_id)  # the board's count follows (coalesced)
        except AssemblyError as error:
            if error.status == 404:
                raise
            flash(error.message, "error")
            status = error.status
        else:
            broadcasts.schedule_turnout(attendee.assembly_id, approval.id)
            flash(_("Su voto quedó registrado. Puede cambiarlo hasta que se cierre."), "success")
            response = redirect(url_for("board.vote", ticket_token=ticket_token))
            response.set_cookie(
                DEVICE_COOKIE,
                device,
                max_age=3 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure,
            )
            return response
    assembly = get_assembly(attendee.assembly_id)
    return render_template(
        "board/vote.html",
        assembly=assembly,
        attendee=attendee,
        ticket_token=ticket_token,
        approvals=services.open_votes(assembly.id),
        mine=services.votes_of(attendee),
        choices=VOTE_CHOICES,
        rule_text=services.vote_rule_text,
    ), status


@bp.route("/assemblies/<int:assembly_id>/acta")
@require(Permission.VIEW_ASSEMBLY)
def acta(assembly_id: int):
    """The acta (minutes) taken when the assembly closed: print it or save it as PDF."""
    assembly = get_assembly(assembly_id)
    stored = services.latest_acta(assembly_id)
    return render_template(
        "board/acta.html",
        assembly=assembly,
        acta=stored,
        snap=stored.snapshot if stored else None,
        blockers=services.closing_blockers(assembly) if assembly.status != "closed" else None,
        methods=APPROVAL_METHODS,
        outcome_label=outcome_label,
        rule_text=services.approval_rule_text,
        piece_kinds=PIECE_KINDS,
        amend=False,
    )


@bp.post("/assemblies/<int:assembly_id>/acta")
@require(Permission.RUN_CLOCK)
def close_assembly(assembly_id: int):
    """Close the assembly (the one close service: the acta is stored as it closes)."""
    try:
        with broadcasting() as out:
            assembly = close(
                current_user, get_assembly(assembly_id), reason=request.form.get("reason", "")
            )
            out.add(assembly_broadcasts.assembly_changed(assembly))
    except AssemblyError as error:
        if isinstance(error, NotFound):
            raise
        flash(error.message, "error")
    else:
        flash(_("Asamblea cerrada. El acta quedó guardada."), "success")
    return redirect(url_for("board.acta", assembly_id=assembly_id))


@bp.route("/tablero/<token>/qr.svg")
def board_qr(token: str):
    """The QR of the public board, as an SVG file (to print or share)."""
    svg = _qr_svg(_public_board_url(services.public_board_assembly(token)))
    return Response(svg, mimetype="image/svg+xml")
