"""What every board screen shows, and the moderator's commands to it."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import get_assembly
from assembly.auth.models import User
from assembly.board.models import BIG_QRS, PlenaryState
from assembly.board.services.approvals import approval_results, open_votes
from assembly.board.services.rules import present_count, rules_view, state_row
from assembly.errors import InvalidInput, NotFound
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.grouping.services import get_group as _group
from assembly.puzzle import domain as puzzle_domain
from assembly.puzzle.models import Piece
from assembly.puzzle.services import is_shown, piece_payload
from assembly.registration.models import Attendee

# --- what the board shows -------------------------------------------------------------------


def find_public_board(token: object) -> Assembly | None:
    """The assembly whose public board ``token`` opens, while that board is turned on."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    assembly = db.session.scalar(select(Assembly).where(Assembly.board_token == token))
    return assembly if assembly is not None and assembly.public_board else None


def public_board_assembly(token: object) -> Assembly:
    assembly = find_public_board(token)
    if assembly is None:
        raise NotFound(
            _("Este tablero no existe o está desactivado. Escanee el código QR de la pantalla.")
        )
    return assembly


def board_groups(assembly_id: int) -> list[Group]:
    """The assembly's mesas in order, with their theme and sub-tables loaded."""
    return (
        db.session.scalars(
            select(Group)
            .where(Group.assembly_id == assembly_id)
            .options(joinedload(Group.theme), joinedload(Group.tables))
            .order_by(Group.number)
        )
        .unique()
        .all()
    )


def spokespeople(groups: list[Group]) -> dict[int, str]:
    """The names of these mesas' vocero / vocera (a public role), by attendee id."""
    ids = [g.spokesperson_id for g in groups if g.spokesperson_id]
    if not ids:
        return {}
    return {
        a.id: a.full_name for a in db.session.scalars(select(Attendee).where(Attendee.id.in_(ids)))
    }


def assembly_pieces(assembly_id: int, *, include_hidden: bool = False) -> list[Piece]:
    """The pieces the plenary sees (``puzzle.domain.shown_pieces``: none under a hidden need
    or solution), or with ``include_hidden`` every piece, by mesa, table and time of writing."""
    query = (
        select(Piece)
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
        .options(joinedload(Piece.table).joinedload(Table.group))
        .order_by(Group.number, Table.number, Piece.created_at, Piece.id)
    )
    pieces = db.session.scalars(query).all()
    return pieces if include_hidden else puzzle_domain.shown_pieces(pieces)


def plenary_dict(state: PlenaryState | None, assembly_id: int) -> dict:
    if state is None:
        return {
            "assembly_id": assembly_id,
            "mode": "live",
            "group_id": None,
            "piece_id": None,
            "revealed": [],
            "big_qr": None,
            "version": 0,
        }
    return {
        "assembly_id": state.assembly_id,
        "mode": state.mode,
        "group_id": state.group_id,
        "piece_id": state.piece_id,
        "revealed": list(state.revealed or []),
        "big_qr": state.big_qr,
        "version": state.version,
    }


def plenary_state(assembly_id: int) -> dict:
    return plenary_dict(db.session.get(PlenaryState, assembly_id), assembly_id)


def checked_in_count(assembly_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Attendee.id)).where(
                Attendee.assembly_id == assembly_id, Attendee.checked_in_at.is_not(None)
            )
        )
        or 0
    )


def board_snapshot(assembly_id: int) -> dict:
    """Everything a board screen needs on (re)connect; deltas follow as events."""
    assembly = get_assembly(assembly_id)
    groups = board_groups(assembly_id)
    speakers = spokespeople(groups)
    return {
        "assembly": {
            "id": assembly.id,
            "name": assembly.name,
            "agreement_line": assembly.agreement_line,
            "status": assembly.status,
        },
        "groups": [
            {
                "id": g.id,
                "number": g.number,
                "title": g.theme.title,
                "tables": [{"id": t.id, "number": t.number} for t in g.tables],
                # as group_changed sends it (puzzle.services.group_info)
                "spokesperson": (
                    {"id": g.spokesperson_id, "name": speakers[g.spokesperson_id]}
                    if g.spokesperson_id in speakers
                    else None
                ),
            }
            for g in groups
        ],
        "pieces": [piece_payload(p) for p in assembly_pieces(assembly_id)],
        "plenary": plenary_state(assembly_id),
        "approvals": {str(k): v for k, v in approval_results(assembly_id, live=True).items()},
        "electorate": present_count(assembly_id),
        "rules": rules_view(assembly_id),
    }


def plenary_command(
    actor: User, assembly_id: int, action: str, group_id=None, piece_id=None
) -> dict:
    """The moderator drives every board screen: ``reveal`` a mesa (its spokesperson's turn),
    ``zoom`` into a piece / ``unzoom``, show the ``whole`` puzzle, or go back to ``live``."""
    get_assembly(assembly_id)
    state = db.session.get(PlenaryState, assembly_id)
    if state is None:
        state = PlenaryState(assembly_id=assembly_id, mode="live", revealed=[], version=0)
        db.session.add(state)
    if action == "reveal":
        group = _group(assembly_id, group_id)
        state.mode, state.group_id, state.piece_id = "reveal", group.id, None
        if group.id not in (state.revealed or []):
            state.revealed = [*(state.revealed or []), group.id]
    elif action == "zoom":
        piece = db.session.get(Piece, str(piece_id or ""))
        if piece is None or piece.table.group.assembly_id != assembly_id or not is_shown(piece):
            raise NotFound(_("La pieza no existe en esta asamblea."))
        state.piece_id = piece.id
    elif action == "unzoom":
        state.piece_id = None
    elif action == "whole":
        state.mode, state.group_id, state.piece_id = "whole", None, None
    elif action == "live":
        state.mode, state.group_id, state.piece_id, state.revealed = "live", None, None, []
    else:
        raise InvalidInput(_("Acción de plenaria desconocida."))
    state.version = (state.version or 0) + 1
    db.session.flush()
    return plenary_dict(state, assembly_id)


# --- a QR full height, for the back of the hall (issue 19) ----------------------------------


def set_big_qr(actor: User, assembly_id: int, which: str, shown: bool) -> dict:
    """Show the ``which`` QR (``BIG_QRS``) full height on every board screen, or back to its
    usual size; one at a time. A vote's QR needs an open phone vote; the survey's is checked
    by the follow-up, which calls this."""
    get_assembly(assembly_id)
    if which not in BIG_QRS:
        raise InvalidInput(_("Ese código QR no existe en el tablero."))
    if shown and which == "vote" and not open_votes(assembly_id):
        raise InvalidInput(_("No hay una votación por teléfono abierta."))
    state = state_row(assembly_id)
    if shown:
        state.big_qr = which
    elif state.big_qr == which:
        state.big_qr = None
    state.version = (state.version or 0) + 1
    db.session.flush()
    return plenary_dict(state, assembly_id)


def drop_big_qr(assembly_id: int, which: str) -> dict | None:
    """The ``which`` QR has nothing left to scan (its vote or survey closed, or a new one
    opened): back to its usual size. The new state, or None if it was not shown big."""
    state = db.session.get(PlenaryState, assembly_id)
    if state is None or state.big_qr != which:
        return None
    state.big_qr = None
    state.version = (state.version or 0) + 1
    db.session.flush()
    return plenary_dict(state, assembly_id)
