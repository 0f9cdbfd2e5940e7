"""The real app under gevent (as wsgi.py runs it) plus test-only routes that start a job.

A job of ``steps`` steps burns a little CPU per step (no sleep: a greenlet that never yields
would hold the whole worker) and reports progress after each; the tests read the job's row
and ask for other pages while it runs.  An offloaded job burns seconds of CPU in one go,
through ``offload.off_loop`` (as the split's arithmetic), and says which process did it.
"""

from gevent import monkey

monkey.patch_all()

import hashlib  # noqa: E402
import os  # noqa: E402

from flask import Blueprint, jsonify, request  # noqa: E402

from assembly import create_app  # noqa: E402
from assembly.core import jobs, offload  # noqa: E402
from assembly.extensions import csrf, db  # noqa: E402
from tests.support import offload_work  # noqa: E402

app = create_app()
with app.app_context():
    db.create_all()

test_jobs = Blueprint("test_jobs", __name__)


def spin(ctx: jobs.JobContext, *, steps: int, rounds: int) -> dict:
    digest = b""
    for step in range(1, steps + 1):
        for _ in range(rounds):
            digest = hashlib.sha256(digest).digest()
        ctx.progress(step, steps, f"Paso {step} de {steps}")
    return {"steps": steps}


@test_jobs.post("/_test/jobs")
@csrf.exempt
def start():
    steps = int(request.args.get("steps", 100))
    rounds = int(request.args.get("rounds", 20_000))
    job = jobs.start_job("spin", spin, assembly_id=None, user_id=None, steps=steps, rounds=rounds)
    return jsonify(ok=True, id=job.id)


def offloaded(ctx: jobs.JobContext, *, rounds: int) -> dict:
    ctx.progress(0, 1, "Calculando…")
    worker, _digest = offload.off_loop(offload_work.burn, rounds)
    return {"worker": worker, "server": os.getpid()}


@test_jobs.post("/_test/offload")
@csrf.exempt
def start_offloaded():
    rounds = int(request.args.get("rounds", 1_000_000))
    job = jobs.start_job("burn", offloaded, assembly_id=None, user_id=None, rounds=rounds)
    return jsonify(ok=True, id=job.id)


@test_jobs.get("/_test/jobs/<int:job_id>")
def status(job_id: int):
    return jsonify(ok=True, job=jobs.job_view(jobs.get_job(job_id)))


app.register_blueprint(test_jobs)
