"""Fuzz every JSON route (``@json_body``) with hostile bodies: never a 500, always a JSON
refusal with a Spanish message when refused."""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.test_socket_fuzz import NASTY_VALUE


def _json_routes(app):
    for rule in app.url_map.iter_rules():
        schema = getattr(app.view_functions[rule.endpoint], "body_schema", None)
        if schema is not None:
            yield rule, schema


def test_no_body_makes_a_json_route_fail(app, make_assembly, auth, client):
    assembly = make_assembly()
    auth.login("admin")
    routes = list(_json_routes(app))
    assert routes, "no @json_body route found"
    for rule, schema in routes:
        _fuzz(client, rule.build({"assembly_id": assembly.id}, append_unknown=False)[1], schema)


def _fuzz(client, url, schema):
    """Hostile bodies for one route."""
    keys = list(schema.model_fields)
    bodies = st.one_of(
        st.dictionaries(st.sampled_from(keys), NASTY_VALUE, max_size=len(keys)), NASTY_VALUE
    )

    @settings(
        max_examples=1000 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies)
    def check(body):
        try:
            data = json.dumps(body)
        except ValueError:
            data = "{"  # not even JSON
        response = client.post(
            url, data=data, content_type="application/json", headers={"Accept": "application/json"}
        )
        assert response.status_code < 500, (url, body, response.get_data(as_text=True)[:300])
        reply = response.get_json()
        assert isinstance(reply, dict) and "ok" in reply, (url, body)
        if reply["ok"] is False:
            assert reply["error"] and reply["code"] != "internal"

    check()
