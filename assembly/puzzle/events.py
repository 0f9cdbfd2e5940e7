"""Socket.IO for the puzzle: the tables' phones write pieces, facilitators moderate them.

Phones connect with ``auth={"table_code": "K7P2QX"}``; their identity names one table and
every handler acts on that table only (services check each piece's table again).
Facilitators connect with their staff log-in; every handler checks their mesa.
Each write runs in ``broadcasting()``: commit, then the broadcasts go out.
"""

from flask import session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import close_room
from sqlalchemy.exc import IntegrityError

from assembly.assemblies.realtime import broadcasting, join
from assembly.auth import audit
from assembly.auth.events import check_credential, credential, current_identity
from assembly.core.schemas import Id, OptionalId, Payload, Text
from assembly.core.sockets import event
from assembly.errors import Conflict, PermissionDenied
from assembly.grouping import broadcasts as grouping_broadcasts
from assembly.puzzle import broadcasts, services
from assembly.puzzle.services import piece_payload
from assembly.puzzle.table_audit import audit_table_read

#: generous bounds: the piece rules (puzzle.domain) give the exact limits and messages
_TEXT = 4000


class JoinTable(Payload):
    #: a staff socket (a facilitator trying the phone page) names the table by its code
    code: Text[40] | None = None


class PieceRef(Payload):
    id: Text[64] = ""


class PieceContent(PieceRef):
    kind: Text[20] | None = None
    parent_id: Text[64] | None = None
    text: Text[_TEXT] | None = None
    who: Text[_TEXT] | None = None
    due: Text[40] | None = None


class TableSpokesperson(Payload):
    attendee_id: OptionalId = None
    name: Text[200] | None = None


class FacilitateGroup(Payload):
    group_id: Id


class HidePiece(PieceRef):
    hidden: bool = True


class MergePiece(PieceRef):
    into_id: Text[64] = ""


class Nudge(Payload):
    table_id: Id
    message: Text[1000] | None = None


class GroupSpokesperson(Payload):
    group_id: Id
    attendee_id: OptionalId = None


@credential("table_code")
def _table_code(value):
    """A table's join code (case and blanks ignored) opens its phones' socket."""
    return services.identity_for_code(value)


def _table_identity(code: str | None = None) -> dict | None:
    """The table this socket writes for: its ``table_code`` credential or, for a socket that
    connected with a staff log-in (a facilitator trying the phone page), the code it joined."""
    identity = current_identity()
    if identity and identity.get("kind") == "table_code":
        return identity
    if code:
        found = check_credential("table_code", code)
        session["table_identity"] = {"kind": "table_code", **found} if found else None
    return session.get("table_identity")


def _staff():
    if not current_user.is_authenticated:
        raise PermissionDenied(_("Inicie sesión con su cuenta de facilitación."))
    return current_user._get_current_object()


def _raw(data: Payload) -> dict:
    """What the client sent, as the piece rules read it (keys it did not send are absent)."""
    return data.model_dump(exclude_unset=True)


# --- the table's phones ------------------------------------------------------------------------


@event("join_table", JoinTable)
def on_join_table(data: JoinTable) -> dict:
    """Join ``table:<id>``; the reply is the table's full state (pieces, step, clock)."""
    identity = _table_identity(data.code)
    table = services.identity_table(identity)  # refuses a socket without a table
    reply = join(
        table.group.assembly_id, [f"table:{table.id}"], lambda: services.table_state(identity)
    )
    audit_table_read(reply["state"], current_user)
    return reply


def _hold_if_late(error: Conflict, identity: dict | None, raw: dict, op: str) -> None:
    """After a ``time_up`` refusal (its write rolled back): keep the piece for the
    facilitator in a write of its own.  The caller then re-raises the refusal."""
    if error.code != "time_up":
        return
    with broadcasting() as out:
        late = services.hold_late_piece(identity, raw, op)
        if late is not None:
            out.add(broadcasts.late_piece_held(services.late_payload(late)))


def _cleared(out, piece) -> None:
    """The phone's piece got through: a copy held as late (the step reopened) goes."""
    held = services.drop_late_piece(piece.table_id, piece.id)
    if held is not None:
        out.add(broadcasts.late_piece_cleared(held, accepted=False))


@event("submit_piece", PieceContent)
def on_submit_piece(data: PieceContent) -> dict:
    """Store a piece once per client UUID; a resend answers with the stored piece."""
    identity = _table_identity()
    try:
        with broadcasting() as out:
            piece, changed = services.submit_piece(identity, _raw(data))
            payload = piece_payload(piece)
            if changed:
                out.add(broadcasts.piece_saved(payload))
            _cleared(out, piece)
    except IntegrityError:
        # A concurrent insert of the same UUID won the race: that stored piece is the answer.
        piece = services.stored_after_race(identity, _raw(data))
        payload, changed = piece_payload(piece), False
    except Conflict as error:
        _hold_if_late(error, identity, _raw(data), "submit")
        raise
    return {"piece": payload, "created": changed}


@event("edit_piece", PieceContent)
def on_edit_piece(data: PieceContent) -> dict:
    """Change the text (and who/when of a plan) of one of the table's pieces."""
    identity = _table_identity()
    try:
        with broadcasting() as out:
            piece = services.edit_piece(identity, _raw(data))
            message = broadcasts.piece_saved(piece)
            out.add(message)
            _cleared(out, piece)
    except Conflict as error:
        _hold_if_late(error, identity, _raw(data), "edit")
        raise
    return {"piece": message.payload}


@event("delete_piece", PieceRef)
def on_delete_piece(data: PieceRef) -> dict:
    """Delete one of the table's pieces and what hangs from it, while its step is open."""
    with broadcasting() as out:
        payloads = services.delete_piece(_table_identity(), _raw(data))
        out.add(*(broadcasts.piece_deleted(p) for p in payloads))
    return {"deleted": [p["id"] for p in payloads]}


@event("set_spokesperson", TableSpokesperson)
def on_set_spokesperson(data: TableSpokesperson) -> dict:
    """The table records its spokesperson: one of its people, by id or by name."""
    identity = _table_identity()
    with broadcasting() as out:
        table = services.set_table_spokesperson(identity, _raw(data))
        info = services.table_info(table)
        out.add(broadcasts.table_changed(info, identity["assembly_id"]))
    return {"table": info}


# --- the mesa's facilitator --------------------------------------------------------------------


@event("facilitate_group", FacilitateGroup)
def on_facilitate_group(data: FacilitateGroup) -> dict:
    """A facilitator joins ``group:<id>`` of a mesa assigned to them; the reply is its state."""
    staff = _staff()
    group = services.facilitated_group(staff, data.group_id)
    assembly_id = group.assembly_id
    reply = join(assembly_id, [f"group:{data.group_id}"], lambda: services.group_state(group))
    # the mesa's people, read over the socket: one audit line, as the HTTP bulk reads write
    audit.record(
        staff,
        "group.roster",
        assembly_id=assembly_id,
        subject=f"group:{data.group_id}",
        people=len(reply["state"]["people"]),
    )
    return reply


@event("hide_piece", HidePiece)
def on_hide_piece(data: HidePiece) -> dict:
    """Hide a duplicate piece (or show it again)."""
    with broadcasting() as out:
        piece, below = services.hide_piece(_staff(), data.id, data.hidden)
        message = broadcasts.piece_saved(piece)
        # its solutions and plans go (or come back) with it: each says whether it is shown
        out.add(message, *(broadcasts.piece_saved(p) for p in below))
    return {"piece": message.payload, "below": [p.id for p in below]}


@event("merge_piece", MergePiece)
def on_merge_piece(data: MergePiece) -> dict:
    """Merge a duplicate into another piece of the mesa (the duplicate is hidden)."""
    with broadcasting() as out:
        duplicate, moved = services.merge_piece(_staff(), data.id, data.into_id)
        payloads = [piece_payload(p) for p in (duplicate, *moved)]
        out.add(*(broadcasts.piece_saved(p) for p in payloads))
    return {"piece": payloads[0], "moved": [p["id"] for p in payloads[1:]]}


class LatePieceRef(Payload):
    id: Text[64] = ""


@event("accept_late_piece", LatePieceRef)
def on_accept_late_piece(data: LatePieceRef) -> dict:
    """Take a piece sent after its step's time onto the board (the piece rules still apply)."""
    with broadcasting() as out:
        piece, held = services.accept_late_piece(_staff(), data.id)
        message = broadcasts.piece_saved(piece)
        out.add(message, broadcasts.late_piece_cleared(held, accepted=True))
    return {"piece": message.payload, "cleared": held["id"]}


class TableRef(Payload):
    table_id: Id


@event("rotate_table_code", TableRef)
def on_rotate_table_code(data: TableRef) -> dict:
    """Give one of the mesa's tables a new join code; its phones are told to ask for it."""
    with broadcasting() as out:
        table, _old = services.rotate_table_code(_staff(), data.table_id)
        out.add(*grouping_broadcasts.code_changed(table))
        reply = {"table_id": table.id, "join_code": table.join_code}
    # the phones on the old code stop following the table (they were told why)
    close_room(f"table:{table.id}")
    return reply


@event("fix_piece", PieceContent)
def on_fix_piece(data: PieceContent) -> dict:
    """Fix a typo in a piece of the mesa (at any step)."""
    with broadcasting() as out:
        piece = services.fix_piece(_staff(), _raw(data))
        message = broadcasts.piece_saved(piece)
        out.add(message)
    return {"piece": message.payload}


@event("nudge", Nudge)
def on_nudge(data: Nudge) -> dict:
    """Remind a lagging table: its phones show the message."""
    actor = _staff()
    with broadcasting() as out:
        table, message = services.nudge_table(actor, data.table_id, data.message)
        out.add(broadcasts.nudged(table.id, table.group.assembly_id, message, actor.display_name))
    return {"table_id": table.id, "message": message}


@event("set_group_spokesperson", GroupSpokesperson)
def on_set_group_spokesperson(data: GroupSpokesperson) -> dict:
    """The facilitator records the mesa's vocero / vocera for the plenary."""
    with broadcasting() as out:
        group = services.set_group_spokesperson(_staff(), data.group_id, data.attendee_id)
        info = services.group_info(group)
        out.add(broadcasts.group_changed(info))
    return {"group": info}
