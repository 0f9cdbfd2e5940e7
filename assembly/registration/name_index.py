"""The index of the people's names, word by word, for the desk's search (issue 16.1: a
search of 50,000 names must not read every name).

``name_key`` is already the name without accents, case or punctuation, single spaces
(:func:`registration.domain.normalize_name`).  Each backend indexes its words:

- SQLite: an FTS5 table over ``attendees.name_key`` (external content: it stores only the
  index), kept by three triggers in the writer's transaction;
- PostgreSQL: a GIN index on ``to_tsvector('simple', name_key)`` (no stemming, no stop
  words), which the database keeps itself.

A search asks the index for the names holding a word that starts with each typed word
(``"maria"*`` / ``'maria':*``) and keeps the exact ``LIKE`` of a word start on the rows it
gives, so the matches are exactly today's.  Neither object is in the models' metadata:
``create_all`` installs them through :func:`install`, the migration ``f15b0c1d2e30`` the
same text, and Alembic's comparison skips them (:func:`include_name`).
"""

from sqlalchemy import text

FTS_TABLE = "attendee_names"
PG_INDEX = "ix_attendees_name_words"

SQLITE = [
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "name_key, content='attendees', content_rowid='id', tokenize='unicode61')",
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')",
    "CREATE TRIGGER attendees_names_insert AFTER INSERT ON attendees BEGIN "
    f"INSERT INTO {FTS_TABLE} (rowid, name_key) VALUES (NEW.id, NEW.name_key); END",
    "CREATE TRIGGER attendees_names_delete AFTER DELETE ON attendees BEGIN "
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, name_key) "
    "VALUES ('delete', OLD.id, OLD.name_key); END",
    "CREATE TRIGGER attendees_names_update AFTER UPDATE OF name_key ON attendees "
    "WHEN OLD.name_key IS NOT NEW.name_key BEGIN "
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, name_key) "
    "VALUES ('delete', OLD.id, OLD.name_key); "
    f"INSERT INTO {FTS_TABLE} (rowid, name_key) VALUES (NEW.id, NEW.name_key); END",
]

POSTGRESQL = [
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON attendees "
    "USING gin (to_tsvector('simple', name_key))",
]


def statements(dialect: str) -> list[str]:
    return POSTGRESQL if dialect == "postgresql" else SQLITE


def install(connection) -> None:
    """Create the index (``create_all`` calls it once ``attendees`` exists)."""
    for statement in statements(connection.dialect.name):
        connection.execute(text(statement))


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: the name index and FTS5's own tables are not the models'."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "index":
        return name != PG_INDEX
    return True


def sqlite_match(words: list[str]) -> str:
    """The FTS5 query: a word starting with each typed word (quoted: no operator typed)."""
    return " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)


def postgresql_match(words: list[str]) -> str:
    """The tsquery: a word starting with each typed word."""
    return " & ".join("'{}':*".format(word.replace("'", "''").replace("\\", "")) for word in words)
