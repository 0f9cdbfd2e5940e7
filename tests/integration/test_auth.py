from assembly.auth.models import User
from tests.conftest import TEST_PASSWORD


def test_login_page_is_spanish_and_has_csrf_field(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Entrar" in page and "Contraseña" in page
    assert 'lang="es"' in page


def test_login_logout_round_trip(client, auth):
    user = auth.login("organizer")
    page = client.get("/assemblies/", follow_redirects=True).get_data(as_text=True)
    assert user.display_name in page
    assert client.post("/logout").status_code == 302
    assert client.get("/assemblies/").status_code == 302


def test_wrong_password_says_so_and_sets_no_session(client, make_user):
    user = make_user("admin")
    response = client.post("/login", data={"username": user.username, "password": "otra-clave-123"})
    assert response.status_code == 401
    assert "Usuario o contraseña incorrectos" in response.get_data(as_text=True)
    assert client.get("/assemblies/").status_code == 302


def test_username_is_case_insensitive(client, make_user):
    make_user("admin", username="ana.perez")
    response = client.post("/login", data={"username": "  Ana.Perez ", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_inactive_account_cannot_log_in(client, make_user, db):
    user = make_user("moderator")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 401


def test_next_parameter_only_redirects_locally(client, make_user):
    user = make_user("admin")
    data = {"username": user.username, "password": TEST_PASSWORD}
    assert client.post("/login?next=//evil.example/x", data=data).headers["Location"] == "/"
    client.post("/logout")
    assert client.post("/login?next=/admin/users", data=data).headers["Location"] == "/admin/users"


def test_passwords_are_hashed(make_user, db):
    user = make_user("admin")
    stored = db.session.get(User, user.id).password_hash
    assert TEST_PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_admin_creates_and_edits_an_account(client, auth, db):
    admin = auth.login("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "Mesa.Dos",
            "display_name": "Mesa Dos",
            "role": "organizer",
            "password": "registro-2026-x",
        },
    )
    assert response.status_code == 302
    created = db.session.query(User).filter_by(username="mesa.dos").one()
    assert created.role == "organizer"
    response = client.post(
        f"/admin/users/{created.id}",
        data={
            "username": "mesa.dos",
            "display_name": "Mesa 2",
            "role": "moderator",
            "password": "",
            "active": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(created)
    assert (created.display_name, created.role, created.active) == ("Mesa 2", "moderator", False)
    assert admin.id != created.id


def test_account_form_errors_are_shown_and_nothing_is_saved(client, auth, db):
    auth.login("admin")
    before = db.session.query(User).count()
    response = client.post(
        "/admin/users/new",
        data={"username": "ana", "display_name": "Ana", "role": "organizer", "password": "corta"},
    )
    assert response.status_code == 422
    assert "al menos 10 caracteres" in response.get_data(as_text=True)
    assert db.session.query(User).count() == before


def test_duplicate_username_is_refused(client, auth, make_user):
    existing = make_user("organizer")
    auth.login("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "username": existing.username,
            "display_name": "X",
            "role": "organizer",
            "password": "otra-clave-larga",
        },
    )
    assert response.status_code == 422
    assert "Ya existe una cuenta" in response.get_data(as_text=True)


def test_admin_cannot_demote_or_disable_itself(client, auth, db):
    admin = auth.login("admin")
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "username": admin.username,
            "display_name": "Yo",
            "role": "supervisor",
            "active": "y",
        },
    )
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_cli_creates_a_user(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["assembly", "create-user", "--username", "moderacion", "--name", "Moderación",
              "--role", "moderator", "--password", "proyector-2026"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.query(User).filter_by(username="moderacion", role="moderator").count() == 1
    again = runner.invoke(
        args=["assembly", "create-user", "--username", "moderacion", "--name", "Otra",
              "--role", "moderator", "--password", "proyector-2026"]
    )  # fmt: skip
    assert again.exit_code != 0 and "Ya existe" in again.output


def test_a_new_staff_account_defaults_to_the_least_privilege(client, auth):
    """Issue 20.4: the form offers the role that may do least, never Administración."""
    import re

    from assembly.auth.domain import DEFAULT_ROLE, GRANTS

    assert len(GRANTS[DEFAULT_ROLE]) == min(len(grants) for grants in GRANTS.values())
    auth.login("admin")
    html = client.get("/admin/users/new").get_data(as_text=True)
    chosen = re.findall(
        r'<option[^>]*selected[^>]*value="([^"]+)"|<option[^>]*value="([^"]+)"[^>]*selected', html
    )
    assert [a or b for a, b in chosen] == [DEFAULT_ROLE.value] == ["facilitator"]
