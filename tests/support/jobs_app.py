"""The real app under gevent (as wsgi.py runs it) plus test-only routes that start a job.

A job of ``steps`` steps burns a little CPU per step (no sleep: a greenlet that never yields
would hold the whole worker) and reports progress after each; the tests read the job's row
and ask for other pages while it runs.
"""

from gevent import monkey

monkey.patch_all()

import hashlib  # noqa: E402

from flask import Blueprint, jsonify, request  # noqa: E402

from assembly import create_app  # noqa: E402
from assembly.core import jobs  # noqa: E402
from assembly.extensions import csrf, db  # noqa: E402

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


@test_jobs.get("/_test/jobs/<int:job_id>")
def status(job_id: int):
    return jsonify(ok=True, job=jobs.job_view(jobs.get_job(job_id)))


app.register_blueprint(test_jobs)
