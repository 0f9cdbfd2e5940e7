"""Background jobs: long work (an import, the split, an export) that must not stall the room.

A job runs in a greenlet (``socketio.start_background_task``) with its own app context; its
progress lives in the ``jobs`` table, so any process can answer ``GET /api/jobs/<id>`` and
nothing needs Redis. The job function receives a :class:`JobContext`::

    def build(ctx: JobContext, *, assembly_id: int) -> dict:
        for done, row in enumerate(rows, 1):
            ...                                   # work in the job's own session
            ctx.progress(done, len(rows), N_("Leyendo filas…"))  # commits, then yields
        return {"created": n}                     # stored as the job's JSON result

    job = start_job("import", build, assembly_id=a.id, user_id=current_user.id)

:meth:`JobContext.progress` stores the counters and COMMITS the job's session, then yields to
other greenlets (a sleep of :data:`YIELD_SECONDS`): a request waits behind a job at most the time between
two progress calls, so call it every ~100 ms of work, between consistent chunks (what the job
wrote so far is committed with the progress). A job never holds a transaction across a yield:
on SQLite one connection serves the whole process. A job that raises is stored as ``failed``
with a message a person can read (an :class:`AssemblyError`'s message, anything else as a
generic sentence; details go to the log) and its uncommitted work is rolled back. A job has
no language of its own (whoever opens its page follows it): its progress message is stored as
the catalog's Spanish source, untranslated (``N_``), and its failure as the error's msgid and
parameters (raise it with a :class:`~assembly.marks.Problem`); :func:`job_view` and
:func:`error_text` give both in the reader's language.

CPU-bound pure work that cannot report progress (the split's arithmetic over 50,000 people)
goes through :func:`assembly.core.offload.off_loop`: under gevent it runs in a worker process
while the calling greenlet waits, so the worker's event loop keeps answering requests meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, Text, update
from sqlalchemy.orm import Mapped, mapped_column

from assembly.errors import AssemblyError, NotFound, as_domain_error
from assembly.extensions import db, socketio
from assembly.helpers import utcnow
from assembly.marks import said

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class Job(db.Model):
    """One background job and how far it got."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what runs: "import", "split", "export"...
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    assembly_id: Mapped[int | None] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=True, index=True
    )
    #: who started it: only they (and admins) may read it
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: queued, running, done or failed
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=QUEUED)
    done: Mapped[int] = mapped_column(nullable=False, default=0)
    #: None while the size is not known yet
    total: Mapped[int | None] = mapped_column(nullable=True)
    #: the latest progress line, for the progress bar ("Leyendo filas…")
    message: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    #: what the job function returned (plain JSON), once done
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: why it failed, as composed when it failed (in the job's language): read as it is only
    #: when ``error_said`` is None (a job failed before it was kept, or a reason given composed)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: why it failed as the catalog's msgid and parameters ({"msgid", "params"}:
    #: ``marks.stored``), said in the reader's language (:func:`error_text`)
    error_said: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(nullable=False, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status}>"


class JobContext:
    """What a running job may do besides its work: report progress."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Store how far the job is, commit, then let other greenlets run. ``message``: the
        catalog's Spanish source, untranslated (``N_``); job_view translates it."""
        values: dict[str, Any] = {"done": int(done), "total": total}
        if message is not None:
            values["message"] = str(message)[:300]
        _set(self.job_id, **values)
        socketio.sleep(YIELD_SECONDS)


#: the yield itself: more than 0, because gevent's sleep(0) only runs greenlets already
#: scheduled and lets the loop skip polling for I/O, so a new request would still wait
YIELD_SECONDS = 0.001
#: how long work may run between two yields: a request waits behind it at most this long
SLICE_SECONDS = 0.05


def paced(report: Callable[[int, int], None], seconds: float = SLICE_SECONDS):
    """A ``tick(done, total)`` to call after every unit of work (a row): it calls
    ``report(done, total)`` once ``seconds`` have passed since the last report, and at the end
    (``done == total``), so a loop yields every ~50 ms whatever each unit costs."""
    last = time.monotonic()

    def tick(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= seconds or done == total:
            last = now
            report(done, total)

    return tick


def breathe(done: int = 0, total: int = 0) -> None:
    """Let other greenlets run from inside a long READ-ONLY request (the review of a big
    list): end the read transaction first (SQLite has one connection for the process), then
    yield. Never call it with writes pending: they would be committed."""
    db.session.commit()
    socketio.sleep(YIELD_SECONDS)


def _set(job_id: int, **values) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()


def start_job(
    kind: str,
    fn: Callable[..., dict | None],
    *,
    assembly_id: int | None,
    user_id: int | None,
    **params,
) -> Job:
    """Store a queued job, commit it, and run ``fn(ctx, **params)`` in the background.

    ``params`` are plain values (ids, names): never ORM objects, which belong to the
    caller's session. Returns the job (its ``id`` goes to the page's progress bar)."""
    job = Job(kind=kind, assembly_id=assembly_id, user_id=user_id, status=QUEUED)
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()
    socketio.start_background_task(_run, app, job.id, fn, params)
    return job


def _run(app: Flask, job_id: int, fn: Callable[..., dict | None], params: dict) -> None:
    with app.app_context():
        _set(job_id, status=RUNNING)
        try:
            result = fn(JobContext(job_id), **params)
            db.session.commit()  # what the job left pending is part of its work
        except Exception as error:
            db.session.rollback()
            refused = as_domain_error(error)
            if not isinstance(error, AssemblyError):
                log.exception("job %s failed", job_id)
            _set(
                job_id,
                status=FAILED,
                error=refused.message,
                error_said=refused.said_later,
                finished_at=utcnow(),
            )
        else:
            _set(job_id, status=DONE, result=result, finished_at=utcnow())
        finally:
            db.session.remove()


def get_job(job_id: int) -> Job:
    # populate_existing: progress is written by the job's own session, never seen as stale
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound(_("Esta tarea no existe."))
    return job


def error_text(job: Job) -> str | None:
    """Why ``job`` failed, in the reader's language. A reason kept without its msgid (a job
    that failed before it was kept) reads as it was written — translated when it is a
    catalog sentence without parameters, as most were, written in the server's Spanish."""
    if job.error_said:
        return said(job.error_said, _)
    return _(job.error) if job.error else job.error


def job_view(job: Job) -> dict:
    """The JSON the progress bar reads."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "message": _(job.message) if job.message else job.message,
        "result": job.result,
        "error": error_text(job),
        "finished": job.status in (DONE, FAILED),
    }
