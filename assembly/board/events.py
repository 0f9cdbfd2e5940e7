"""Socket.IO for the plenary: board screens follow, the moderator commands, phones vote.

Credentials registered here (see assembly/auth/events.py):
- ``board``: the public read-only board, value = assembly id; identity {"assembly_id"}.
- ``ticket``: an attendee's ticket token (vote page); identity {"assembly_id", "attendee_id"}.
"""

from typing import Annotated

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field
from sqlalchemy import select

from assembly.assemblies.realtime import broadcasting, join
from assembly.auth.domain import Permission
from assembly.auth.events import credential, current_identity, identity_may_follow
from assembly.board import broadcasts, services
from assembly.core.schemas import AssemblyId, Count, Id, OptionalId, Payload, Text
from assembly.core.sockets import event
from assembly.errors import InvalidInput, PermissionDenied
from assembly.extensions import db
from assembly.grouping.models import Table
from assembly.puzzle import broadcasts as puzzle_broadcasts
from assembly.puzzle import services as puzzle
from assembly.registration.models import Attendee


class FollowBoard(Payload):
    assembly_id: AssemblyId


class PlenaryCommand(Payload):
    assembly_id: AssemblyId
    action: Text[20] = ""
    group_id: OptionalId = None
    piece_id: Text[64] | None = None


class ApprovalCommand(Payload):
    assembly_id: AssemblyId
    action: Text[20] = ""
    group_id: Id
    #: hands: the show-of-hands tally (board.domain.clean_tally reads and checks it)
    for_: Annotated[Count | Text[20] | None, Field(alias="for")] = None
    against: Count | Text[20] | None = None
    abstain: Count | Text[20] | None = None
    #: hands: the total of hands counted (for + against + abstentions must equal it)
    total: Count | Text[20] | None = None
    #: correct: why the tally is corrected (logged)
    reason: Text[300] = ""


class BigQrCommand(Payload):
    assembly_id: AssemblyId
    #: true: the QR full height on every board screen; false: back to its usual size
    shown: bool = True


class RulesCommand(Payload):
    assembly_id: AssemblyId
    quorum_kind: Text[10] = "share"
    quorum_value: Text[20] | float | int | None = None
    majority: Text[12] = "simple"
    hide_results: bool = False


class HeadcountCommand(Payload):
    assembly_id: AssemblyId
    #: "" goes back to the desk's count
    headcount: Text[10] | int | None = None
    reason: Text[300] = ""


@credential("board")
def check_board(value):
    """The public board's token (not the assembly's number), while the board is on."""
    assembly = services.find_public_board(value)
    return {"assembly_id": assembly.id} if assembly else None


@credential("ticket")
def check_ticket(value):
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    attendee = db.session.scalar(select(Attendee).where(Attendee.ticket_token == value))
    if attendee is None:
        return None
    return {"assembly_id": attendee.assembly_id, "attendee_id": attendee.id}


def _follow(assembly_id: int) -> int:
    if not identity_may_follow(current_identity(), assembly_id):
        raise PermissionDenied(_("Esta conexión no puede seguir esa asamblea."))
    return assembly_id


def _moderator() -> None:
    if not current_user.is_authenticated or not current_user.can(Permission.RUN_CLOCK):
        raise PermissionDenied(_("Solo la moderación dirige la plenaria."))


@event("join_board", FollowBoard)
def on_join_board(data: FollowBoard) -> dict:
    """Follow an assembly's board; the reply is the full state, deltas follow."""
    assembly_id = _follow(data.assembly_id)
    return join(
        assembly_id,
        [f"board:{assembly_id}"],
        lambda: services.board_snapshot(assembly_id),
        shared="board",  # the same for every screen: read once per revision
    )


@event("join_votes", FollowBoard)
def on_join_votes(data: FollowBoard) -> dict:
    """A vote page follows when votes open and close (not every single vote)."""
    assembly_id = _follow(data.assembly_id)
    reply = join(
        assembly_id,
        [f"vote:{assembly_id}"],
        lambda: {"open": [a.id for a in services.open_votes(assembly_id)]},
    )
    return {"open": reply["state"]["open"], **reply}


@event("plenary_command", PlenaryCommand)
def on_plenary_command(data: PlenaryCommand) -> dict:
    """reveal / zoom / unzoom / whole / live, for every board screen of the assembly."""
    _moderator()
    with broadcasting() as out:
        state = services.plenary_command(
            current_user, data.assembly_id, data.action, data.group_id, data.piece_id
        )
        out.add(broadcasts.plenary_state(state))
    return {"state": state}


@event("vote_qr", BigQrCommand)
def on_vote_qr(data: BigQrCommand) -> dict:
    """The moderator shows the phone vote's QR full height (to scan from the back of the hall)
    on every board screen, or back to its corner."""
    _moderator()
    with broadcasting() as out:
        state = services.set_big_qr(current_user, data.assembly_id, "vote", data.shown)
        out.add(broadcasts.plenary_state(state))
    return {"state": state}


_APPROVAL_ACTIONS = {
    "hands": lambda user, a, g, tally: services.record_hands(user, a, g, tally),
    "open": lambda user, a, g, tally: services.open_vote(user, a, g),
    "close": lambda user, a, g, tally: services.close_vote(user, a, g),
    "correct": lambda user, a, g, tally: services.correct_hands(user, a, g, tally),
    # annulled: nothing left to show, the screens drop the mesa's result
    "reset": lambda user, a, g, tally: services.reset_approval(user, a, g) and None,
}


@event("approval_command", ApprovalCommand)
def on_approval_command(data: ApprovalCommand) -> dict:
    """hands (record a show-of-hands tally), open / close a phone vote, reset (annul)."""
    _moderator()
    run = _APPROVAL_ACTIONS.get(data.action)
    if run is None:
        raise InvalidInput(_("Acción de aprobación desconocida."))
    tally = {
        key: value
        for key, value in (
            ("for", data.for_),
            ("against", data.against),
            ("abstain", data.abstain),
            ("total", data.total),
            ("reason", data.reason),
        )
        if value is not None
    }
    with broadcasting() as out:
        approval = run(current_user, data.assembly_id, data.group_id, tally)
        if data.action in ("open", "close", "reset"):
            # a vote opened or ended: its QR starts again at its usual size
            plenary = services.drop_big_qr(data.assembly_id, "vote")
            if plenary:
                out.add(broadcasts.plenary_state(plenary))
        result = services.json_approval(approval)
        electorate = services.present_count(data.assembly_id)
        out.add(
            broadcasts.approval_changed(
                data.assembly_id, data.group_id, result, electorate=electorate, phones=True
            ),
            *_tables_told(data.assembly_id, data.group_id),
        )
    return {"approval": result}


def _tables_told(assembly_id: int, group_id: int) -> list:
    """The mesa's phones learn whether its agenda is now frozen (``table_info``'s ``frozen``):
    an approved agenda offers no edit, even if a step reopens."""
    tables = db.session.scalars(select(Table).where(Table.group_id == group_id).order_by(Table.id))
    return [puzzle_broadcasts.table_frozen(puzzle.table_info(t), assembly_id) for t in tables]


@event("plenary_rules", RulesCommand)
def on_plenary_rules(data: RulesCommand) -> dict:
    """The moderator sets quorum, majority and whether results hide until closing."""
    _moderator()
    with broadcasting() as out:
        view = services.set_rules(current_user, data.assembly_id, data.model_dump())
        out.add(broadcasts.rules_changed(data.assembly_id, view))
    return {"rules": view}


@event("plenary_headcount", HeadcountCommand)
def on_plenary_headcount(data: HeadcountCommand) -> dict:
    """The moderator overrides the people present (logged with the reason)."""
    _moderator()
    with broadcasting() as out:
        view = services.set_headcount(current_user, data.assembly_id, data.headcount, data.reason)
        out.add(broadcasts.rules_changed(data.assembly_id, view))
    return {"rules": view}
