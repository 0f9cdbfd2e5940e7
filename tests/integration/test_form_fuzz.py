"""Fuzz every HTML form route (a POST that is not ``@json_body``) with hostile form data: wrong
types, huge numbers and strings, unicode, repeated keys, missing keys (issue 17.9). Never a 500,
never a traceback in the log, and nothing stored past its column's size or with a NUL.
Everyday: a few bodies per route; HYPOTHESIS_PROFILE=long runs two hundred."""

import logging
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, select

from tests.integration.test_permissions import _url_for_rule

#: routes that would end the fuzzing session itself
SKIP = {"auth.logout", "auth.login"}

NASTY_FORM_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "9" * 40,
            str(2**63),
            "-" + str(2**31),
            "1e309",
            "NaN",
            "true",
            "null",
            "[]",
            "{}",
            "1.5",
            "١٢٣",  # Arabic-Indic digits: isdigit() but not what int() should take here
            "\x00",
            "a\x00b",
            "\ud7ff\u202e<script>alert(1)</script>",
            "' OR 1=1 --",
            "x" * 100_000,
            "2026-02-30",
            "99:99",
        ]
    ),
)
#: a key sent once, several times (a list where one value goes), or not at all
NASTY_FORM_VALUE = st.one_of(NASTY_FORM_TEXT, st.lists(NASTY_FORM_TEXT, min_size=2, max_size=3))

FIELD_NAME = re.compile(r'\bname="([A-Za-z_][\w\-\[\]]*)"')


def _ids(make_assembly, make_attendee, db):
    from assembly.grouping.models import Group, Table

    assembly = make_assembly()
    assembly.status = "open"  # the public form takes registrations
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    table = Table(group_id=group.id, number=1, join_code="FUZZ23")
    db.session.add(table)
    person = make_attendee(assembly)
    db.session.commit()
    return assembly, {
        "assembly_id": assembly.id,
        "kind": "themes",
        "row_id": assembly.themes[0].id,
        "action": "up",
        "department_code": "81",
        "group_id": group.id,
        "table_id": table.id,
        "ticket_token": person.ticket_token,
        "token": person.ticket_token,
        "attendee_id": person.id,
        "key": "A" * 22,
        "piece_id": "no-such-piece",
    }


def _form_routes(app, ids):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "POST" not in rule.methods or rule.endpoint in SKIP:
            continue
        if getattr(view, "body_schema", None) is not None:
            continue  # JSON routes: test_json_fuzz.py
        yield rule, _url_for_rule(rule, ids)


def _field_names(client, urls) -> set[str]:
    """Every form field name the GET pages show (the keys a hostile body tries)."""
    names = set()
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            names |= set(FIELD_NAME.findall(response.get_data(as_text=True)))
    return names - {"csrf_token"}


def _garbage(db) -> list[str]:
    """Text stored past its column's declared size, or carrying a NUL."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String):
                continue
            for value in db.session.scalars(select(column).where(column.is_not(None))):
                size = column.type.length
                if (size and len(value) > size) or "\x00" in value:
                    found.append(f"{table.name}.{column.name}: {value[:60]!r}")
    return found


def test_no_form_body_makes_an_html_route_fail(
    app, make_assembly, make_attendee, auth, client, db, caplog
):
    _assembly, ids = _ids(make_assembly, make_attendee, db)
    auth.login("admin")
    routes = list(_form_routes(app, ids))
    assert len(routes) > 40, "the HTML form routes were not found"
    pages = {
        _url_for_rule(rule, ids)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments - set(ids)
    }
    names = sorted(_field_names(client, pages))
    assert "document_number" in names and "first_names" in names
    caplog.set_level(logging.WARNING)
    # the routes that remove things last, so the others still find what they act on
    routes.sort(key=lambda route: any(w in route[0].endpoint for w in ("delete", "remove")))
    for _rule, url in routes:
        _fuzz(client, url, sorted(_field_names(client, [url])) or names)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [(r.name, r.getMessage()[:200]) for r in tracebacks[:5]]
    db.session.rollback()
    assert _garbage(db) == []


def _fuzz(client, url, names):
    bodies = st.dictionaries(st.sampled_from(names), NASTY_FORM_VALUE, max_size=8)

    @settings(
        max_examples=200 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 6,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies)
    def check(body):
        response = client.post(url, data=body)
        assert response.status_code < 500, (url, body, response.get_data(as_text=True)[:300])

    check()


def test_a_nul_character_is_refused_with_a_message_and_nothing_is_stored(client, make_assembly, db):
    from assembly.registration.models import Attendee
    from tests.integration.test_registration import good_form

    assembly = make_assembly()
    assembly.status = "open"
    db.session.commit()
    response = client.post(f"/inscripcion/{assembly.id}", data=good_form(first_names="Ana\x00"))
    assert response.status_code == 422
    assert "carácter no permitido" in response.get_data(as_text=True)
    assert db.session.scalar(select(Attendee.id)) is None


def test_a_huge_id_in_a_groups_form_is_refused_not_a_500(make_assembly, auth, client, db):
    from assembly.grouping.models import Group

    assembly = make_assembly()
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    auth.login("admin")
    url = f"/assemblies/{assembly.id}/groups/{group.id}/facilitator"
    for value in (str(2**63), "١٢", "-3"):
        response = client.post(url, data={"user_id": value}, follow_redirects=True)
        assert "Falta elegir un valor en el formulario" in response.get_data(as_text=True), value
    db.session.expire_all()
    assert group.facilitator_id is None
