"""Roles and what each may do: pure data, so the matrix is read (and tested) in one place."""

from enum import StrEnum

from assembly.marks import N_


class Role(StrEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    SUPERVISOR = "supervisor"


ROLE_LABELS = {
    Role.ADMIN: N_("Administración"),
    Role.ORGANIZER: N_("Organización (mesa de registro)"),
    Role.FACILITATOR: N_("Facilitación de mesa"),
    Role.MODERATOR: N_("Moderación (proyector)"),
    Role.SUPERVISOR: N_("Supervisión (informes)"),
}


class Permission(StrEnum):
    VIEW_ASSEMBLY = "view_assembly"  # see an assembly's overview
    MANAGE_ASSEMBLIES = "manage_assemblies"  # create and edit assemblies, agenda, themes
    MANAGE_USERS = "manage_users"
    DESK = "desk"  # check people in, register walk-ins, print badges
    PERSONAL_DATA = "personal_data"  # see document numbers and contact data
    MANAGE_GROUPS = "manage_groups"  # split the room, move people
    FACILITATE = "facilitate"  # follow a mesa's tables and moderate its pieces
    RUN_CLOCK = "run_clock"  # start/pause/extend the agenda, run the plenary
    EXPORT = "export"  # download reports
    EXPORT_FULL = "export_full"  # reports with document numbers and contact data
    ERASE_PERSONAL_DATA = "erase_personal_data"  # Ley 1581: erase a person (admins)
    VIEW_AUDIT = "view_audit"  # Ley 1581: read and export the audit log (admins)
    FOLLOW_UP = "follow_up"  # after the day: complete commitments, confirm progress reports


_ALL = frozenset(Permission)

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _ALL,
    Role.ORGANIZER: frozenset(
        {
            Permission.VIEW_ASSEMBLY,
            Permission.DESK,
            Permission.PERSONAL_DATA,
            Permission.MANAGE_GROUPS,
            Permission.FOLLOW_UP,
        }
    ),
    Role.FACILITATOR: frozenset({Permission.VIEW_ASSEMBLY, Permission.FACILITATE}),
    Role.MODERATOR: frozenset(
        {Permission.VIEW_ASSEMBLY, Permission.RUN_CLOCK, Permission.FACILITATE}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.VIEW_ASSEMBLY,
            Permission.EXPORT,
            Permission.EXPORT_FULL,
            Permission.FOLLOW_UP,
        }
    ),
}


#: what a new staff account is offered first: the role that may do least (one mesa's
#: facilitation); anything more is chosen on purpose
DEFAULT_ROLE = Role.FACILITATOR


def role_can(role: str, permission: Permission) -> bool:
    """True when ``role`` holds ``permission``; unknown roles hold nothing."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False


MIN_PASSWORD_LENGTH = 10


def password_problem(password: str, username: str = "") -> str | None:
    """A Spanish reason why ``password`` is too weak, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"La contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres."
    if username and username.lower() in password.lower():
        return "La contraseña no puede contener el nombre de usuario."
    if len(set(password)) < 4:
        return "La contraseña es demasiado repetitiva."
    return None
