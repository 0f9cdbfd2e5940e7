"""Faults that must heal without a person: a lost queue, a lost or busy database connection."""

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from assembly.core import retry
from assembly.errors import as_domain_error, refusal
from tests.support.live_server import free_port


def test_healthz_reports_the_database_and_the_queue(client):
    assert client.get("/healthz").get_json() == {
        "ok": True,
        "status": "ok",
        "database": "ok",
        "queue": "off",
    }


def test_healthz_is_degraded_not_failing_while_redis_is_unreachable(app, client):
    previous = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        app.config["REDIS_URL"] = previous
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["queue"] == "down"


def test_a_full_pool_or_a_lost_connection_is_a_retryable_refusal_never_internal():
    for error in (
        PoolTimeout("QueuePool limit of size 10 overflow 15 reached"),
        OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    ):
        answer = refusal(as_domain_error(error))
        assert (answer["code"], answer["retry"]) == ("unavailable", True)


def test_only_reads_and_uuid_keyed_writes_are_tried_twice():
    assert retry.idempotent_event("join_table") and retry.idempotent_event("submit_piece")
    assert not retry.idempotent_event("hide_piece")
    assert not retry.idempotent_event("check_in")


def test_once_more_runs_again_only_after_a_dropped_connection(app):
    calls = []

    def flaky(error):
        calls.append(error)
        if len(calls) == 1:
            raise error
        return "second try"

    dropped = OperationalError("SELECT 1", {}, Exception("gone"), connection_invalidated=True)
    assert retry.once_more(flaky, dropped) == "second try" and len(calls) == 2
    calls.clear()
    other = OperationalError("SELECT 1", {}, Exception("syntax"))
    try:
        retry.once_more(flaky, other)
    except OperationalError as error:
        assert error is other and len(calls) == 1
    else:
        raise AssertionError("a statement error must not be repeated")


def test_sqlite_commits_reach_the_disk_before_the_acknowledgement(app, db):
    from sqlalchemy import text

    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"  # PostgreSQL: synchronous_commit=on
        assert db.session.execute(text("SHOW synchronous_commit")).scalar() == "on"
        return
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
