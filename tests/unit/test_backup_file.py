"""The SQLite backup's refusals and its copy (plain files, no server)."""

import sqlite3
from datetime import UTC, datetime

import pytest

from assembly.core import backup


def _database(path, rows=3):
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE pieces (id TEXT PRIMARY KEY, text TEXT)")
        connection.executemany(
            "INSERT INTO pieces VALUES (?, ?)", [(f"p{n}", f"texto {n}") for n in range(rows)]
        )
    return path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://u@h/asamblea", "pg_dump"),
        ("sqlite://", "memoria"),
        ("sqlite:////no/existe/asamblea.db", "No existe"),
    ],
)
def test_what_cannot_be_backed_up_says_why(url, message):
    with pytest.raises(backup.BackupError, match=message):
        backup.sqlite_file(url)


def test_the_copy_is_whole_checked_and_self_contained(tmp_path):
    source = _database(tmp_path / "asamblea.db")
    live = sqlite3.connect(source)  # a connection of the "server" holds the WAL open
    live.execute("INSERT INTO pieces VALUES ('p9', 'aún en el WAL')")
    live.commit()
    made = backup.backup_sqlite(source, tmp_path / "copia.db")
    live.close()
    assert made.path == tmp_path / "copia.db" and made.tables == 1 and made.pages > 0
    assert not (tmp_path / "copia.db-wal").exists()
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM pieces").fetchone() == (4,)


def test_a_folder_gets_the_dated_name_and_nothing_is_overwritten(tmp_path):
    source = _database(tmp_path / "asamblea.db")
    folder = tmp_path / "copias"
    folder.mkdir()
    made = backup.backup_sqlite(source, folder)
    assert made.path.parent == folder and made.path.name.startswith("asamblea-")
    with pytest.raises(backup.BackupError, match="Ya existe"):
        backup.backup_sqlite(source, made.path)
    assert not list(folder.glob("*.partial"))


def test_default_destination_is_dated_beside_the_database(tmp_path):
    when = datetime(2026, 3, 14, 9, 5, 7, tzinfo=UTC)
    assert backup.default_destination(tmp_path / "asamblea.db", when) == (
        tmp_path / "backups" / "asamblea-20260314-090507.db"
    )
