"""An uploaded list kept between the import steps: the file in a folder of the instance under
a random name (never in the session cookie), a small JSON beside it (its assembly, its name
and the choices made so far) and the rows as read at upload time (``<key>.sheet.json``), so
no later step parses the file again and what is confirmed is exactly what was reviewed."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from assembly.assemblies.models import Assembly
from assembly.errors import InvalidInput, NotFound
from assembly.registration.imports import parse

#: uploads older than this are removed when the next one arrives
KEEP_SECONDS = 24 * 3600
_KEY_RE = re.compile(r"[A-Za-z0-9_-]{22}")
_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")


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


def check_key(key: str) -> None:
    """NotFound unless ``key`` has the shape of an upload's key (never a path)."""
    if not _KEY_RE.fullmatch(key or ""):
        raise NotFound(_("Esta importación no existe o ya terminó. Suba el archivo de nuevo."))


def _paths(folder: Path, key: str) -> tuple[Path, Path]:
    check_key(key)
    return folder / f"{key}.data", folder / f"{key}.json"


def _remove_old(folder: Path) -> None:
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
        raise InvalidInput(
            _("Suba un archivo de Excel (.xlsx) o CSV (.csv)."),
            fields={"file": "Suba un archivo de Excel (.xlsx) o CSV (.csv)."},
        )
    try:
        table = parse.read_table(name, data, tick=tick)
    except parse.ImportFileError as error:
        raise InvalidInput(error.message, fields={"file": error.message}) from None
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old(folder)
    upload = Upload(secrets.token_urlsafe(16), assembly.id, name, time.time(), table=table)
    data_path, meta_path = _paths(folder, upload.key)
    data_path.write_bytes(data)
    _sheet_path(data_path).write_text(
        json.dumps([table.headers, table.rows, table.row_numbers], ensure_ascii=False)
    )
    _write_meta(meta_path, upload)
    return upload


def _sheet_path(data_path: Path) -> Path:
    return data_path.with_suffix(".sheet.json")


def _read_sheet(data_path: Path, filename: str) -> parse.Sheet:
    """The rows as read at upload time; the file itself only when they were not kept."""
    try:
        headers, rows, numbers = json.loads(_sheet_path(data_path).read_text())
    except (OSError, ValueError):
        return parse.read_table(filename, data_path.read_bytes())
    return parse.Sheet(headers, rows, numbers)


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
        raise NotFound(
            _("Esta importación no existe o ya terminó. Suba el archivo de nuevo.")
        ) from None
    if meta.get("assembly_id") != assembly_id:
        raise NotFound(_("Esta importación no existe o ya terminó. Suba el archivo de nuevo."))
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
    """Forget an upload (after it was imported, or when the operator cancels)."""
    data_path, meta_path = _paths(folder, key)
    # the review step's summary and errors file
    kept = (data_path.with_suffix(".review.json"), data_path.with_suffix(".errors.xlsx"))
    for path in (data_path, meta_path, _sheet_path(data_path), *kept):
        path.unlink(missing_ok=True)


def save_choices(folder: Path, upload: Upload) -> None:
    """Keep the upload's column and value choices for the next step."""
    _write_meta(_paths(folder, upload.key)[1], upload)
