"""Step 4 of an import, and the upload kept between the steps: upload, map columns, review,
confirm (apply).

The uploaded file waits in a folder of the instance under a random name (never in the
session cookie) with a small JSON beside it: its assembly, its name and, once chosen, the
column mapping. Every step re-reads the file, so what is confirmed is exactly what was
reviewed. Flush, never commit: the route's unit of work makes the import all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

from assembly.assemblies.models import Assembly
from assembly.core import divipola
from assembly.errors import InvalidInput, NotFound
from assembly.extensions import db
from assembly.registration import domain, services
from assembly.registration.imports import mapping as columns
from assembly.registration.imports import parse, validate
from assembly.registration.imports import values as value_rules
from assembly.registration.models import Attendee, ImportProfile

log = logging.getLogger(__name__)

#: uploads older than this are removed when the next one arrives
KEEP_SECONDS = 24 * 3600
PREVIEW_ROWS = 5
_CHUNK = 500
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


@dataclass
class Review:
    """What confirming the import would do."""

    preview: validate.ImportPreview
    #: (row number, clean record) that would be stored
    to_import: list[tuple[int, dict]]
    #: (row number, document, name of who holds it) already registered here: skipped
    existing: list[tuple[int, str, str]]
    #: {field: {raw value: rows}} that need a hand choice first: nothing is imported while
    #: any remains
    ambiguous: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def incomplete(self) -> int:
        """People to import without a field the form requires: the desk completes them."""
        return sum(1 for _, clean in self.to_import if domain.missing_fields(clean))


def _paths(folder: Path, key: str) -> tuple[Path, Path]:
    if not _KEY_RE.fullmatch(key or ""):
        raise NotFound("Esta importación no existe o ya terminó. Suba el archivo de nuevo.")
    return folder / f"{key}.data", folder / f"{key}.json"


def _remove_old(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # another request removed it first
            continue


def save_upload(folder: Path, assembly: Assembly, filename: str, data: bytes) -> Upload:
    """Check that the file is a readable list and keep it for the next steps."""
    name = Path(filename or "").name[:200]
    if not name.lower().endswith(_EXTENSIONS):
        raise InvalidInput(
            "Suba un archivo de Excel (.xlsx) o CSV (.csv).",
            fields={"file": "Suba un archivo de Excel (.xlsx) o CSV (.csv)."},
        )
    try:
        table = parse.read_table(name, data)
    except parse.ImportFileError as error:
        raise InvalidInput(error.message, fields={"file": error.message}) from None
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old(folder)
    upload = Upload(secrets.token_urlsafe(16), assembly.id, name, time.time(), table=table)
    data_path, meta_path = _paths(folder, upload.key)
    data_path.write_bytes(data)
    _write_meta(meta_path, upload)
    return upload


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
        data = data_path.read_bytes()
    except (OSError, ValueError):
        raise NotFound(
            "Esta importación no existe o ya terminó. Suba el archivo de nuevo."
        ) from None
    if meta.get("assembly_id") != assembly_id:
        raise NotFound("Esta importación no existe o ya terminó. Suba el archivo de nuevo.")
    upload = Upload(
        key,
        assembly_id,
        meta["filename"],
        meta["created"],
        meta.get("mapping"),
        bool(meta.get("consent_default")),
        values=meta.get("values") or {},
    )
    upload.table = parse.read_table(upload.filename, data)
    return upload


def mapping_targets(assembly: Assembly) -> list[tuple[str, str]]:
    """Every field a column can go to: the form's, the name helpers, the extra questions."""
    extra = [(f"extra_{q.id}", f"Pregunta: {q.label}") for q in assembly.extra_questions]
    return columns.mapping_targets() + extra


def header_signature(headers: list[str]) -> str:
    """The file's shape: its normalised headers, in order."""
    text = "\x1f".join(domain.normalize_name(header) for header in headers)
    return hashlib.sha256(text.encode()).hexdigest()


def remembered(assembly: Assembly, headers: list[str]) -> ImportProfile | None:
    """The mappings chosen for the last file of this assembly with the same headers."""
    return db.session.execute(
        select(ImportProfile).where(
            ImportProfile.assembly_id == assembly.id,
            ImportProfile.signature == header_signature(headers),
        )
    ).scalar_one_or_none()


def remember(assembly: Assembly, upload: Upload) -> None:
    """Keep the upload's column and value choices for the next file with its headers."""
    _remember(assembly, upload)


def _remember(assembly: Assembly, upload: Upload) -> None:
    profile = remembered(assembly, upload.table.headers)
    if profile is None:
        profile = ImportProfile(
            assembly_id=assembly.id, signature=header_signature(upload.table.headers)
        )
        db.session.add(profile)
    profile.columns = dict(upload.mapping or {})
    profile.values = {key: dict(chosen) for key, chosen in upload.values.items()}
    profile.consent_default = upload.consent_default
    db.session.flush()


def suggested_mapping(assembly: Assembly, headers: list[str]) -> dict[str, str | None]:
    """The remembered mapping for a file with these headers, else a guess."""
    profile = remembered(assembly, headers)
    if profile is not None and set(profile.columns) == set(headers):
        return dict(profile.columns)
    mapping = columns.suggest_mapping(headers)
    by_label = {domain.normalize_name(q.label): f"extra_{q.id}" for q in assembly.extra_questions}
    taken = set(mapping.values())
    for header, target in mapping.items():
        guess = by_label.get(domain.normalize_name(header))
        if target is None and guess and guess not in taken:
            mapping[header] = guess
            taken.add(guess)
    return mapping


def set_mapping(
    folder: Path,
    assembly: Assembly,
    upload: Upload,
    mapping: dict[str, str | None],
    consent_default: bool,
) -> Upload:
    """Keep the operator's column mapping; refuse one that cannot identify anybody."""
    upload.mapping = clean_mapping(assembly, upload, mapping)
    upload.consent_default = consent_default
    profile = remembered(assembly, upload.table.headers)
    if not upload.values and profile is not None:
        upload.values = {key: dict(chosen) for key, chosen in profile.values.items()}
    _write_meta(_paths(folder, upload.key)[1], upload)
    _remember(assembly, upload)
    return upload


def clean_mapping(
    assembly: Assembly, upload: Upload, mapping: dict[str, str | None]
) -> dict[str, str | None]:
    """The column mapping with unknown targets dropped; InvalidInput when it cannot identify
    anybody (no document or no name column)."""
    allowed = {key for key, _ in mapping_targets(assembly)}
    clean = {
        header: (target if target in allowed else None)
        for header, target in mapping.items()
        if header in upload.table.headers
    }
    chosen = set(clean.values())
    errors = {}
    if "document_number" not in chosen:
        errors["document_number"] = "Indique qué columna tiene el número de documento."
    if not chosen & {"first_names", columns.FULL_NAME}:
        errors["first_names"] = "Indique qué columna tiene los nombres (o el nombre completo)."
    if errors:
        raise InvalidInput(" ".join(errors.values()), fields=errors)
    return clean


def _theme_titles(assembly: Assembly) -> dict[int, str]:
    return {theme.id: theme.title for theme in assembly.themes}


def value_rows(assembly: Assembly, upload: Upload) -> dict[str, list[value_rules.ValueRow]]:
    """Every distinct value of the closed-list columns, classified (step 2b)."""
    if upload.mapping is None:
        raise InvalidInput("Primero indique qué contiene cada columna.")
    counts = value_rules.distinct_values(upload.table, upload.mapping)
    return value_rules.classify(
        counts,
        theme_titles=_theme_titles(assembly),
        department_code=assembly.department_code,
        chosen=upload.values,
    )


def pending_values(assembly: Assembly, upload: Upload) -> dict[str, dict[str, int]]:
    """{field: {raw value: rows}} still waiting for a hand choice."""
    return value_rules.unresolved(value_rows(assembly, upload))


def value_options(assembly: Assembly, key: str) -> list[tuple[str, str]]:
    """What a raw value of ``key`` may be mapped to by hand (besides "sin dato")."""
    if key == value_rules.MUNICIPALITY:
        department = assembly.department_code
        return divipola.municipalities(department) if department else []
    return list(value_rules.closed_fields(_theme_titles(assembly)).get(key, ()))


def value_label(key: str, value: str) -> str:
    """How a canonical value reads on the value screen."""
    if key == value_rules.MUNICIPALITY:
        name = divipola.municipality_name(value)
        department = divipola.department_name(value[:2])
        return f"{name} ({department})" if name else value
    return dict(value_rules.closed_fields().get(key, ())).get(value, value)


def set_values(
    folder: Path, assembly: Assembly, upload: Upload, chosen: dict[str, dict[str, str]]
) -> Upload:
    """Keep the operator's value choices (and remember them for the same headers)."""
    rows = value_rows(assembly, upload)
    clean: dict[str, dict[str, str]] = {key: dict(v) for key, v in upload.values.items()}
    for key, picks in chosen.items():
        known = {row.raw for row in rows.get(key, [])}
        allowed = {value for value, _ in value_options(assembly, key)}
        allowed |= {value for row in rows.get(key, []) for value, _ in row.options}
        for raw, value in picks.items():
            if raw not in known:
                continue
            if value == value_rules.NO_DATA or value in allowed:
                clean.setdefault(key, {})[raw] = value
            elif value is None:
                clean.get(key, {}).pop(raw, None)
    upload.values = clean
    _write_meta(_paths(folder, upload.key)[1], upload)
    _remember(assembly, upload)
    return upload


def review(assembly: Assembly, upload: Upload, *, today: date) -> Review:
    """Validate every row; rows whose document is already in the assembly are skipped."""
    if upload.mapping is None:
        raise InvalidInput("Primero indique qué contiene cada columna.")
    classified = value_rows(assembly, upload)
    holders, names = {}, {}
    for attendee_id, number, first, last, name_key in db.session.execute(
        select(
            Attendee.id,
            Attendee.document_number,
            Attendee.first_names,
            Attendee.last_names,
            Attendee.name_key,
        ).where(Attendee.assembly_id == assembly.id)
    ):
        holders[number] = f"{first} {last}"
        names.setdefault(name_key, (None, attendee_id))
    preview = validate.apply_mapping(
        upload.table,
        upload.mapping,
        theme_ids={theme.id for theme in assembly.themes},
        today=today,
        consent_default=upload.consent_default,
        extra_questions=services.extra_questions_of(assembly),
        theme_titles=_theme_titles(assembly),
        value_map=value_rules.value_map(classified),
        department_code=assembly.department_code,
        known_documents=holders,
        known_names=names,
    )
    to_import = preview.valid
    existing = preview.existing
    return Review(preview, to_import, existing, value_rules.unresolved(classified))


def confirm(
    assembly: Assembly, upload: Upload, *, today: date, result: Review | None = None
) -> int:
    """Store every row the review would store, in the caller's one transaction (``result``:
    the review just made in the same transaction, so the rows are not checked twice)."""
    result = result or review(assembly, upload, today=today)
    if result.ambiguous:
        raise InvalidInput(
            "Hay valores sin decidir: elija qué significa cada uno antes de importar."
        )
    # Plain INSERTs in chunks: thousands of ORM objects would cost memory for nothing.
    stored = 0
    for start in range(0, len(result.to_import), _CHUNK):
        rows = [
            {
                "assembly_id": assembly.id,
                "ticket_token": services.new_ticket_token(),
                "source": "importado",
                **services.attendee_columns(clean),
            }
            for _, clean in result.to_import[start : start + _CHUNK]
        ]
        db.session.execute(insert(Attendee), rows)
        stored += len(rows)
    db.session.flush()
    log.info("imported %d attendees into assembly %d", stored, assembly.id)
    return stored


def discard(folder: Path, key: str) -> None:
    """Forget an upload (after it was imported, or when the operator cancels)."""
    for path in _paths(folder, key):
        path.unlink(missing_ok=True)
