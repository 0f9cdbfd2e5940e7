"""Walk every route with every role: allowed where the role holds the route's permission,
403 otherwise, the log-in page for anonymous visitors.  A new route without a declared
permission fails here unless it is listed as public."""

import pytest
from werkzeug.routing import Rule

from assembly.auth.domain import Role, role_can

#: endpoints anyone may open (log-in, static files, public APIs)
PUBLIC = {
    "static",
    "js_entry",
    "core.home",
    "core.server_time",
    "core.health",
    "core.municipalities",
    "core.service_worker",  # the script only (no data); it runs in secure contexts
    "core.offline_page",  # what the service worker shows for a page it never kept
    "auth.login",
    "agenda.clock_json",
    "registration.public_form",
    "registration.received",
    "registration.ticket",
    "registration.ticket_qr",
    "registration.my_data",  # the ticket token is the key (Ley 1581: see, correct, withdraw)
    "registration.withdraw_consent",
    "board.public_board",
    "board.board_qr",
    "board.vote",
    "board.vote_entry",  # the board's vote QR: the phone then identifies with its ticket
    "puzzle.table_entry",
    "puzzle.table_page",
    "followup.update_page",  # the responsible's private link: the token is the key
    "followup.report",
    "followup.accountability",  # public only when the assembly opted in
    "followup.survey_entry",  # the projected survey QR: the phone then identifies with its ticket
    "followup.survey_answer",  # the ticket token is the key
    "followup.survey_submit",
}
#: endpoints that need a log-in but no particular permission
#: any logged-in staff account; the job route then checks the job is theirs (or admin)
ANY_STAFF = {"auth.logout", "auth.job_status"}


def _url_for_rule(rule: Rule, ids: dict) -> str:
    values = {arg: ids.get(arg, 1) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def routes(app, make_assembly, db):
    from assembly.grouping.models import Group, Table

    assembly = make_assembly()
    group = db.session.scalars(db.select(Group).where(Group.assembly_id == assembly.id)).first()
    table = Table(group_id=group.id, number=1, join_code="PERM23")
    db.session.add(table)
    db.session.commit()
    ids = {
        "assembly_id": assembly.id,
        "user_id": 1,
        "kind": "themes",
        "row_id": assembly.themes[0].id,
        "action": "up",
        "department_code": "81",
        "group_id": group.id,
        "table_id": table.id,
        "slide_id": 1,
        "piece_id": "no-such-piece",
        "ticket_token": "no-such-ticket",
        "attendee_id": 1,
        "question_id": 1,
        "key": "A" * 22,
        "token": "no-such-ticket-token-000",
        "export_id": 1,
        "commitment_id": 1,
        "update_id": 1,
    }
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        found.append((rule, getattr(view, "required_permission", None), _url_for_rule(rule, ids)))
    return found


def test_every_route_is_public_or_declares_a_permission(routes):
    undeclared = [
        r.endpoint
        for r, permission, _ in routes
        if permission is None and r.endpoint not in PUBLIC | ANY_STAFF
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_get_route_answers_each_role_by_its_permissions(role, routes, client, auth, db):
    user = auth.login(role)
    if role == Role.FACILITATOR.value:
        # the walk tests the role's permissions; a facilitator's routes also need the mesa to be
        # theirs (tested with the facilitators' own pages and sockets)
        from assembly.grouping.models import Group

        for group in db.session.scalars(db.select(Group)):
            group.facilitator_id = user.id
        db.session.commit()
    for rule, permission, url in routes:
        if permission is None or "GET" not in rule.methods:
            continue
        status = client.get(url).status_code
        expected_ok = role_can(role, permission)
        assert (status != 403) == expected_ok, f"{role} GET {url}: {status}"
        assert status < 500, f"{role} GET {url}: {status}"
    assert user.role == role


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_post_route_refuses_roles_without_permission(role, routes, client, auth, db):
    auth.login(role)
    for rule, permission, url in routes:
        if permission is None or "POST" not in rule.methods or role_can(role, permission):
            continue
        status = client.post(url, data={}).status_code
        assert status == 403, f"{role} POST {url}: {status}"


def test_anonymous_visitors_are_sent_to_log_in(routes, client):
    for rule, permission, url in routes:
        if permission is None:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_api_refusals_are_json(client, auth):
    auth.login("facilitator")
    response = client.get("/assemblies/new", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.get_json() == {
        "ok": False,
        "error": "Su cuenta no tiene permiso para esta acción.",
        "code": "forbidden",
        "retry": False,
        "fields": {},
    }


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMIN])
def test_staff_of_another_assembly_are_refused_every_route_of_this_one(
    role, routes, app, make_assembly, make_user
):
    """Roles are granted per assembly: the same role held on another assembly opens none of
    this one's pages, GET or POST (admins are global)."""
    from tests.conftest import TEST_PASSWORD

    elsewhere = make_assembly()
    user = make_user(role, assembly_ids=[elsewhere.id])
    client = app.test_client()
    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    checked = 0
    for rule, permission, url in routes:
        if permission is None or "assembly_id" not in rule.arguments:
            continue
        if not role_can(role, permission):
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            status = client.open(url, method=method, data={}).status_code
            assert status == 403, f"{role} (of another assembly) {method} {url}: {status}"
            checked += 1
    assert checked > 0
