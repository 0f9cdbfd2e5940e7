"""The review step of a big list, computed in a background job (``core.jobs``) with a progress
bar; a small list is reviewed inside its request, as before. Either way the review page is
drawn from a :func:`summary` kept beside the upload (``<key>.review.json``), and the review's
whole result (the clean records, ``<key>.verified.json``) is kept too, so that the confirm job
stores it without checking every row a second time (:func:`verified`).

Both are kept in the upload's folder, not in the job's row, because they hold names of people
(removed with the upload, at most a day later), and they are valid only for what the review
read (:func:`fingerprint`): the rows, the column and value choices, the assembly's rules
(themes, extra questions, department, today's date) and a digest of the assembly's people. A
changed mapping or value choice, or somebody registered or corrected meanwhile, makes a new
review, and the confirm job then checks every row again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path

from flask_babel import gettext as _

from assembly import marks
from assembly.assemblies.models import Assembly
from assembly.auth.models import User
from assembly.core import jobs
from assembly.extensions import db
from assembly.helpers import venue_today
from assembly.marks import N_
from assembly.registration import services
from assembly.registration.imports import apply, uploads, validate
from assembly.registration.imports.errors_file import errors_workbook
from assembly.registration.models import Attendee

log = logging.getLogger(__name__)

#: rows of each list the review page shows (the errors file has them all)
MAX_SHOWN = 200
KIND = "import_review"


def people_digest(assembly: Assembly) -> str:
    """A digest of what a review reads of the assembly's people: who holds which document,
    their names, and who is still "incompleto". Any registration, erasure, correction of a
    name or completion at the desk changes it."""
    digest = hashlib.sha256()
    for row in db.session.execute(apply.people_read(assembly.id).order_by(Attendee.id)):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def fingerprint(assembly: Assembly, upload: uploads.Upload, *, today: dt.date | None = None) -> str:
    """Everything a review depends on: the rows, the choices made, the assembly's rules, the
    day it is checked for (``today``, the venue's by default) and its people
    (:func:`people_digest`)."""
    table = upload.table
    text = json.dumps(
        [
            [table.headers, table.rows, table.row_numbers],
            upload.mapping,
            upload.values,
            upload.consent_default,
            sorted((theme.id, theme.title) for theme in assembly.themes),
            [repr(question) for question in services.extra_questions_of(assembly)],
            assembly.department_code,
            (today or venue_today(assembly)).isoformat(),
            people_digest(assembly),
        ],
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
        # each row's problems as msgid + parameters: said in the reader's language when shown
        "errors": [
            [row, {k: marks.stored(v) for k, v in e.items()}]
            for row, e in preview.errors[:MAX_SHOWN]
        ],
        "warnings": [
            [row, {k: marks.stored(v) for k, v in w.items()}]
            for row, w in preview.warnings[:MAX_SHOWN]
        ],
        "same_name": shown(preview.same_name),
        "duplicates": shown(preview.duplicates_in_file),
        # the holder's name only: the page never shows the document
        "existing": [[row, name] for row, _document, name in result.existing[:MAX_SHOWN]],
    }


def shown(made: dict) -> dict:
    """A kept :func:`summary` as its page shows it: each row's problems said in the language
    of the request (a review made under Spanish reads in English for an English reader). A
    summary kept before problems were stored as msgid + parameters shows its texts as they
    were written."""

    def said(rows: list) -> list:
        return [[row, {k: marks.said(v, _) for k, v in found.items()}] for row, found in rows]

    return {**made, "errors": said(made["errors"]), "warnings": said(made["warnings"])}


def _path(folder: Path, key: str) -> Path:
    uploads.check_key(key)
    return folder / f"{key}.review.json"


def state(
    folder: Path, assembly: Assembly, upload: uploads.Upload, *, made_for: str | None = None
) -> dict | None:
    """The kept review of ``upload`` (``{"job": id or None, "summary": dict or None}``) when it
    was made with its present choices (:func:`fingerprint`, or ``made_for`` when the caller
    has just taken it); else None."""
    try:
        kept = json.loads(_path(folder, upload.key).read_text())
    except (OSError, ValueError):
        return None
    if kept.get("fingerprint") != (made_for or fingerprint(assembly, upload)):
        return None
    return kept


def _keep(folder: Path, upload: uploads.Upload, kept: dict) -> None:
    _path(folder, upload.key).write_text(json.dumps(kept, ensure_ascii=False))


def _errors_path(folder: Path, key: str) -> Path:
    uploads.check_key(key)
    return folder / f"{key}.errors.xlsx"


def review_now(
    folder: Path, assembly: Assembly, upload: uploads.Upload, *, tick=None, writing=None
) -> dict:
    """Review ``upload`` here and keep its summary, its whole result (for the confirm job)
    and the errors file when rows were refused or repeated (so its download needs no second
    review); the summary. ``tick`` is called as rows are checked, ``writing`` as the errors
    file's rows are written (both ``(done, total)``: progress, and a yield)."""
    # taken BEFORE the rows are read: a registration during the review makes it stale
    made_for = fingerprint(assembly, upload)
    result = apply.review(assembly, upload, today=venue_today(assembly), tick=tick)
    made = summary(result)
    errors = _errors_path(folder, upload.key)
    if result.preview.errors or result.preview.duplicates_in_file:
        errors.write_bytes(errors_workbook(result.preview, upload.table, tick=writing))
    else:
        errors.unlink(missing_ok=True)
    keep_verified(folder, upload, made_for, result)
    _keep(folder, upload, {"fingerprint": made_for, "summary": made})
    return made


def _verified_path(folder: Path, key: str) -> Path:
    uploads.check_key(key)
    return folder / f"{key}.verified.json"


def _plain(value):
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"not JSON: {type(value).__name__}")


def _typed(shared: dict[str, str]):
    """An ``object_pairs_hook`` that makes each object a dict (a date back from
    :func:`_plain`) whose keys and text values are held once across lines: each line is its
    own ``json.loads``, which would give every row its own copy of the 31 field names."""

    def hook(pairs: list[tuple[str, object]]):
        if len(pairs) == 1 and pairs[0][0] == "$date":
            return dt.date.fromisoformat(pairs[0][1])
        return {
            shared.setdefault(key, key): shared.setdefault(v, v) if isinstance(v, str) else v
            for key, v in pairs
        }

    return hook


#: how :func:`keep_verified` lays the file out (a file of another shape is checked again)
_VERIFIED_SHAPE = "lines-1"


def keep_verified(folder: Path, upload: uploads.Upload, made_for: str, result) -> None:
    """Keep the review's result (``made_for``: its :func:`fingerprint`, taken before the rows
    were read) as JSON lines: first what it was made for, then one line per
    item of each of the preview's lists (``[list name, item]``), written and read one at a
    time, so that neither side holds the whole list as one text (4 MB for 5,000 rows)."""
    path = _verified_path(folder, upload.key)
    try:
        with path.open("w", encoding="utf-8") as out:
            lists = vars(result.preview)
            head = {"shape": _VERIFIED_SHAPE, "fingerprint": made_for}
            head["counts"] = {name: len(items) for name, items in lists.items()}
            out.write(json.dumps({**head, "ambiguous": result.ambiguous}, ensure_ascii=False))
            for name, items in lists.items():
                for item in items:
                    out.write("\n" + json.dumps([name, item], ensure_ascii=False, default=_plain))
    except (TypeError, ValueError):  # a value JSON cannot hold: the confirm checks again
        log.exception("import %s: review not kept for the confirm", upload.key)
        path.unlink(missing_ok=True)


def verified(
    folder: Path, assembly: Assembly, upload: uploads.Upload, *, made_for: str | None = None
) -> apply.Review | None:
    """The review kept for ``upload`` when nothing it read has changed since (the rows, the
    choices, the assembly's rules and people: :func:`fingerprint`, or ``made_for`` when the
    caller has just taken it); else None (check again, also for a file kept in another
    shape)."""
    try:
        with _verified_path(folder, upload.key).open(encoding="utf-8") as kept:
            made = json.loads(kept.readline())
            if made.get("shape") != _VERIFIED_SHAPE:  # kept by an earlier version
                return None
            if made.get("fingerprint") != (made_for or fingerprint(assembly, upload)):
                return None
            preview = validate.ImportPreview()
            lists = vars(preview)
            hook = _typed({})
            for line in kept:
                name, item = json.loads(line, object_pairs_hook=hook)
                lists[name].append(tuple(item))
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None
    if {name: len(items) for name, items in lists.items()} != made.get("counts"):
        return None  # a file cut short (a full disk): never a review with rows missing
    return apply.Review(preview, preview.valid, preview.existing, made["ambiguous"])


def kept_errors(folder: Path, assembly: Assembly, upload: uploads.Upload) -> bytes | None:
    """The errors file of the kept review, when it is still valid; else None."""
    kept = state(folder, assembly, upload)
    if not (kept and kept.get("summary")):
        return None
    try:
        return _errors_path(folder, upload.key).read_bytes()
    except OSError:
        return None


def start_review(
    folder: Path, assembly: Assembly, upload: uploads.Upload, actor: User
) -> tuple[jobs.Job, dict | None]:
    """Review ``upload`` in a background job; the job (for the progress bar) and the summary
    when the job has already kept it (a job run at once), else None."""
    made_for = fingerprint(assembly, upload)
    job = jobs.start_job(
        KIND,
        run_review,
        assembly_id=assembly.id,
        user_id=actor.id,
        folder=str(folder),
        key=upload.key,
    )
    kept = state(folder, assembly, upload, made_for=made_for)
    if kept and kept.get("summary"):  # a job run at once has kept its summary already
        return job, kept["summary"]
    _keep(folder, upload, {"fingerprint": made_for, "job": job.id, "summary": None})
    return job, None


def run_review(ctx: jobs.JobContext, *, folder: str, key: str) -> dict:
    """The job: check every row ("Revisando filas…"), keep the summary; its counts."""
    job = db.session.get(jobs.Job, ctx.job_id)
    assembly = db.session.get(Assembly, job.assembly_id)
    upload = uploads.load_upload(Path(folder), assembly.id, key)
    checking = N_("Revisando filas…")
    ctx.progress(0, len(upload.table.rows), checking)
    writing = N_("Preparando el archivo de errores…")
    made = review_now(
        Path(folder),
        assembly,
        upload,
        tick=jobs.paced(lambda done, total: ctx.progress(done, total, checking)),
        writing=jobs.paced(lambda done, total: ctx.progress(done, total, writing)),
    )
    return {key: made[key] for key in ("new", "existing_count", "errors_count")}
