"""The guards the test app switches off (CSRF, rate limits), checked on the real server."""

import secrets
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.live_server import Browserless, start_server


@pytest.fixture
def server(app, database_url, tmp_path):
    server = start_server(
        database_url,
        secret_key=secrets.token_hex(16),
        log_dir=tmp_path,
        extra_env={"ASSEMBLY_LOGIN_RATE_LIMIT": "3 per minute"},
    )
    yield server
    server.stop()


def _status(call) -> int:
    try:
        return call()
    except urllib.error.HTTPError as error:
        return error.code


def test_failed_log_ins_are_throttled_and_good_ones_are_not_counted(server, make_user):
    user = make_user("organizer")
    web = Browserless(server.url)
    web.login(user.username, TEST_PASSWORD)  # a success does not use up the allowance
    web.post_form("/logout", {}, token_from="/assemblies/")
    wrong = {"username": user.username, "password": "no-es-la-clave"}
    statuses = [_status(lambda: web.post_form("/login", wrong)) for _ in range(4)]
    assert statuses == [401, 401, 401, 429], server.log()[-2000:]
    page = _status(
        lambda: web.post_form("/login", {"username": user.username, "password": TEST_PASSWORD})
    )
    assert page == 429  # still throttled, even with the right password, until the minute passes


def test_a_form_without_its_csrf_token_is_refused(server, make_user, db):
    user = make_user("admin")
    web = Browserless(server.url)
    web.login(user.username, TEST_PASSWORD)
    request = urllib.request.Request(
        f"{server.url}/admin/users/new",
        data=urlencode(
            {
                "username": "intrusa",
                "display_name": "X",
                "role": "admin",
                "password": "una-clave-larga",
            }
        ).encode(),
        method="POST",
    )
    try:
        web.opener.open(request, timeout=10)
        raise AssertionError("the form was accepted without its CSRF token")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert "El formulario venció" in error.read().decode()
    from assembly.auth.models import User

    assert db.session.query(User).filter_by(username="intrusa").count() == 0
