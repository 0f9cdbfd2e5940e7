"""The async benchmark's baseline: a bare Flask-SocketIO app under the same gunicorn gevent
worker, doing only the benchmark's broadcast.

No database, no log-in, no credentials, no revisions or room sequences: what Flask-SocketIO,
python-socketio and gevent cost on their own for the same event to the same room, the
stack's own limit (issue 16.8).  Same protocol as tests/perf/async_app.py: a client connects
(any auth payload), calls ``join_bench`` (acknowledged), and ``POST /_bench/broadcast?seq=n``
emits one ~330-byte ``bench`` event to every one of them.
"""

from gevent import monkey

monkey.patch_all()

import time  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
FILLER = "x" * 260  # with the other fields the payload is ~330 bytes of JSON, as async_app


@app.get("/healthz")
def health():
    """Liveness probe (start_server waits for it)."""
    return jsonify(ok=True)


@app.post("/_bench/broadcast")
def broadcast():
    """Emit one ~330-byte event to every bench client."""
    payload = {"seq": int(request.args.get("seq", 0)), "sent": time.time(), "text": FILLER}
    socketio.emit("bench", payload, to="bench")
    return jsonify(ok=True)


@socketio.on("connect")
def _connect(auth=None):
    return True


@socketio.on("join_bench")
def _join_bench():
    join_room("bench")
    return {"ok": True}
