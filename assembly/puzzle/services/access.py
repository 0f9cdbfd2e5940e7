"""Who may act: a table's phones by their join code, facilitators by their mesa."""

from __future__ import annotations

from flask_babel import gettext as _

from assembly.auth.domain import Permission, Role
from assembly.auth.models import User
from assembly.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.grouping import services as grouping
from assembly.grouping.models import Group, Table
from assembly.puzzle import domain
from assembly.puzzle.models import Piece
from assembly.puzzle.services.history import ensure_editable


def _invalid(error: domain.PieceError) -> InvalidInput:
    return InvalidInput(error.message, fields=error.fields)


# --- who may act -------------------------------------------------------------------------------


def table_for_code(code: object) -> Table | None:
    """The table a join code opens (case and blanks ignored), or None."""
    return grouping.find_table_by_code(code)


def code_changed_error() -> Conflict:
    return Conflict(
        _(
            "El código de esta mesa cambió: pida el nuevo a la facilitación. Lo que escribió "
            "sigue guardado en este teléfono y se enviará al entrar con el código nuevo."
        ),
        code="code_changed",
    )


def was_rotated(code: object) -> bool:
    """True for a table's old join code (rotated away): not a wrong guess."""
    return grouping.retired_table(code) is not None


def identity_for_code(code: object) -> dict | None:
    """The socket identity of a table's phones, from its join code (which it remembers: once
    the code is rotated the identity opens nothing).  An old code is refused as
    ``code_changed``, not counted as a wrong guess."""
    table = table_for_code(code)
    if table is None:
        if was_rotated(code):
            raise code_changed_error()
        return None
    return {
        "assembly_id": table.group.assembly_id,
        "table_id": table.id,
        "group_id": table.group_id,
        "code": table.join_code,
    }


def identity_table(identity: dict | None) -> Table:
    """The table a phone's socket identity writes for; PermissionDenied / NotFound otherwise."""
    if not identity or identity.get("kind") != "table_code":
        raise PermissionDenied(_("Abra la página de su mesa con el código para escribir."))
    table = db.session.get(Table, identity["table_id"])
    if table is None:
        raise NotFound(_("Esta mesa ya no existe; pida el código nuevo a la facilitación."))
    if identity.get("code") and identity["code"] != table.join_code:
        raise code_changed_error()  # a phone still on the rotated code
    return table


def _own_piece(table: Table, piece_id: object) -> Piece | None:
    """The piece if it belongs to ``table``; a piece of another table is refused."""
    try:
        clean = domain.clean_id(piece_id)
    except domain.PieceError as error:
        raise _invalid(error) from None
    piece = db.session.get(Piece, clean)
    if piece is not None and piece.table_id != table.id:
        raise PermissionDenied(_("Esa pieza no es de su mesa."))
    return piece


def may_facilitate(user: User, group: Group) -> bool:
    """Facilitators only their own mesa; admins and moderators any."""
    if not user or not user.is_authenticated or not user.can(Permission.FACILITATE):
        return False
    if not user.may_access(group.assembly_id):
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
        raise NotFound(_("La pieza ya no existe."))
    if not may_facilitate(user, piece.table.group):
        raise PermissionDenied(_("Esta pieza es de una mesa asignada a otra persona."))
    ensure_editable(piece.table)  # after approval, changes are amendments
    return piece
