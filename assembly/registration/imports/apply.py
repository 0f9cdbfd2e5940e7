"""The import steps after the upload: map columns, map values, review, confirm (apply).

The upload itself is kept between the steps by :mod:`uploads`. Flush, never commit: the
caller (a route's unit of work, the CLI, or the background import job between its chunks)
decides when.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import insert, select

from assembly.assemblies.models import Assembly
from assembly.core import divipola
from assembly.errors import InvalidInput
from assembly.extensions import db
from assembly.helpers import utcnow
from assembly.marks import N_, Problem
from assembly.registration import domain, services
from assembly.registration.domain.fields import CONSENT_CHANNELS, CONSENT_VERSION
from assembly.registration.imports import fills, uploads, validate
from assembly.registration.imports import mapping as columns
from assembly.registration.imports import values as value_rules
from assembly.registration.imports.uploads import Upload
from assembly.registration.models import Attendee, ImportBatch, ImportProfile

log = logging.getLogger(__name__)

PREVIEW_ROWS = 5
#: rows stored per INSERT (the background job commits and yields between two)
_CHUNK = 250


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
    def filled(self) -> int:
        """People already registered as "incompleto" whose empty fields the list fills."""
        return len(self.preview.fills)

    @property
    def incomplete(self) -> int:
        """People to import without a field the form requires: the desk completes them."""
        return sum(1 for _, clean in self.to_import if domain.missing_fields(clean))


def mapping_targets(assembly: Assembly) -> list[tuple[str, str]]:
    """Every field a column can go to: the form's, the name helpers, the extra questions."""
    extra = [
        (f"extra_{q.id}", _("Pregunta: %(label)s", label=q.label)) for q in assembly.extra_questions
    ]
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
    uploads.save_choices(folder, upload)
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
        errors["document_number"] = _("Indique qué columna tiene el número de documento.")
    if not chosen & {"first_names", columns.FULL_NAME}:
        errors["first_names"] = _("Indique qué columna tiene los nombres (o el nombre completo).")
    if errors:
        raise InvalidInput(" ".join(errors.values()), fields=errors)
    return clean


def _theme_titles(assembly: Assembly) -> dict[int, str]:
    return {theme.id: theme.title for theme in assembly.themes}


def value_rows(assembly: Assembly, upload: Upload) -> dict[str, list[value_rules.ValueRow]]:
    """Every distinct value of the closed-list columns, classified (step 2b)."""
    if upload.mapping is None:
        raise InvalidInput(Problem(N_("Primero indique qué contiene cada columna.")))
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
    uploads.save_choices(folder, upload)
    _remember(assembly, upload)
    return upload


def people_read(assembly_id: int):
    """What checking the rows reads of the assembly's people (who holds which document,
    their names, who is still "incompleto"); the review's fingerprint digests the same."""
    return select(
        Attendee.id,
        Attendee.document_number,
        Attendee.first_names,
        Attendee.last_names,
        Attendee.name_key,
        fills.INCOMPLETE,
    ).where(Attendee.assembly_id == assembly_id)


def review(
    assembly: Assembly,
    upload: Upload,
    *,
    today: date,
    tick: Callable[[int, int], None] | None = None,
) -> Review:
    """Validate every row; rows whose document is already in the assembly are skipped.
    ``tick(rows done, rows)`` is called as the rows are checked (progress, and a yield)."""
    if upload.mapping is None:
        raise InvalidInput(Problem(N_("Primero indique qué contiene cada columna.")))
    classified = value_rows(assembly, upload)
    holders, names, incomplete = {}, {}, set()
    for attendee_id, number, first, last, name_key, lacking in db.session.execute(
        people_read(assembly.id)
    ):
        holders[number] = f"{first} {last}"
        names.setdefault(name_key, (None, attendee_id))
        if lacking:
            incomplete.add(number)
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
        incomplete=incomplete,
        tick=tick,
    )
    to_import = preview.valid
    existing = preview.existing
    return Review(preview, to_import, existing, value_rules.unresolved(classified))


def collective_consent(upload: Upload) -> bool:
    """Whether the list's consent is the one the staff member stated for everyone (the
    "todos autorizaron" box, no consent column)."""
    mapped = set((upload.mapping or {}).values())
    return bool(upload.consent_default) and "consent_data" not in mapped


def confirm(
    assembly: Assembly,
    upload: Upload,
    *,
    today: date,
    result: Review | None = None,
    batch: ImportBatch | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store every row the review would store (``result``: the review just made, so the rows
    are not checked twice), as people of ``batch``; the number stored.

    Chunk by chunk, ``progress(stored, to store)`` is called after each (the background job
    commits and yields there; without it everything stays in the caller's one transaction).
    A document someone registered since the review (the desk, the public form) is skipped,
    never stored twice."""
    result = result or review(assembly, upload, today=today)
    if result.ambiguous:
        raise InvalidInput(
            Problem(N_("Hay valores sin decidir: elija qué significa cada uno antes de importar."))
        )
    # Ley 1581: when, how and under which text (every row stored has consent_data true; who
    # stated a collective consent and from which file is on the batch)
    consent = {
        "consent_at": utcnow(),
        "consent_channel": CONSENT_CHANNELS["importado"],
        "consent_version": CONSENT_VERSION,
    }
    if batch is not None:
        batch.consent_collective = collective_consent(upload)
    # Plain Core INSERTs in chunks (executemany on the attendees table, not the ORM's bulk
    # path, which sorts and checks every row against the mapper again): thousands of ORM
    # objects would cost memory and time for nothing. Rows with the same columns go in one
    # statement; every clean record of a review has the same ones, so a chunk is one INSERT.
    # No column the rows carry has a default that a NULL would skip (consent_photos and
    # extra_answers are always set).
    statement = insert(Attendee.__table__)
    columns = set(Attendee.__table__.columns.keys())
    stored, total = 0, len(result.to_import)
    for start in range(0, total, _CHUNK):
        chunk = [clean for _, clean in result.to_import[start : start + _CHUNK]]
        taken = set(
            db.session.scalars(
                select(Attendee.document_number).where(
                    Attendee.assembly_id == assembly.id,
                    Attendee.document_number.in_([clean["document_number"] for clean in chunk]),
                )
            )
        )
        shapes: dict[tuple[str, ...], list[dict]] = {}
        for clean in chunk:
            if clean["document_number"] in taken:
                continue
            row = {
                "assembly_id": assembly.id,
                "ticket_token": services.new_ticket_token(),
                "source": "importado",
                "import_batch_id": batch.id if batch is not None else None,
                **{key: value for key, value in clean.items() if key in columns},
                **consent,
            }
            shapes.setdefault(tuple(row), []).append(row)
        for same in shapes.values():
            db.session.execute(statement, same)
            stored += len(same)
        if progress is not None:
            progress(min(start + _CHUNK, total), total)
    filled = fills.fill_incomplete(assembly, result.preview.fills, batch)
    db.session.flush()
    if batch is not None:
        batch.created, batch.filled = stored, filled
    log.info("imported %d attendees into assembly %d", stored, assembly.id)
    return stored
