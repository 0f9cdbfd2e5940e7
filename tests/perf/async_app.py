"""The app as the async benchmark serves it: the real create_app plus a bench-only broadcast.

``ASYNC_MODE=gevent`` (default) patches first, exactly as wsgi.py does; ``threading`` does not.
"""

import os

if os.environ.get("ASYNC_MODE", "gevent") == "gevent":
    from gevent import monkey

    monkey.patch_all()

import time

from flask import Blueprint, jsonify, request
from flask_socketio import join_room

from assembly import create_app
from assembly.auth.events import credential
from assembly.extensions import csrf, db, socketio

app = create_app({"SOCKETIO_ASYNC_MODE": os.environ.get("ASYNC_MODE", "gevent")})
with app.app_context():
    db.create_all()

bench = Blueprint("bench", __name__)
FILLER = "x" * 260  # with the other fields the payload is ~330 bytes of JSON


@bench.post("/_bench/broadcast")
@csrf.exempt
def broadcast():
    """Emit one ~330-byte event to every bench client."""
    payload = {"seq": int(request.args.get("seq", 0)), "sent": time.time(), "text": FILLER}
    socketio.emit("bench", payload, to="bench")
    return jsonify(ok=True)


app.register_blueprint(bench)


@credential("bench")
def _bench_credential(value):
    return {"assembly_id": 0} if value == "1" else None


@socketio.on("join_bench")
def _join_bench():
    join_room("bench")
    return {"ok": True}
