"""``asamblea backup``: a copy of the live SQLite database while the server keeps running.

SQLite's online backup API copies the database through a read transaction of its own: in WAL
mode (how the app opens it) the server's writes go on meanwhile, and the copy is the database
exactly as it was at one commit (never half of a write). The copy is written beside the
destination and renamed into place only once SQLite's integrity check passes, so a backup
file that exists is a whole one. PostgreSQL has its own tool (``pg_dump``, docs/deploy.md).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """Why no backup was made (a message for the operator)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    pages: int
    tables: int


def sqlite_file(database_url: str) -> Path:
    """The database file of a SQLite URL; a ``BackupError`` for anything else."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise BackupError(
            "La base de datos no es SQLite: en PostgreSQL use pg_dump -Fc (docs/deploy.md)."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("Una base de datos en memoria no tiene copia de seguridad.")
    path = Path(url.database)
    if not path.exists():
        raise BackupError(f"No existe la base de datos {path}.")
    return path


def default_destination(source: Path, now: datetime | None = None) -> Path:
    """``backups/<name>-YYYYmmdd-HHMMSS.db`` beside the database."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return source.parent / "backups" / f"{source.stem}-{stamp}.db"


def backup_sqlite(source: Path, destination: Path) -> Backup:
    """Copy ``source`` (live) to ``destination``; refuses to overwrite an existing file."""
    if destination.is_dir():  # a folder: the dated name inside it
        destination = destination / default_destination(source).name
    if destination.exists():
        raise BackupError(f"Ya existe {destination}: elija otro nombre.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        # pages=-1: one step, one read transaction: the copy is one commit's database even
        # while the server writes (stepping would restart on every write of another connection)
        live.backup(copy, pages=-1)
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise BackupError(f"La copia no pasó la verificación de SQLite: {check}")
        (pages,) = copy.execute("PRAGMA page_count").fetchone()
        (tables,) = copy.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        live.close()
    partial.replace(destination)
    return Backup(destination, pages, tables)
