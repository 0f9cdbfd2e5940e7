"""An uploaded list kept between the import steps: the file in a folder of the instance under
a random name (never in the session cookie), a small JSON beside it (its assembly, its name
and the choices made so far) and the rows as read at upload time (``<key>.sheet.json``), so
no later step parses the file again and what is confirmed is exactly what was reviewed."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from assembly.assemblies.models import Assembly
from assembly.errors import InvalidInput, NotFound
from assembly.marks import N_, Problem
from assembly.registration.imports import parse

#: uploads older than this are removed when the next one arrives
KEEP_SECONDS = 24 * 3600
_KEY_RE = re.compile(r"[A-Za-z0-9_-]{22}")
_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")
#: a Problem is said when shown (in the reader's language), so one constant serves every raise
_GONE = Problem(N_("Esta importación no existe o ya terminó. Suba el archivo de nuevo."))


@dataclass
class Upload:
    """One uploaded list and the choices made about it so far."""

    key: str
    assembly_id: int
    filename: str
    created: float
    mapping: dict[str, str | None] | None = None
    consent_default: bool = False
    table: parse.Sheet | None = field(default=None, repr=False)
    #: the operator's value choices, {field: {raw value: canonical value, "" = sin dato}}
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def instance_folder() -> Path:
    """Where uploads (and the command line's checked lists) are kept: the instance's."""
    return Path(current_app.instance_path) / "imports"


def content_key(filename: str, data: bytes) -> str:
    """A key (the shape of an upload's) that stands for this file: its name and its bytes.
    The command line keeps a dry run's rows and review under it, so the import of the same
    file that follows finds them (``batch.run_import``)."""
    digest = hashlib.sha256(filename.encode() + b"\0" + data).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def check_key(key: str) -> None:
    """NotFound unless ``key`` has the shape of an upload's key (never a path)."""
    if not _KEY_RE.fullmatch(key or ""):
        raise NotFound(_GONE)


def _paths(folder: Path, key: str) -> tuple[Path, Path]:
    check_key(key)
    return folder / f"{key}.data", folder / f"{key}.json"


def remove_old(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # another request removed it first
            continue


def save_upload(
    folder: Path,
    assembly: Assembly,
    filename: str,
    data: bytes,
    *,
    tick: Callable[[int, int], None] | None = None,
) -> Upload:
    """Check that the file is a readable list and keep it for the next steps."""
    name = Path(filename or "").name[:200]
    if not name.lower().endswith(_EXTENSIONS):
        message = _("Suba un archivo de Excel (.xlsx) o CSV (.csv).")
        raise InvalidInput(message, fields={"file": message})
    try:
        table = parse.read_table(name, data, tick=tick)
    except parse.ImportFileError as error:
        raise InvalidInput(error.message, fields={"file": error.message}) from None
    folder.mkdir(parents=True, exist_ok=True)
    remove_old(folder)
    upload = Upload(secrets.token_urlsafe(16), assembly.id, name, time.time(), table=table)
    data_path, meta_path = _paths(folder, upload.key)
    data_path.write_bytes(data)
    _write_sheet(data_path, table)
    _write_meta(meta_path, upload)
    return upload


def _sheet_path(data_path: Path) -> Path:
    return data_path.with_suffix(".sheet.json")


def _write_sheet(data_path: Path, table: parse.Sheet) -> None:
    _sheet_path(data_path).write_text(
        json.dumps([table.headers, table.rows, table.row_numbers], ensure_ascii=False)
    )


def keep_sheet(folder: Path, key: str, table: parse.Sheet) -> None:
    """Keep the rows read from a file under ``key`` (the command line's dry run), without
    the file itself; :func:`kept_sheet` reads them back."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_old(folder)
    _write_sheet(_paths(folder, key)[0], table)


def kept_sheet(folder: Path, key: str) -> parse.Sheet | None:
    """The rows kept under ``key`` by :func:`keep_sheet`; None when there are none."""
    return _load_sheet(_paths(folder, key)[0])


def _load_sheet(data_path: Path) -> parse.Sheet | None:
    try:
        headers, rows, numbers = json.loads(_sheet_path(data_path).read_text())
    except (OSError, ValueError):
        return None
    parse.share_texts(rows)
    return parse.Sheet(headers, rows, numbers)


def _read_sheet(data_path: Path, filename: str) -> parse.Sheet:
    """The rows as read at upload time; the file itself only when they were not kept."""
    kept = _load_sheet(data_path)
    return kept if kept is not None else parse.read_table(filename, data_path.read_bytes())


def _write_meta(path: Path, upload: Upload) -> None:
    meta = {
        "assembly_id": upload.assembly_id,
        "filename": upload.filename,
        "created": upload.created,
        "mapping": upload.mapping,
        "consent_default": upload.consent_default,
        "values": upload.values,
    }
    path.write_text(json.dumps(meta, ensure_ascii=False))


def load_upload(folder: Path, assembly_id: int, key: str) -> Upload:
    """The upload with its table read again; NotFound when gone or of another assembly."""
    data_path, meta_path = _paths(folder, key)
    try:
        meta = json.loads(meta_path.read_text())
        if not data_path.exists():
            raise OSError(data_path)
    except (OSError, ValueError):
        raise NotFound(_GONE) from None
    if meta.get("assembly_id") != assembly_id:
        raise NotFound(_GONE)
    upload = Upload(
        key,
        assembly_id,
        meta["filename"],
        meta["created"],
        meta.get("mapping"),
        bool(meta.get("consent_default")),
        values=meta.get("values") or {},
    )
    upload.table = _read_sheet(data_path, upload.filename)
    return upload


def discard(folder: Path, key: str) -> None:
    """Forget an upload (after it was imported, or when the operator cancels), or the rows
    and review kept under a file's :func:`content_key`."""
    data_path, meta_path = _paths(folder, key)
    # the review step's summary, its whole result and the errors file
    kept = (
        data_path.with_suffix(".review.json"),
        data_path.with_suffix(".verified.json"),
        data_path.with_suffix(".errors.xlsx"),
    )
    for path in (data_path, meta_path, _sheet_path(data_path), *kept):
        path.unlink(missing_ok=True)


def save_choices(folder: Path, upload: Upload) -> None:
    """Keep the upload's column and value choices for the next step."""
    _write_meta(_paths(folder, upload.key)[1], upload)
