"""Time-up: a step's input closes on the server when its time and grace run out.

A piece sent after that is refused (``code="time_up"``, not retryable now): the phone keeps it
marked «fuera de tiempo» and sends it again when the step reopens (the moderator extends it or
goes back to it).  The refused piece is also held here (:class:`LatePiece`) so the mesa's
facilitator sees it and may accept it onto the board.
"""

from __future__ import annotations

from flask_babel import gettext as _

from assembly.agenda import services as agenda
from assembly.auth.domain import Permission
from assembly.auth.models import User
from assembly.errors import Conflict, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping.models import Table
from assembly.helpers import utcnow
from assembly.puzzle import domain
from assembly.puzzle.models import LatePiece, Piece
from assembly.puzzle.services.access import _invalid, _own_piece, identity_table, may_facilitate
from assembly.puzzle.services.history import ensure_editable, record_version
from assembly.puzzle.services.reading import _pieces_of, _plan_years, _views, late_payload

#: what a facilitator's acceptance leaves in the piece's history
ACCEPTED_REASON = "Aceptada fuera de tiempo por la facilitación"


def time_up_error() -> Conflict:
    return Conflict(
        _(
            "Se acabó el tiempo de este paso: su pieza queda «fuera de tiempo» en este "
            "teléfono. Se enviará si la moderación reabre el paso, o la facilitación puede "
            "aceptarla."
        ),
        code="time_up",
    )


def ensure_in_time(table: Table, kind: str) -> set[str]:
    """Refuse (``time_up``) a piece of the running step once its time and grace are over.
    A kind the step does not open is left to the piece rules (their own message): the kinds
    the step opens are returned for them (one read of the agenda and its clock per write)."""
    kinds, time_up = agenda.piece_window(table.group.assembly_id)
    if time_up and kind in kinds:
        raise time_up_error()
    return kinds


def hold_late_piece(identity: dict, raw: dict, op: str) -> LatePiece | None:
    """Keep a piece refused for time-up where its facilitator sees it (one row per UUID; a
    resend updates it).  None when there is nothing sensible to keep (bad id, empty text)."""
    table = identity_table(identity)
    try:
        piece_id = domain.clean_id(raw.get("id"))
    except domain.PieceError:
        return None
    stored = db.session.get(Piece, piece_id)
    if stored is not None and stored.table_id != table.id:
        return None
    if op == "edit":
        if stored is None:
            return None
        kind, parent_id = stored.kind, stored.parent_id
    else:
        kind, parent_id = str(raw.get("kind") or ""), (raw.get("parent_id") or None)
    if kind not in domain.KINDS:
        return None
    try:
        clean = domain.check_texts(kind, raw, _plan_years(table))
    except domain.PieceError:
        return None
    late = db.session.get(LatePiece, piece_id)
    if late is not None and late.table_id != table.id:
        return None
    if late is None:
        late = LatePiece(id=piece_id, table_id=table.id)
        db.session.add(late)
    late.op, late.kind, late.parent_id = op, kind, parent_id
    late.text, late.who, late.due = clean["text"], clean["who"], clean["due"]
    late.received_at = utcnow()
    db.session.flush()
    return late


def drop_late_piece(table_id: int, piece_id: str) -> dict | None:
    """The phone got its piece through after all (the step reopened): forget the held copy.
    Returns its payload (to tell the facilitator), or None when none was held."""
    late = db.session.get(LatePiece, piece_id)
    if late is None or late.table_id != table_id:
        return None
    payload = late_payload(late)
    db.session.delete(late)
    db.session.flush()
    return payload


def accept_late_piece(actor: User, late_id: object) -> tuple[Piece, dict]:
    """The facilitator takes a late piece onto the board: the piece rules still apply (limits,
    its need or solution, the period), only the clock is waived.  Returns the stored piece and
    the held copy's payload (now gone)."""
    if not actor or not actor.is_authenticated or not actor.can(Permission.FACILITATE):
        raise PermissionDenied(_("Su cuenta no puede facilitar mesas."))
    try:
        clean_id = domain.clean_id(late_id)
    except domain.PieceError as error:
        raise _invalid(error) from None
    late = db.session.get(LatePiece, clean_id)
    if late is None:
        raise NotFound(_("Esa pieza fuera de tiempo ya no está: quizás ya se aceptó o se envió."))
    table = db.session.get(Table, late.table_id)
    if not may_facilitate(actor, table.group):
        raise PermissionDenied(_("Esta pieza es de una mesa asignada a otra persona."))
    ensure_editable(table)
    raw = {
        "id": late.id,
        "kind": late.kind,
        "parent_id": late.parent_id,
        "text": late.text,
        "who": late.who,
        "due": late.due,
    }
    piece = _own_piece(table, late.id)
    others = _views(_pieces_of([table.id]))
    try:
        if piece is None:
            clean = domain.check_piece(
                raw, others=others, open_kinds={late.kind}, plan_years=_plan_years(table)
            )
            piece = Piece(
                table_id=table.id,
                status="pendiente",
                hidden=False,
                version=1,
                created_at=utcnow(),
                **clean,
            )
            db.session.add(piece)
        else:
            clean = domain.check_piece(
                raw,
                others=others,
                open_kinds={piece.kind},
                plan_years=_plan_years(table),
                existing=domain.PieceView(piece.id, piece.kind, piece.parent_id, piece.hidden),
            )
            stored = {
                "kind": piece.kind,
                "parent_id": piece.parent_id,
                "text": piece.text,
                "who": piece.who,
                "due": piece.due,
            }
            if not domain.same_content(stored, clean):
                record_version(piece, actor, ACCEPTED_REASON)
                piece.text, piece.who, piece.due = clean["text"], clean["who"], clean["due"]
                piece.version += 1
    except domain.PieceError as error:
        raise _invalid(error) from None
    payload = late_payload(late)
    db.session.delete(late)
    db.session.flush()
    return piece, payload
