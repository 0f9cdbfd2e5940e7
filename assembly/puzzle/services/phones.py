"""The table's phones: write, edit and delete pieces; name the spokesperson."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable
from assembly.errors import InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping.models import Table
from assembly.helpers import utcnow
from assembly.puzzle import domain
from assembly.puzzle.models import Piece
from assembly.puzzle.services.access import _invalid, _own_piece, identity_table
from assembly.puzzle.services.history import ensure_editable, record_version
from assembly.puzzle.services.late import ensure_in_time
from assembly.puzzle.services.reading import (
    _members,
    _pieces_of,
    _plan_years,
    _views,
    piece_payload,
)

# --- the table's phones ------------------------------------------------------------------------


def _stored(piece: Piece) -> dict:
    return {
        "kind": piece.kind,
        "parent_id": piece.parent_id,
        "text": piece.text,
        "who": piece.who,
        "due": piece.due,
    }


def submit_piece(identity: dict, raw: dict) -> tuple[Piece, bool]:
    """Store a new piece once per client UUID.  Returns ``(piece, changed)``.

    A resend of a stored UUID (its acknowledgement was lost) answers with the stored piece;
    when the phone changed the text while offline, the resend is applied as an edit.
    """
    table = identity_table(identity)
    existing = _own_piece(table, raw.get("id"))
    if existing is not None:
        return resend(table, existing, raw)
    others = _pieces_of([table.id])
    raced = next((p for p in others if p.id == str(raw.get("id", "")).strip().lower()), None)
    if raced is not None:  # stored by a concurrent request since the check above
        return resend(table, raced, raw)
    ensure_editable(table)  # an approved agenda is frozen
    open_kinds = ensure_in_time(table, str(raw.get("kind") or ""))
    try:
        clean = domain.check_piece(
            raw,
            others=_views(others),
            open_kinds=open_kinds,
            plan_years=_plan_years(table),
        )
    except domain.PieceError as error:
        raise _invalid(error) from None
    # Microseconds (the database default has whole seconds): pieces keep the order written.
    now = utcnow()
    piece = Piece(
        table_id=table.id, status="pendiente", hidden=False, version=1, created_at=now, **clean
    )
    db.session.add(piece)
    db.session.flush()  # a concurrent insert of the same UUID fails here (IntegrityError)
    return piece, True


def resend(table: Table, piece: Piece, raw: dict) -> tuple[Piece, bool]:
    """A submission whose UUID is already stored: the stored piece, or an edit of it."""
    try:
        clean = domain.check_texts(piece.kind, raw, _plan_years(table))
    except domain.PieceError:
        return piece, False  # the stored piece stands; the phone gets it back
    clean = {**clean, "kind": piece.kind, "parent_id": piece.parent_id}
    if domain.same_content(_stored(piece), clean):
        return piece, False
    return edit_piece_of(table, piece, raw), True


def stored_after_race(identity: dict, raw: dict) -> Piece:
    """After a concurrent insert of the same UUID won the race: the stored piece, if ours."""
    table = identity_table(identity)
    piece = _own_piece(table, raw.get("id"))
    if piece is None:
        raise InvalidInput(_("No se pudo guardar la pieza; se volverá a intentar."))
    return piece


def edit_piece(identity: dict, raw: dict) -> Piece:
    table = identity_table(identity)
    piece = _own_piece(table, raw.get("id"))
    if piece is None:
        raise NotFound(_("La pieza ya no existe: quizás otra persona de la mesa la borró."))
    return edit_piece_of(table, piece, raw)


def edit_piece_of(table: Table, piece: Piece, raw: dict) -> Piece:
    ensure_editable(table)
    open_kinds = ensure_in_time(table, piece.kind)
    try:
        clean = domain.check_piece(
            raw,
            others=_views(_pieces_of([table.id])),
            open_kinds=open_kinds,
            plan_years=_plan_years(table),
            existing=domain.PieceView(piece.id, piece.kind, piece.parent_id, piece.hidden),
        )
    except domain.PieceError as error:
        raise _invalid(error) from None
    if not domain.same_content(_stored(piece), clean):
        record_version(piece, None, "Editada por la mesa")
        piece.text, piece.who, piece.due = clean["text"], clean["who"], clean["due"]
        piece.version += 1
        db.session.flush()
    return piece


def delete_piece(identity: dict, raw: dict) -> list[dict]:
    """Delete a piece of the table (and what hangs from it); returns their payloads.

    Deleting a piece that is already gone succeeds with nothing to tell (a resend)."""
    table = identity_table(identity)
    piece = _own_piece(table, raw.get("id"))
    if piece is None:
        return []
    ensure_editable(table)
    open_kinds = ensure_in_time(table, piece.kind)
    try:
        domain.check_open(piece.kind, open_kinds)
    except domain.PieceError as error:
        raise _invalid(error) from None
    doomed = _with_descendants(piece)
    payloads = [piece_payload(p) for p in doomed]
    for victim in reversed(doomed):  # children first
        db.session.delete(victim)
    db.session.flush()
    return payloads


def _with_descendants(piece: Piece) -> list[Piece]:
    found, frontier = [piece], [piece.id]
    while frontier:
        children = list(db.session.scalars(select(Piece).where(Piece.parent_id.in_(frontier))))
        found.extend(children)
        frontier = [c.id for c in children]
    return found


def set_table_spokesperson(identity: dict, raw: dict) -> Table:
    """The table records who speaks for it: one of its people, by id or by typed name."""
    table = identity_table(identity)
    ensure_writable(db.session.get(Assembly, table.group.assembly_id))
    members = _members(table)
    if not members:
        raise InvalidInput(_("Esta mesa aún no tiene personas asignadas; avise a la facilitación."))
    chosen = None
    if raw.get("attendee_id") is not None:
        chosen = next((a for a in members if str(a.id) == str(raw["attendee_id"])), None)
        if chosen is None:
            raise PermissionDenied(_("Esa persona no está en su mesa."))
    else:
        typed = domain.name_key(str(raw.get("name") or ""))
        if not typed:
            raise InvalidInput(_("Elija a la persona vocera de la lista."))
        matches = [a for a in members if typed in domain.name_key(a.full_name)]
        if len(matches) != 1:
            raise InvalidInput(
                _("No encontramos ese nombre en su mesa; elíjalo de la lista.")
                if not matches
                else _("Hay varias personas con ese nombre; elija una de la lista.")
            )
        chosen = matches[0]
    table.spokesperson_id = chosen.id
    db.session.flush()
    return table
