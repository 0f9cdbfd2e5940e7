"""Fuzz every registered Socket.IO event with hostile payloads: wrong types, huge numbers and
strings, unicode, missing keys, non-objects. Never an ``internal`` refusal, never a traceback
in the log. Everyday: 15 payloads per event; HYPOTHESIS_PROFILE=long runs a thousand."""

import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembly.core.sockets import EVENTS
from assembly.extensions import socketio
from tests.conftest import TEST_PASSWORD
from tests.integration.test_socket_permissions import RIGHTS

NASTY_TEXT = st.one_of(
    st.text(max_size=50),
    st.just("\x00\ud7ff\u202e<script>alert(1)</script>"),
    st.just("x" * 100_000),
    st.just("' OR 1=1 --"),
)
NASTY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    NASTY_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _payloads(spec):
    keys = list(spec.schema.model_fields) if spec.schema is not None else []
    keys += [f.alias for f in spec.schema.model_fields.values() if f.alias] if keys else []
    as_object = st.dictionaries(
        st.sampled_from(keys) if keys else st.text(max_size=8), NASTY_VALUE, max_size=len(keys) + 1
    )
    return st.one_of(as_object, NASTY_VALUE)


@pytest.fixture
def staff_socket(app, make_assembly, make_user):
    make_assembly()
    admin = make_user("admin")
    client = app.test_client()
    client.post("/login", data={"username": admin.username, "password": TEST_PASSWORD})
    sio = socketio.test_client(app, flask_test_client=client)
    yield sio
    sio.disconnect()


# the walk's list: test_socket_permissions proves it names every registered event
@pytest.mark.parametrize("name", sorted(RIGHTS))
def test_no_payload_makes_an_event_crash(name, app, staff_socket, caplog):
    spec = EVENTS[name]

    @settings(
        max_examples=1000 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=_payloads(spec))
    def check(payload):
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            ack = staff_socket.emit(name, payload, callback=True)
        assert isinstance(ack, dict), ack
        assert ack.get("code") != "internal", (name, payload, ack)
        if ack["ok"] is False:
            assert isinstance(ack["error"], str) and ack["error"]
        assert "Traceback" not in caplog.text, caplog.text[-2000:]

    check()
