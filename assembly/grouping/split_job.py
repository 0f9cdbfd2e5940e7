"""The split of a large room as a background job (contract 8), so that no request waits
behind it: the people are read a chunk at a time (a short read each, the connection free in
between), the arithmetic runs in a worker process (:func:`offload.off_loop`) and the seats are
written a chunk at a time, each chunk committed with the job's progress.  The same rules as
the split that answers at once: :func:`services.run_split` does the work for both.

While the seats are being written, a screen may see part of the room re-seated; the job's
last step retires the tables the split no longer needs and tells every screen (the same
``grouping_changed`` broadcast), and the groups page reloads when its progress bar ends.
"""

from __future__ import annotations

import logging
import time

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.realtime import broadcasting
from assembly.auth.domain import Role
from assembly.auth.models import User
from assembly.core import jobs
from assembly.errors import Conflict
from assembly.extensions import db
from assembly.grouping import broadcasts, services
from assembly.marks import N_
from assembly.registration.models import Attendee

log = logging.getLogger(__name__)

KIND = "split"
#: people read per short read
READ_CHUNK = 1000


def population_size(assembly_id: int, population: str) -> int:
    """How many people a split of ``population`` would seat (before any locked table)."""
    query = select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly_id)
    if population == "checked_in":
        query = query.where(Attendee.checked_in_at.is_not(None))
    return db.session.scalar(query) or 0


def running_split(assembly_id: int) -> jobs.Job | None:
    """The assembly's split job still queued or running, if any."""
    return db.session.scalar(
        select(jobs.Job)
        .where(
            jobs.Job.assembly_id == assembly_id,
            jobs.Job.kind == KIND,
            jobs.Job.status.in_((jobs.QUEUED, jobs.RUNNING)),
        )
        .order_by(jobs.Job.id.desc())
        .limit(1)
    )


def followed(assembly_id: int, job_id: int | None, user: User) -> jobs.Job | None:
    """The split job the groups page shows: ``job_id`` when it is this assembly's split and
    ``user`` started it (or is an admin), else the assembly's running split, if any."""
    job = db.session.get(jobs.Job, job_id) if job_id is not None else None
    mine = job is not None and (job.user_id == user.id or user.role == Role.ADMIN.value)
    if mine and job.kind == KIND and job.assembly_id == assembly_id:
        return job
    return running_split(assembly_id)


def start_split(
    actor: User, assembly_id: int, *, population: str, seed: int, confirm: bool
) -> jobs.Job:
    """Queue the split; refused while another split of the same assembly is running."""
    if running_split(assembly_id) is not None:
        raise Conflict(_("Ya se está repartiendo la sala: espere a que termine."))
    return jobs.start_job(
        KIND,
        run,
        assembly_id=assembly_id,
        user_id=actor.id,
        split_assembly_id=assembly_id,
        actor_id=actor.id,
        population=population,
        seed=seed,
        confirm=confirm,
    )


class _Timed:
    """The job's context, noting the longest time between two progress reports (each one
    yields; the split's arithmetic, off the event loop, lies between two of them), for the
    log."""

    def __init__(self, ctx: jobs.JobContext):
        self.job_id, self._ctx = ctx.job_id, ctx
        self.longest, self.longest_before, self.calls = 0.0, "", 0
        self._last = time.perf_counter()

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        stretch = time.perf_counter() - self._last
        if stretch > self.longest:
            self.longest, self.longest_before = stretch, f"{message} {done}/{total} #{self.calls}"
        self.calls += 1
        self._ctx.progress(done, total, message)
        self._last = time.perf_counter()


def run(
    ctx: jobs.JobContext,
    *,
    split_assembly_id: int,
    actor_id: int,
    population: str,
    seed: int,
    confirm: bool,
) -> dict:
    """The job: read, compute, write, tell the screens; returns the figures the page shows.
    (``start_job`` keeps its own ``assembly_id`` and ``user_id``: the job's get theirs.)"""
    assembly_id = split_assembly_id
    total = db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly_id)
    )
    rows: list[services.SeatRow] = []
    started = time.perf_counter()
    ctx = _Timed(ctx)
    ctx.progress(0, total, N_("Leyendo las inscripciones…"))
    while chunk := services.seat_rows(
        assembly_id, after_id=rows[-1].id if rows else 0, limit=READ_CHUNK
    ):
        rows += chunk
        ctx.progress(len(rows), total, N_("Leyendo las inscripciones…"))
    ctx.progress(0, None, N_("Repartiendo la sala…"))
    read_s = time.perf_counter() - started

    def written(done: int, changed: int) -> None:
        if not changed:  # tables being opened
            ctx.progress(0, None, N_("Repartiendo la sala…"))
        else:
            ctx.progress(done, changed, N_("Sentando a las personas en sus sub-mesas…"))

    with broadcasting() as out:
        report = services.run_split(
            db.session.get(User, actor_id),
            assembly_id,
            population=population,
            seed=seed,
            confirm=confirm,
            rows=rows,
            on_chunk=written,
        )
        groups = services.groups_of(assembly_id)
        out.add(
            broadcasts.split(
                assembly_id, [g.id for g in groups], [t.id for g in groups for t in g.tables]
            )
        )
    q = report.quality
    log.info(
        "split job %s of assembly %s: %s people read in %.2f s, split and seated in %.2f s; "
        "longest time between two progress reports %.0f ms (before «%s»; the arithmetic "
        "between two of them runs off the event loop)",
        ctx.job_id,
        assembly_id,
        len(rows),
        read_s,
        time.perf_counter() - started - read_s,
        ctx.longest * 1000,
        ctx.longest_before,
    )
    return {
        "people": q.people,
        "tables": q.tables_count,
        "preference_pct": q.preference_pct,
        "leaders_found": q.leaders_found,
    }
