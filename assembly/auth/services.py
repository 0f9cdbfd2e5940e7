"""Staff accounts: create, update, authenticate.  Flush, never commit (see unit_of_work)."""

import functools

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from assembly.auth import sessions
from assembly.auth.domain import Role, password_problem
from assembly.auth.models import AssemblyGrant, User
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.helpers import utcnow


@functools.cache
def _dummy_hash() -> str:
    """Checked when the username is unknown, so both failures take the same time; made at
    the first such log-in, not at import (half a second of every start-up: a restarted
    server is back for the phones that much sooner)."""
    return generate_password_hash("not-a-real-password")


def normalize_username(username: str) -> str:
    return username.strip().lower()


def create_user(
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    all_assemblies: bool = False,
    assembly_ids: tuple[int, ...] | list[int] = (),
) -> User:
    """A new staff account; raises InvalidInput / Conflict with a Spanish message."""
    username = normalize_username(username)
    _check(username=username, display_name=display_name, password=password, role=role)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(_("Ya existe una cuenta con el usuario «%(username)s».", username=username))
    user = User(
        username=username,
        display_name=display_name.strip(),
        password_hash=generate_password_hash(password),
        role=role,
        all_assemblies=all_assemblies,
        grants=[AssemblyGrant(assembly_id=a) for a in dict.fromkeys(assembly_ids)],
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    actor: User,
    user_id: int,
    *,
    display_name: str,
    role: str,
    active: bool,
    password: str = "",
    all_assemblies: bool | None = None,
) -> User:
    """Change an account; a new password, a deactivation or a changed role or scope ends
    every session of the account (it logs in again under the new terms)."""
    user = get_user(user_id)
    _check(username=user.username, display_name=display_name, password=password or None, role=role)
    if user.id == actor.id and (role != Role.ADMIN or not active):
        raise InvalidInput(
            _("No puede quitarse a sí mismo el rol de administración ni desactivarse.")
        )
    ends_sessions = bool(password) or user.role != role or (user.active and not active)
    if all_assemblies is not None:
        ends_sessions = ends_sessions or (user.all_assemblies and not all_assemblies)
        user.all_assemblies = all_assemblies
    user.display_name = display_name.strip()
    user.role = role
    user.active = active
    if password:
        user.password_hash = generate_password_hash(password)
    if ends_sessions:
        sessions.end_everywhere(user)
    db.session.flush()
    return user


def set_grants(user: User, assembly_ids) -> None:
    """The assemblies ``user`` works on, exactly ``assembly_ids`` (flush)."""
    wanted = set(assembly_ids)
    for grant in list(user.grants):
        if grant.assembly_id not in wanted:
            user.grants.remove(grant)
    for assembly_id in sorted(wanted - user.assembly_ids):
        user.grants.append(AssemblyGrant(assembly_id=assembly_id))
    db.session.flush()


def grant(user: User, assembly_id: int, granted: bool) -> None:
    """Give or take away one assembly (flush); taking it away ends the account's sessions."""
    ids = set(user.assembly_ids)
    if granted:
        ids.add(assembly_id)
    elif assembly_id in ids:
        ids.discard(assembly_id)
        sessions.end_everywhere(user)
    set_grants(user, ids)


def staff_accounts() -> list[User]:
    """Every account, by role and name (the admin's lists)."""
    return list(db.session.scalars(select(User).order_by(User.role, User.username)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("La cuenta no existe."))
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = db.session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _check(*, username: str, display_name: str, password: str | None, role: str) -> None:
    errors = {}
    if (
        not username
        or len(username) > 60
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        errors["username"] = (
            "El usuario debe tener solo letras, números, punto, guion o guion bajo."
        )
    if not display_name.strip():
        errors["display_name"] = "Escriba el nombre de la persona."
    if role not in set(Role):
        errors["role"] = "Elija un rol de la lista."
    if password is not None:
        problem = password_problem(password, username)
        if problem:
            errors["password"] = problem
    if errors:
        raise InvalidInput(" ".join(errors.values()), fields=errors)
