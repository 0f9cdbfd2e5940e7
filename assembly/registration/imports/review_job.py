"""The review step of a big list, computed in a background job (``core.jobs``) with a progress
bar; a small list is reviewed inside its request, as before. Either way the review page is
drawn from a :func:`summary` kept beside the upload (``<key>.review.json``): what the page
shows, never the clean records (those are checked again by the confirm job).

The summary is kept in the upload's folder, not in the job's row, because it holds names of
people (removed with the upload, at most a day later), and it is valid only for the choices it
was made with and the assembly's people then (:func:`fingerprint`): a changed mapping or
value choice, or somebody registered meanwhile, makes a new review.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.auth.models import User
from assembly.core import jobs
from assembly.extensions import db
from assembly.helpers import venue_today
from assembly.registration.imports import apply, uploads
from assembly.registration.imports.errors_file import errors_workbook
from assembly.registration.models import Attendee

#: rows of each list the review page shows (the errors file has them all)
MAX_SHOWN = 200
KIND = "import_review"


def fingerprint(assembly: Assembly, upload: uploads.Upload) -> str:
    """The choices a review depends on, and how many people the assembly had."""
    people = db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly.id)
    )
    text = json.dumps(
        [upload.mapping, upload.values, upload.consent_default, people],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def summary(result: apply.Review) -> dict:
    """What the review page shows, as plain JSON."""
    preview = result.preview

    def shown(items) -> list:
        return [list(item) for item in items[:MAX_SHOWN]]

    return {
        "new": len(result.to_import),
        "existing_count": len(result.existing),
        "filled": result.filled,
        "incomplete": result.incomplete,
        "errors_count": len(preview.errors),
        "warnings_count": len(preview.warnings),
        "repeated_count": len(preview.duplicates_in_file),
        "ambiguous": bool(result.ambiguous),
        "errors": [
            [row, {k: str(v) for k, v in e.items()}] for row, e in preview.errors[:MAX_SHOWN]
        ],
        "warnings": [
            [row, {k: str(v) for k, v in w.items()}] for row, w in preview.warnings[:MAX_SHOWN]
        ],
        "same_name": shown(preview.same_name),
        "duplicates": shown(preview.duplicates_in_file),
        # the holder's name only: the page never shows the document
        "existing": [[row, name] for row, _document, name in result.existing[:MAX_SHOWN]],
    }


def _path(folder: Path, key: str) -> Path:
    uploads.check_key(key)
    return folder / f"{key}.review.json"


def state(folder: Path, assembly: Assembly, upload: uploads.Upload) -> dict | None:
    """The kept review of ``upload`` (``{"job": id or None, "summary": dict or None}``) when it
    was made with its present choices; else None."""
    try:
        kept = json.loads(_path(folder, upload.key).read_text())
    except (OSError, ValueError):
        return None
    if kept.get("fingerprint") != fingerprint(assembly, upload):
        return None
    return kept


def _keep(folder: Path, upload: uploads.Upload, kept: dict) -> None:
    _path(folder, upload.key).write_text(json.dumps(kept, ensure_ascii=False))


def _errors_path(folder: Path, key: str) -> Path:
    uploads.check_key(key)
    return folder / f"{key}.errors.xlsx"


def review_now(folder: Path, assembly: Assembly, upload: uploads.Upload, *, tick=None) -> dict:
    """Review ``upload`` here and keep its summary, and the errors file when rows were
    refused or repeated (so its download needs no second review); the summary."""
    result = apply.review(assembly, upload, today=venue_today(assembly), tick=tick)
    made = summary(result)
    errors = _errors_path(folder, upload.key)
    if result.preview.errors or result.preview.duplicates_in_file:
        errors.write_bytes(errors_workbook(result.preview, upload.table))
    else:
        errors.unlink(missing_ok=True)
    _keep(folder, upload, {"fingerprint": fingerprint(assembly, upload), "summary": made})
    return made


def kept_errors(folder: Path, assembly: Assembly, upload: uploads.Upload) -> bytes | None:
    """The errors file of the kept review, when it is still valid; else None."""
    kept = state(folder, assembly, upload)
    if not (kept and kept.get("summary")):
        return None
    try:
        return _errors_path(folder, upload.key).read_bytes()
    except OSError:
        return None


def start_review(folder: Path, assembly: Assembly, upload: uploads.Upload, actor: User) -> jobs.Job:
    """Review ``upload`` in a background job; the job (for the progress bar)."""
    made_for = fingerprint(assembly, upload)
    job = jobs.start_job(
        KIND,
        run_review,
        assembly_id=assembly.id,
        user_id=actor.id,
        folder=str(folder),
        key=upload.key,
    )
    kept = state(folder, assembly, upload)
    if not (kept and kept.get("summary")):  # a job run at once has kept its summary already
        _keep(folder, upload, {"fingerprint": made_for, "job": job.id, "summary": None})
    return job


def run_review(ctx: jobs.JobContext, *, folder: str, key: str) -> dict:
    """The job: check every row ("Revisando filas…"), keep the summary; its counts."""
    job = db.session.get(jobs.Job, ctx.job_id)
    assembly = db.session.get(Assembly, job.assembly_id)
    upload = uploads.load_upload(Path(folder), assembly.id, key)
    checking = _("Revisando filas…")
    ctx.progress(0, len(upload.table.rows), checking)
    made = review_now(
        Path(folder),
        assembly,
        upload,
        tick=jobs.paced(lambda done, total: ctx.progress(done, total, checking)),
    )
    return {key: made[key] for key in ("new", "existing_count", "errors_count")}
