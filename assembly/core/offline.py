"""The service worker (``static/sw.js``) served from the root scope as ``/sw.js``.

A service worker controls only the paths under its own URL, so it cannot live under
``/static/<release>/``; it is served at the root, uncached (browsers check it for updates on
every navigation), with its release and the files it keeps at install put before the script:
``self.ASSEMBLY = {"release", "precache", "offline"}``. A new release is a new script, hence a
new cache, and the old one is dropped. Browsers run it only in a secure context (localhost, or
HTTPS with ``ASSEMBLY_TLS_CERT``/``ASSEMBLY_TLS_KEY``); see README, "Sin red".
"""

import json

from flask import Response, current_app, url_for

from assembly import config as config_module

WORKER = config_module.PROJECT_ROOT / "static" / "sw.js"
#: what the offline page itself needs, kept at install
PRECACHE = ("css/app.css", "img/icon.svg")


def worker_source(release: str, precache: list[str], offline: str) -> str:
    """The script: its configuration, then ``static/sw.js`` as it is."""
    settings = {"release": release, "precache": precache, "offline": offline}
    head = f"self.ASSEMBLY = {json.dumps(settings, sort_keys=True)};\n"
    return head + WORKER.read_text(encoding="utf-8")


def worker_response() -> Response:
    release = current_app.config["STATIC_RELEASE"]
    precache = [url_for("static", filename=name) for name in PRECACHE]
    body = worker_source(release, precache, url_for("core.offline_page"))
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
