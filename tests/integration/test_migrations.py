"""`flask db upgrade` on an empty database gives exactly the models' schema, and downgrade
to base removes it all, on SQLite and on PostgreSQL."""

import os
import subprocess
import sys
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from assembly.extensions import db
from assembly.registration import name_index
from tests.support.live_server import PROJECT_ROOT
from tests.support.services import require_postgres


def _flask_db(url: str, *args: str) -> None:
    env = {**os.environ, "ASSEMBLY_DATABASE_URL": url, "ASSEMBLY_ENV": "development"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "assembly", "db", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


_TALLY_TRIGGERS = {
    "sqlite": {
        "attendees_tally_insert",
        "attendees_tally_delete",
        "attendees_tally_update",
        "attendees_names_insert",
        "attendees_names_delete",
        "attendees_names_update",
    },
    "postgresql": {"attendees_tally_rows", "attendees_tally_update"},
}


def _triggers(connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return set(connection.execute(text(query)).scalars())


def _check_round_trip(url: str, app) -> None:
    _flask_db(url, "upgrade")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": name_index.include_name}
            )
            with app.app_context():
                drift = compare_metadata(context, db.metadata)
            assert drift == [], f"migrations and models differ: {drift}"
            # triggers are not in the models' metadata: a later SQLite "move and copy" of
            # attendees would drop them silently (grouping/tally_sql.py)
            assert _triggers(connection) == _TALLY_TRIGGERS[connection.dialect.name]
        _flask_db(url, "downgrade", "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_sqlite_upgrade_matches_models_and_downgrades(app, tmp_path):
    _check_round_trip(f"sqlite:///{tmp_path / 'migrated.db'}", app)


@pytest.mark.postgres
def test_postgres_upgrade_matches_models_and_downgrades(app):
    base_url = require_postgres()
    name = f"asamblea_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _check_round_trip(base_url.rsplit("/", 1)[0] + f"/{name}", app)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
