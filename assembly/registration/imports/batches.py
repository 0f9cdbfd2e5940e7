"""Confirmed imports: each runs as a background job (``core.jobs``) that stores the rows chunk
by chunk as one :class:`ImportBatch`, yielding between chunks so the room keeps being served;
a batch can be undone as a whole while nobody from it has checked in. The rows are those the
review step verified (``review_job.verified``) when nothing it read has changed since;
otherwise the job checks every row again first.

The job commits as it goes (its progress), so a job that fails removes the people its batch
had stored: the import is still all or nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from assembly.assemblies.models import Assembly
from assembly.assemblies.services import ensure_writable
from assembly.auth.models import User
from assembly.core import jobs, locks
from assembly.errors import Conflict, InvalidInput, NotFound
from assembly.extensions import db
from assembly.helpers import utcnow, venue_today
from assembly.marks import N_
from assembly.registration.imports import apply, fills, review_job, uploads
from assembly.registration.models import Attendee, ImportBatch, ImportFill

log = logging.getLogger(__name__)

IMPORTING, DONE, FAILED, UNDONE = "importing", "done", "failed", "undone"


def start_import(folder: Path, assembly: Assembly, upload: uploads.Upload, actor: User) -> jobs.Job:
    """Queue the import of ``upload`` as a background job; the job (for the progress bar).

    Refused at once (nothing queued) while values wait for a hand choice."""
    if upload.mapping is None:
        raise InvalidInput(_("Primero indique qué contiene cada columna."))
    if apply.pending_values(assembly, upload):
        raise InvalidInput(
            _("Hay valores sin decidir: elija qué significa cada uno antes de importar.")
        )
    batch = ImportBatch(
        assembly_id=assembly.id, user_id=actor.id, filename=upload.filename, status=IMPORTING
    )
    db.session.add(batch)
    db.session.flush()
    return jobs.start_job(
        "import",
        run_import,
        assembly_id=assembly.id,
        user_id=actor.id,
        folder=str(folder),
        key=upload.key,
        batch_id=batch.id,
    )


def run_import(ctx: jobs.JobContext, *, folder: str, key: str, batch_id: int) -> dict:
    """The job: take the review's verified rows, or check every row again when anything the
    review read has changed (progress "Revisando filas…"), then store the new people chunk by
    chunk (progress "Guardando personas…"). On any failure the batch's people are removed
    again and the batch is marked failed."""
    batch = db.session.get(ImportBatch, batch_id)
    assembly = db.session.get(Assembly, batch.assembly_id)
    try:
        upload = uploads.load_upload(Path(folder), assembly.id, key)
        today = venue_today(assembly)
        result = review_job.verified(Path(folder), assembly, upload)
        if result is None:
            checking = N_("Revisando filas…")
            ctx.progress(0, len(upload.table.rows), checking)
            result = apply.review(
                assembly,
                upload,
                today=today,
                tick=jobs.paced(lambda done, total: ctx.progress(done, total, checking)),
            )
        storing = N_("Guardando personas…")
        ctx.progress(0, len(result.to_import), storing)
        stored = apply.confirm(
            assembly,
            upload,
            today=today,
            result=result,
            batch=batch,
            progress=lambda done, total: ctx.progress(done, total, storing),
        )
        batch.status = DONE
        apply.remember(assembly, upload)
        db.session.commit()
    except Exception:
        db.session.rollback()
        db.session.execute(delete(Attendee).where(Attendee.import_batch_id == batch_id))
        db.session.get(ImportBatch, batch_id).status = FAILED
        db.session.commit()
        raise
    uploads.discard(Path(folder), key)
    log.info("import batch %d: %d people into assembly %d", batch_id, stored, assembly.id)
    return {
        "batch_id": batch_id,
        "assembly_id": assembly.id,
        "new": stored,
        "already": len(result.existing),
        "errors": len(result.preview.errors),
        "incomplete": result.incomplete,
        "filled": batch.filled,
    }


def batches_of(assembly_id: int) -> list[tuple[ImportBatch, int, bool]]:
    """The assembly's imports, newest first, each with how many of its people checked in and
    whether undoing it can empty what it filled (:func:`fills_recorded`)."""
    arrived = (
        select(func.count(Attendee.id))
        .where(Attendee.import_batch_id == ImportBatch.id, Attendee.checked_in_at.is_not(None))
        .scalar_subquery()
    )
    recorded = select(ImportFill.id).where(ImportFill.batch_id == ImportBatch.id).exists()
    rows = db.session.execute(
        select(ImportBatch, arrived, recorded)
        .where(ImportBatch.assembly_id == assembly_id)
        .order_by(ImportBatch.id.desc())
    )
    return [(batch, checked_in, bool(kept)) for batch, checked_in, kept in rows]


def fills_recorded(batch: ImportBatch) -> bool:
    """Whether the fields ``batch`` filled in earlier "incompleto" people were recorded one by
    one (so its undo empties them again). An import confirmed before the ``import_fills``
    revision filled fields (``batch.filled``) without recording them: its undo removes its
    people and keeps those fields, and says so."""
    return not batch.filled or bool(
        db.session.scalar(select(ImportFill.id).where(ImportFill.batch_id == batch.id).limit(1))
    )


def _hold(batch: ImportBatch) -> None:
    """The undo's locks, in the order of core.locks: the people it removes and those whose
    fields it empties again, lowest id first (then counted: nobody it brought in checks in or
    is seated meanwhile), then the sub-mesas where those sit (their tally rows change)."""
    filled = select(ImportFill.attendee_id).where(ImportFill.batch_id == batch.id)
    ids = db.session.scalars(
        select(Attendee.id).where((Attendee.import_batch_id == batch.id) | Attendee.id.in_(filled))
    ).all()
    locks.hold_people(ids, delete=True)
    locks.hold_tables(
        db.session.scalars(
            select(Attendee.table_id).where(Attendee.id.in_(filled), Attendee.table_id.is_not(None))
        )
    )


@dataclass(frozen=True)
class Undone:
    """What undoing an import did."""

    #: people it had brought in, removed
    removed: int
    #: earlier "incompleto" people whose fields it had filled, emptied again
    emptied: int
    #: fields it had filled that stay: changed since, or their person arrived since
    kept: int
    #: earlier people whose filled fields stay because the import predates their record
    #: (confirmed before the ``import_fills`` revision): nobody can tell which fields it wrote
    unrecorded: int = 0


def undo_batch(actor: User, assembly: Assembly, batch_id: int) -> Undone:
    """Remove every person an import brought in and empty again the fields it filled in
    earlier "incompleto" people (``fills.undo_fills``: a value changed since stays; an import
    older than that record keeps them: ``Undone.unrecorded``); refused
    once anyone it brought in checked in (or was seated), or while it is still running.
    Flush."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.assembly_id != assembly.id:
        raise NotFound(_("Esa importación no existe en esta asamblea."))
    ensure_writable(assembly)
    if batch.status != DONE:
        raise Conflict(_("Solo se puede deshacer una importación terminada."))
    people = Attendee.import_batch_id == batch.id
    _hold(batch)
    arrived = db.session.scalar(
        select(func.count(Attendee.id)).where(
            people, (Attendee.checked_in_at.is_not(None)) | (Attendee.table_id.is_not(None))
        )
    )
    if arrived:
        raise Conflict(
            _(
                "No se puede deshacer: %(n)s persona(s) de esta importación ya registraron su "
                "llegada o tienen mesa.",
                n=arrived,
            )
        )
    unrecorded = 0 if fills_recorded(batch) else batch.filled
    emptied, kept = fills.undo_fills(batch)
    removed = db.session.execute(delete(Attendee).where(people)).rowcount
    batch.status, batch.undone_at = UNDONE, utcnow()
    db.session.flush()
    log.info("%s undid import batch %d (%d people)", actor.username, batch.id, removed)
    return Undone(removed, emptied, kept, unrecorded)
