"""bench_room's floor: a bare Flask-SocketIO app speaking just enough of the room's protocol.

No database, no credentials, no revisions or room sequences, no batching: a socket connects
with any auth, ``join_board`` / ``join_table`` join one room and answer ``{"ok": true}``, and
``submit_piece`` emits ``piece_saved`` ``{"id": …}`` to every board, then answers.  Under the
same gunicorn gevent workers, behind the same nginx and (``BARE_REDIS_URL``) the same Redis
message queue as the real app, it is what the stack itself costs for the room's broadcast on
this machine: the lowest p95 the real app could reach here.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from flask import Flask, jsonify  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

app = Flask(__name__)
queue = os.environ.get("BARE_REDIS_URL") or None
socketio = SocketIO(
    app,
    async_mode="gevent",
    message_queue=queue,
    channel=os.environ.get("BARE_REDIS_CHANNEL", "bare-room"),
)


@app.get("/healthz")
def health():
    """Liveness probe (start_server and nginx wait for it)."""
    return jsonify(ok=True)


@socketio.on("connect")
def _connect(auth=None):
    return True


@socketio.on("join_board")
def _join_board(_data=None):
    join_room("board")
    return {"ok": True}


@socketio.on("join_table")
def _join_table(_data=None):
    return {"ok": True}


@socketio.on("submit_piece")
def _submit_piece(data):
    emit("piece_saved", {"id": data["id"], "kind": data.get("kind"), "text": data.get("text")},
         to="board")  # fmt: skip
    return {"ok": True, "piece": {"id": data["id"]}, "created": True}
