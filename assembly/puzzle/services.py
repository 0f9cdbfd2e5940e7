"""The puzzle: table phones write pieces, mesa facilitators moderate them.

Every function takes the acting identity or user and all inputs as arguments, checks that
the actor may touch the table or mesa concerned, flushes and never commits or emits (the
Socket.IO handlers run them inside ``realtime.broadcasting()`` with the builders of
:mod:`assembly.puzzle.broadcasts`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.agenda import services as agenda
from assembly.assemblies import periods
from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable
from assembly.auth.domain import Permission, Role
from assembly.auth.models import User
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping import services as grouping
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow
from assembly.puzzle import domain
from assembly.puzzle.models import Piece, PieceVersion
from assembly.registration.models import Attendee


def _invalid(error: domain.PieceError) -> InvalidInput:
    return InvalidInput(error.message, fields=error.fields)


def open_piece_kinds(assembly_id: int) -> set[str]:
    """The kinds the agenda clock has open now (its current step)."""
    return set(agenda.open_piece_kinds(assembly_id))


def clock_snapshot(assembly_id: int) -> dict:
    """The agenda clock's snapshot for the phone's first paint."""
    return agenda.clock_snapshot(assembly_id)


def piece_payload(piece: Piece) -> dict:
    """The stored piece as every screen receives it (never the client's copy)."""
    table = piece.table
    group = table.group
    return {
        "id": piece.id,
        "kind": piece.kind,
        "parent_id": piece.parent_id,
        "text": piece.text,
        "who": piece.who,
        "due": piece.due,
        "status": piece.status,
        "hidden": piece.hidden,
        "version": piece.version,
        "table_id": table.id,
        "table_number": table.number,
        "group_id": group.id,
        "group_number": group.number,
        "theme_id": group.theme_id,
        "assembly_id": group.assembly_id,
        "created_at": piece.created_at.isoformat() if piece.created_at else None,
        "updated_at": piece.updated_at.isoformat() if piece.updated_at else None,
    }


# --- history and the frozen agenda -------------------------------------------------------------


def record_version(piece: Piece, actor: User | None = None, reason: str = "") -> PieceVersion:
    """Keep the piece as it is now before it changes; the caller then edits it and bumps
    ``piece.version`` (phones, facilitators and plenary amendments all call it)."""
    row = PieceVersion(
        piece_id=piece.id,
        version=piece.version,
        text=piece.text,
        who=piece.who,
        due=piece.due,
        status=piece.status,
        hidden=piece.hidden,
        changed_by_id=actor.id if actor else None,
        reason=reason[:300],
    )
    db.session.add(row)
    return row


def piece_history(piece_id: str) -> list[PieceVersion]:
    """A piece's earlier versions, newest first."""
    return db.session.scalars(
        select(PieceVersion)
        .where(PieceVersion.piece_id == piece_id)
        .order_by(PieceVersion.version.desc())
    ).all()


def ensure_editable(table: Table) -> None:
    """Refuse a change from the phones or the facilitation: the assembly is closed
    (``closed``) or the plenary approved the mesa's agenda (``frozen``; from then on only
    plenary amendments change it)."""
    ensure_writable(db.session.get(Assembly, table.group.assembly_id))
    if table.group.agenda_frozen:
        raise Conflict(
            _("La plenaria ya aprobó la agenda de esta mesa: sus piezas no se pueden cambiar."),
            code="frozen",
        )


# --- who may act -------------------------------------------------------------------------------


def table_for_code(code: object) -> Table | None:
    """The table a join code opens (case and blanks ignored), or None."""
    return grouping.find_table_by_code(code)


def identity_for_code(code: object) -> dict | None:
    """The socket identity of a table's phones, from its join code."""
    table = table_for_code(code)
    if table is None:
        return None
    return {
        "assembly_id": table.group.assembly_id,
        "table_id": table.id,
        "group_id": table.group_id,
    }


def identity_table(identity: dict | None) -> Table:
    """The table a phone's socket identity writes for; PermissionDenied / NotFound otherwise."""
    if not identity or identity.get("kind") != "table_code":
        raise PermissionDenied(_("Abra la página de su mesa con el código para escribir."))
    table = db.session.get(Table, identity["table_id"])
    if table is None:
        raise NotFound("Esta mesa ya no existe; pida el código nuevo a la facilitación.")
    return table


def _own_piece(table: Table, piece_id: object) -> Piece | None:
    """The piece if it belongs to ``table``; a piece of another table is refused."""
    try:
        clean = domain.clean_id(piece_id)
    except domain.PieceError as error:
        raise _invalid(error) from None
    piece = db.session.get(Piece, clean)
    if piece is not None and piece.table_id != table.id:
        raise PermissionDenied("Esa pieza no es de su mesa.")
    return piece


def may_facilitate(user: User, group: Group) -> bool:
    """Facilitators only their own mesa; admins and moderators any."""
    if not user or not user.is_authenticated or not user.can(Permission.FACILITATE):
        return False
    if user.role == Role.FACILITATOR.value:
        return group.facilitator_id == user.id
    return True


def facilitated_group(user: User, group_id: int, assembly_id: int | None = None) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or (assembly_id is not None and group.assembly_id != assembly_id):
        raise NotFound(_("La mesa no existe en esta asamblea."))
    if not user or not user.is_authenticated or not user.can(Permission.FACILITATE):
        raise PermissionDenied(_("Su cuenta no puede facilitar mesas."))
    if not may_facilitate(user, group):
        raise PermissionDenied(_("Esta mesa está asignada a otra persona de facilitación."))
    return group


def _facilitated_piece(user: User, piece_id: object) -> Piece:
    try:
        piece = db.session.get(Piece, domain.clean_id(piece_id))
    except domain.PieceError as error:
        raise _invalid(error) from None
    if piece is None:
        raise NotFound("La pieza ya no existe.")
    if not may_facilitate(user, piece.table.group):
        raise PermissionDenied("Esta pieza es de una mesa asignada a otra persona.")
    ensure_editable(piece.table)  # after approval, changes are amendments
    return piece


# --- reading -----------------------------------------------------------------------------------


def _pieces_of(table_ids: list[int]) -> list[Piece]:
    if not table_ids:
        return []
    return list(
        db.session.scalars(
            select(Piece).where(Piece.table_id.in_(table_ids)).order_by(Piece.created_at, Piece.id)
        )
    )


def _views(pieces: list[Piece]) -> list[domain.PieceView]:
    return [domain.PieceView(p.id, p.kind, p.parent_id, p.hidden) for p in pieces]


def _members(table: Table) -> list[Attendee]:
    return list(
        db.session.scalars(
            select(Attendee)
            .where(Attendee.table_id == table.id)
            .order_by(Attendee.first_names, Attendee.last_names, Attendee.id)
        )
    )


def _person(attendee_id: int | None) -> dict | None:
    attendee = db.session.get(Attendee, attendee_id) if attendee_id else None
    return {"id": attendee.id, "name": attendee.full_name} if attendee else None


def table_info(table: Table) -> dict:
    """A table as its phones and its facilitator see it (no personal data but names)."""
    return {
        "id": table.id,
        "number": table.number,
        "group_id": table.group_id,
        "group_number": table.group.number,
        "members": db.session.scalar(
            select(func.count(Attendee.id)).where(Attendee.table_id == table.id)
        ),
        "leader": _person(table.leader_id),
        "spokesperson": _person(table.spokesperson_id),
    }


def table_state(identity: dict) -> dict:
    """The full snapshot a table's phone paints on (re)connect."""
    table = identity_table(identity)
    group = table.group
    assembly = db.session.get(Assembly, group.assembly_id)
    pieces = _pieces_of([table.id])
    return {
        "table": table_info(table),
        "theme": {"title": group.theme.title, "description": group.theme.description},
        "assembly": {
            "id": assembly.id,
            "name": assembly.name,
            "plan_start_year": assembly.plan_start_year,
            "plan_end_year": assembly.plan_end_year,
            #: the quarters a commitment may take, as (value, label): assemblies.periods
            "quarters": periods.choices(assembly),
        },
        "people": [{"id": a.id, "name": a.full_name} for a in _members(table)],
        "pieces": [piece_payload(p) for p in pieces],
        "progress": domain.progress(_views(pieces)),
        "open_kinds": sorted(open_piece_kinds(assembly.id)),
        "clock": clock_snapshot(assembly.id),
        "limits": domain.LIMITS,
    }


def group_info(group: Group) -> dict:
    return {
        "id": group.id,
        "number": group.number,
        "assembly_id": group.assembly_id,
        "theme": group.theme.title,
        "spokesperson": _person(group.spokesperson_id),
    }


def group_state(group: Group) -> dict:
    """A mesa's tables side by side with their pieces and progress, for its facilitator."""
    pieces = _pieces_of([t.id for t in group.tables])
    by_table: dict[int, list[Piece]] = {}
    for piece in pieces:
        by_table.setdefault(piece.table_id, []).append(piece)
    people = db.session.scalars(
        select(Attendee)
        .where(Attendee.group_id == group.id)
        .order_by(Attendee.first_names, Attendee.last_names, Attendee.id)
    )
    return {
        "group": group_info(group),
        "tables": [
            {
                **table_info(t),
                "pieces": [piece_payload(p) for p in by_table.get(t.id, [])],
                "progress": domain.progress(_views(by_table.get(t.id, []))),
            }
            for t in group.tables
        ],
        "people": [{"id": a.id, "name": a.full_name, "table_id": a.table_id} for a in people],
        "open_kinds": sorted(open_piece_kinds(group.assembly_id)),
    }


# --- the table's phones ------------------------------------------------------------------------


def _plan_years(table: Table) -> tuple[int, int]:
    assembly = db.session.get(Assembly, table.group.assembly_id)
    return assembly.plan_start_year, assembly.plan_end_year


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
    try:
        clean = domain.check_piece(
            raw,
            others=_views(others),
            open_kinds=open_piece_kinds(table.group.assembly_id),
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
        raise InvalidInput("No se pudo guardar la pieza; se volverá a intentar.")
    return piece


def edit_piece(identity: dict, raw: dict) -> Piece:
    table = identity_table(identity)
    piece = _own_piece(table, raw.get("id"))
    if piece is None:
        raise NotFound("La pieza ya no existe: quizás otra persona de la mesa la borró.")
    return edit_piece_of(table, piece, raw)


def edit_piece_of(table: Table, piece: Piece, raw: dict) -> Piece:
    ensure_editable(table)
    try:
        clean = domain.check_piece(
            raw,
            others=_views(_pieces_of([table.id])),
            open_kinds=open_piece_kinds(table.group.assembly_id),
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
    try:
        domain.check_open(piece.kind, open_piece_kinds(table.group.assembly_id))
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
        raise InvalidInput("Esta mesa aún no tiene personas asignadas; avise a la facilitación.")
    chosen = None
    if raw.get("attendee_id") is not None:
        chosen = next((a for a in members if str(a.id) == str(raw["attendee_id"])), None)
        if chosen is None:
            raise PermissionDenied("Esa persona no está en su mesa.")
    else:
        typed = domain.name_key(str(raw.get("name") or ""))
        if not typed:
            raise InvalidInput("Elija a la persona vocera de la lista.")
        matches = [a for a in members if typed in domain.name_key(a.full_name)]
        if len(matches) != 1:
            raise InvalidInput(
                "No encontramos ese nombre en su mesa; elíjalo de la lista."
                if not matches
                else "Hay varias personas con ese nombre; elija una de la lista."
            )
        chosen = matches[0]
    table.spokesperson_id = chosen.id
    db.session.flush()
    return table


# --- the mesa's facilitator --------------------------------------------------------------------


def hide_piece(actor: User, piece_id: object, hidden: bool) -> Piece:
    """Hide a duplicate or out-of-place piece (kept for the record), or show it again."""
    piece = _facilitated_piece(actor, piece_id)
    if piece.hidden != bool(hidden):
        record_version(
            piece, actor, "Ocultada por la facilitación" if hidden else "Mostrada de nuevo"
        )
        piece.hidden = bool(hidden)
        piece.version += 1
        db.session.flush()
    return piece


def merge_piece(actor: User, piece_id: object, into_id: object) -> tuple[Piece, list[Piece]]:
    """Merge a duplicate into the piece that stays: the duplicate is hidden; on the same table
    its solutions or plans move to the kept piece when that one has none yet.

    Returns ``(duplicate, moved children)``."""
    duplicate = _facilitated_piece(actor, piece_id)
    kept = _facilitated_piece(actor, into_id)
    if kept.id == duplicate.id:
        raise InvalidInput("Elija otra pieza: una pieza no se une consigo misma.")
    if kept.kind != duplicate.kind or kept.table.group_id != duplicate.table.group_id:
        raise InvalidInput("Solo se unen piezas del mismo tipo y de la misma mesa.")
    if kept.hidden:
        raise InvalidInput("La pieza que queda está oculta; muéstrela antes de unir.")
    moved: list[Piece] = []
    if kept.table_id == duplicate.table_id:
        has_child = db.session.scalar(
            select(func.count(Piece.id)).where(Piece.parent_id == kept.id, Piece.hidden.is_(False))
        )
        if not has_child:
            moved = list(db.session.scalars(select(Piece).where(Piece.parent_id == duplicate.id)))
            for child in moved:
                child.parent_id = kept.id
                child.version += 1
    record_version(duplicate, actor, f"Unida como duplicado de la pieza {kept.id[:8]}")
    duplicate.hidden = True
    duplicate.version += 1
    db.session.flush()
    return duplicate, moved


def fix_piece(actor: User, raw: dict) -> Piece:
    """Fix a typo: the facilitator edits the text (and who/when of a plan) at any step."""
    piece = _facilitated_piece(actor, raw.get("id"))
    merged = {"who": piece.who, "due": piece.due, **raw}
    try:
        clean = domain.check_texts(piece.kind, merged, _plan_years(piece.table))
    except domain.PieceError as error:
        raise _invalid(error) from None
    if (piece.text, piece.who, piece.due) != (clean["text"], clean["who"], clean["due"]):
        record_version(piece, actor, "Corrección de la facilitación")
        piece.text, piece.who, piece.due = clean["text"], clean["who"], clean["due"]
        piece.version += 1
        db.session.flush()
    return piece


def nudge_table(actor: User, table_id: int, message: str | None) -> tuple[Table, str]:
    """A reminder for a lagging table of the actor's mesa; nothing is stored."""
    table = db.session.get(Table, table_id)
    if table is None:
        raise NotFound(_("La sub-mesa no existe."))
    if not may_facilitate(actor, table.group):
        raise PermissionDenied(_("Esta sub-mesa es de una mesa asignada a otra persona."))
    try:
        return table, domain.clean_nudge(message)
    except domain.PieceError as error:
        raise _invalid(error) from None


def set_group_spokesperson(actor: User, group_id: int, attendee_id: int | None) -> Group:
    """The facilitator records the mesa's vocero / vocera (one of the mesa's people)."""
    group = facilitated_group(actor, group_id)
    ensure_writable(db.session.get(Assembly, group.assembly_id))
    if attendee_id is None:
        group.spokesperson_id = None
    else:
        attendee = db.session.get(Attendee, attendee_id)
        if attendee is None or attendee.group_id != group.id:
            raise InvalidInput(_("Esa persona no está en esta mesa."))
        group.spokesperson_id = attendee.id
    db.session.flush()
    return group
