import pytest

from assembly.auth.domain import GRANTS, Permission, Role, password_problem, role_can


def test_admin_holds_every_permission():
    assert all(role_can("admin", permission) for permission in Permission)


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        ("organizer", Permission.DESK, Permission.EXPORT),
        ("facilitator", Permission.FACILITATE, Permission.PERSONAL_DATA),
        ("moderator", Permission.RUN_CLOCK, Permission.DESK),
        ("supervisor", Permission.EXPORT_FULL, Permission.MANAGE_ASSEMBLIES),
    ],
)
def test_each_role_holds_what_it_needs_and_not_more(role, allowed, denied):
    assert role_can(role, allowed)
    assert not role_can(role, denied)


def test_only_desk_staff_and_admins_see_personal_data():
    assert {r for r in Role if Permission.PERSONAL_DATA in GRANTS[r]} == {
        Role.ADMIN,
        Role.ORGANIZER,
    }


def test_unknown_role_holds_nothing():
    assert not role_can("root", Permission.VIEW_ASSEMBLY)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("corta", "al menos 10"),
        ("mi-ana-clave-larga", "nombre de usuario"),
        ("aaaaaaaaaaaa", "repetitiva"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, problem):
    assert problem in password_problem(password, "ana")


def test_a_good_password_passes():
    assert password_problem("tres-palabras-largas", "ana") is None
