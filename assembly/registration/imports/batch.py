"""The same import as the web screens, in one call, for the command line and scripted checks:
a file, column and value overrides in; one summary dict out (flush, never commit).

A dry run keeps what it read and checked (the rows and the verified review, as the review
screen does) under the file's :func:`uploads.content_key`, so the import of the same file that
usually follows stores those rows without reading the file or checking a row again, when
nothing the review read has changed since (``review_job.fingerprint``: the rows, the choices,
the assembly's rules and people, the day); otherwise it reads and checks everything again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from assembly.assemblies.models import Assembly
from assembly.errors import InvalidInput
from assembly.extensions import db
from assembly.registration.imports import apply, parse, review_job, uploads
from assembly.registration.models import ImportBatch


def parse_overrides(
    maps: list[str], values: list[str]
) -> tuple[dict[str, str | None], dict[str, dict[str, str]]]:
    """``HEADER=field`` (empty field: do not import) and ``field:RAW=VALUE`` (empty VALUE:
    sin dato) as dicts; InvalidInput for a malformed one."""
    columns: dict[str, str | None] = {}
    for item in maps:
        header, sep, target = item.partition("=")
        if not sep or not header.strip():
            raise InvalidInput(_("--map espera ENCABEZADO=campo, no «%(item)s».", item=item))
        columns[header.strip()] = target.strip() or None
    chosen: dict[str, dict[str, str]] = {}
    for item in values:
        key, sep, rest = item.partition(":")
        raw, sep2, value = rest.partition("=")
        if not sep or not sep2 or not key.strip() or not raw.strip():
            raise InvalidInput(_("--value espera campo:VALOR=valor, no «%(item)s».", item=item))
        chosen.setdefault(key.strip(), {})[raw.strip()] = value.strip()
    return columns, chosen


def run_import(
    assembly: Assembly,
    path: Path,
    *,
    columns: Mapping[str, str | None] = {},
    chosen: Mapping[str, Mapping[str, str]] = {},
    consent_default: bool = False,
    dry_run: bool = False,
    today: date,
    folder: Path | None = None,
) -> dict:
    """Import ``path`` into ``assembly`` as the screens would: suggested (or remembered)
    column mapping with ``columns`` on top, remembered value choices with ``chosen`` on top.

    Returns ``new``, ``already`` (counts), ``duplicates`` (row numbers), ``errors`` ([row,
    reason]), ``warnings`` ([row, field, reason]), ``ambiguous`` ({field: {raw: rows}}) and
    ``imported`` (True when stored; then ``batch``, the import batch's id). With ambiguous
    values left, or ``dry_run``, nothing is stored. ``folder``: where a dry run keeps its
    review for the import (the instance's imports folder by default).
    """
    folder = folder or uploads.instance_folder()
    try:
        data = path.read_bytes()
        kept_as = uploads.content_key(path.name, data)
        table = None if dry_run else uploads.kept_sheet(folder, kept_as)
        if table is None:
            table = parse.read_table(path.name, data)
    except parse.ImportFileError as error:
        raise InvalidInput(error.message) from None
    except OSError as error:
        raise InvalidInput(
            _("No se pudo leer el archivo: %(strerror)s.", strerror=error.strerror)
        ) from None
    unknown = [header for header in columns if header not in table.headers]
    if unknown:
        raise InvalidInput(_("El archivo no tiene la columna «%(unknown)s».", unknown=unknown[0]))
    del data  # the rows are read: the file's bytes are not needed any more
    upload = uploads.Upload(kept_as, assembly.id, path.name, 0.0, table=table)
    profile = apply.remembered(assembly, table.headers)
    mapping = {**apply.suggested_mapping(assembly, table.headers), **columns}
    upload.mapping = apply.clean_mapping(assembly, upload, mapping)
    upload.consent_default = consent_default or bool(profile and profile.consent_default)
    upload.values = {k: dict(v) for k, v in (profile.values if profile else {}).items()}
    for key, picks in chosen.items():
        upload.values.setdefault(key, {}).update(picks)
    # taken BEFORE the rows are checked: a registration meanwhile makes the kept review stale
    made_for = review_job.fingerprint(assembly, upload, today=today)
    result = None if dry_run else review_job.verified(folder, assembly, upload, made_for=made_for)
    if result is None:
        result = apply.review(assembly, upload, today=today)
    if dry_run:
        uploads.keep_sheet(folder, kept_as, table)
        review_job.keep_verified(folder, upload, made_for, result)
    preview = result.preview
    summary = {
        "new": len(result.to_import),
        "already": len(result.existing),
        "duplicates": [row for row, _ in preview.duplicates_in_file],
        "errors": [
            [row, "; ".join(f"{key}: {message}" for key, message in errors.items())]
            for row, errors in preview.errors
        ],
        "warnings": [
            [row, key, message] for row, warnings in preview.warnings
            for key, message in warnings.items()
        ],
        "ambiguous": result.ambiguous,
        # "incompleto" people already registered whose empty fields this list fills
        "filled": result.filled,
        "imported": False,
    }  # fmt: skip
    if result.ambiguous or dry_run:
        return summary
    stored = ImportBatch(assembly_id=assembly.id, filename=path.name[:200], status="done")
    db.session.add(stored)
    db.session.flush()
    apply.confirm(assembly, upload, today=today, result=result, batch=stored)
    apply.remember(assembly, upload)
    uploads.discard(folder, kept_as)
    summary["imported"] = True
    summary["batch"] = stored.id  # `undo` on the import screen removes it as a whole
    return summary
