"""the desk's name search on an index: FTS5 over attendees.name_key (SQLite, kept by
triggers), a GIN index on to_tsvector('simple', name_key) (PostgreSQL)

A name search of 50,000 people read every name (issue 16.1).  The SQL is
assembly/registration/name_index.py's, frozen here; neither object is in the models
(migrations/env.py skips them when comparing).

Revision ID: f15b0c1d2e30
Revises: f14a1b2c3d40
Create Date: 2026-12-02 19:00:00

"""
from alembic import op


revision = "f15b0c1d2e30"
down_revision = "f14a1b2c3d40"
branch_labels = None
depends_on = None

SQLITE = [
    'DROP TABLE IF EXISTS attendee_names',
    "CREATE VIRTUAL TABLE attendee_names USING fts5(name_key, content='attendees', content_rowid='id', tokenize='unicode61')",
    "INSERT INTO attendee_names (attendee_names) VALUES ('rebuild')",
    'CREATE TRIGGER attendees_names_insert AFTER INSERT ON attendees BEGIN INSERT INTO attendee_names (rowid, name_key) VALUES (NEW.id, NEW.name_key); END',
    "CREATE TRIGGER attendees_names_delete AFTER DELETE ON attendees BEGIN INSERT INTO attendee_names (attendee_names, rowid, name_key) VALUES ('delete', OLD.id, OLD.name_key); END",
    "CREATE TRIGGER attendees_names_update AFTER UPDATE OF name_key ON attendees WHEN OLD.name_key IS NOT NEW.name_key BEGIN INSERT INTO attendee_names (attendee_names, rowid, name_key) VALUES ('delete', OLD.id, OLD.name_key); INSERT INTO attendee_names (rowid, name_key) VALUES (NEW.id, NEW.name_key); END",
]

POSTGRESQL = [
    "CREATE INDEX IF NOT EXISTS ix_attendees_name_words ON attendees USING gin (to_tsvector('simple', name_key))",
]


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_attendees_name_words")
        return
    for name in ("attendees_names_update", "attendees_names_delete", "attendees_names_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS attendee_names")
