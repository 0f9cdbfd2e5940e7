"""What every HTTP response carries: security headers, cache rules, compression, and the static
files under a versioned prefix.

- ``/static/<release>/<path>`` serves ``static/``; ``release`` is a hash of the static files (and
  the compiled translations, which the JS catalogs are built from), so a changed file gets a new
  URL and every asset of the current release is cached for a year (``immutable``). A request
  for another release (a page loaded before a restart) still gets the file, uncached.
- One after-request hook sets the Content-Security-Policy (no inline script or style anywhere:
  pages load modules from ``/static``, JS sets styles through the CSSOM), ``frame-ancestors
  'none'``, nosniff and the Referrer-Policy, and the cache rule of dynamic responses (pages
  with personal data are ``no-store``, the others ``no-cache``).
- Static files are compressed once, at brotli's and gzip's best (kept in memory: one release's
  files); every other response is compressed by Flask-Compress, as the client asks.
- Style sheets, scripts and images are never documents: they carry only nosniff, not the
  document headers (the policy is the page's), which keeps the leader page light.
- Static files do not depend on who asks: the session is not saved on them, so they carry no
  ``Vary: Cookie`` (Flask-Login reads the session after every request, which would add it) and
  a log-in does not make a phone's cache fetch them again.
"""

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import rcssmin
import rjsmin
from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_compress import Compress
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import safe_join

from assembly import config as config_module
from assembly.core import js_modules
from assembly.errors import InvalidInput

STATIC_DIR = config_module.PROJECT_ROOT / "static"
TRANSLATIONS_DIR = config_module.PROJECT_ROOT / "assembly" / "translations"
IMMUTABLE = "public, max-age=31536000, immutable"

#: one policy for every response; nothing inline, nothing from elsewhere
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Same-origin requests keep their Referer (Flask-WTF checks it on HTTPS); ticket URLs never
    # leave the site in one.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
}
#: what a subresource needs (a style sheet, a script or an image is never rendered as a page)
SUBRESOURCE_HEADERS = {"X-Content-Type-Options": "nosniff"}
SUBRESOURCE_TYPES = frozenset(
    {"text/css", "text/javascript", "image/png", "image/x-icon", "application/json"}
)
#: text worth compressing once per release (images other than SVG are compressed already)
COMPRESSIBLE = frozenset({"text/css", "text/javascript", "image/svg+xml", "application/json"})
MIN_COMPRESS = 512
#: pages reached without an account that show a person's data: never stored by the browser
PERSONAL_ENDPOINTS = frozenset(
    {
        "registration.ticket",
        "registration.my_data",
        "registration.withdraw_consent",
        "board.vote",
        "puzzle.table_page",
    }
)


def release_of(*roots: Path) -> str:
    """A short hash of every file under ``roots`` (names and contents)."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.suffix == ".po":  # the compiled .mo is what the server reads
                continue
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class Asset:
    data: bytes
    mimetype: str
    etag: str
    encoded: dict[str, bytes] = field(default_factory=dict)

    def body(self, encoding: str | None) -> bytes:
        """The file as sent with ``encoding`` ("br", "gzip" or None), compressed once."""
        if encoding is None:
            return self.data
        if encoding not in self.encoded:
            if encoding == "br":
                self.encoded[encoding] = brotli.compress(self.data, quality=11)
            else:
                self.encoded[encoding] = gzip.compress(self.data, 9, mtime=0)
        return self.encoded[encoding]

    def encoding_for(self, req) -> str | None:
        """The best encoding the client accepts, None for raw (small files, images)."""
        if self.mimetype not in COMPRESSIBLE or len(self.data) < MIN_COMPRESS:
            return None
        for encoding in ("br", "gzip"):
            if req.accept_encodings[encoding] > 0:
                return encoding
        return None


def minified(filename: str, data: bytes) -> bytes:
    """Our own scripts and style sheets without comments and indentation (a build step's job,
    done once per process: the sources stay readable); vendored files are minified already."""
    if filename.startswith("vendor/"):
        return data
    if filename.endswith(".js"):
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    if filename.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    return data


class StaticFiles:
    """The files of ``static/``, read once per process (they belong to one release); served
    minified except in debug mode."""

    def __init__(self, root: Path, release: str, *, cache: bool):
        self.root = root
        self.release = release
        self.cache = cache
        self._assets: dict[str, Asset] = {}

    def cache_control(self, release: str) -> str:
        """A year for the current release's files; an older release's are revalidated."""
        return IMMUTABLE if release == self.release and self.cache else "no-cache"

    def get(self, filename: str) -> Asset | None:
        asset = self._assets.get(filename)
        if asset is not None:
            return asset
        path = safe_join(str(self.root), filename)
        if path is None or not Path(path).is_file():
            return None
        data = Path(path).read_bytes()
        if self.cache:
            data = minified(filename, data)
        if filename.endswith(".js"):
            mimetype = "text/javascript"
        else:
            mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        asset = Asset(data, mimetype, hashlib.sha256(data).hexdigest()[:20])
        if self.cache:
            self._assets[filename] = asset
        return asset


def static_files() -> StaticFiles:
    return current_app.extensions["assembly.static"]


def serve_static(release: str, filename: str):
    """A file of ``static/``: cached for a year under the current release's prefix."""
    files = static_files()
    asset = files.get(filename)
    if asset is None:
        abort(404)
    encoding = asset.encoding_for(request)
    response = Response(asset.body(encoding), mimetype=asset.mimetype)
    response.set_etag(f"{asset.etag}-{encoding}" if encoding else asset.etag)
    response.headers["Cache-Control"] = files.cache_control(release)
    response.vary.add("Accept-Encoding")
    if encoding:
        response.headers["Content-Encoding"] = encoding  # Flask-Compress leaves it as it is
    return response.make_conditional(request)


def _headers(response: Response) -> Response:
    document = response.mimetype not in SUBRESOURCE_TYPES
    for name, value in (SECURITY_HEADERS if document else SUBRESOURCE_HEADERS).items():
        response.headers.setdefault(name, value)
    if "Cache-Control" not in response.headers:
        # only a page may be cached (and only when it is nobody's): the JSON answers never
        # ask who is logged in, which after a refusal's rollback would load the user again
        html = response.mimetype == "text/html"
        personal = (
            not html or current_user.is_authenticated or request.endpoint in PERSONAL_ENDPOINTS
        )
        response.headers["Cache-Control"] = "no-store" if personal else "no-cache"
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def origin_check(app: Flask):
    """Engine.IO's Origin check (it runs outside any app context, hence the closure): the
    page's own origin (scheme and Host of this request, as ProxyFix gave them), PUBLIC_URL's
    and ``ASSEMBLY_ALLOWED_ORIGINS``. Browsers always send an Origin with a websocket;
    Engine.IO only asks when there is one."""
    config = app.config

    def allowed(origin: str | None, environ: dict) -> bool:
        if not origin:
            return True
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        accepted = {_origin(own), _origin(config.get("PUBLIC_URL") or "")}
        accepted.update(_origin(o) for o in (config.get("ALLOWED_ORIGINS") or "").split(","))
        accepted.discard("")
        return origin.strip().lower() in accepted

    return allowed


def trust_proxies(app: Flask) -> None:
    """``ASSEMBLY_TRUSTED_PROXIES`` = n: the last n hops' X-Forwarded-For/-Proto/-Host/-Port are
    the client's (Werkzeug ProxyFix); with 0 nothing forwarded is believed."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )


def refuse_nul_bytes() -> None:
    """A NUL character in a form field or the query string: refused before any route reads it
    (PostgreSQL cannot store one in a text column, and no person types one)."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                message = _("El formulario trae un carácter no permitido. Revise el texto escrito.")
                raise InvalidInput(message, fields={key.replace("\x00", ""): message})


#: the endpoints that serve ``static/`` (files, and the pages' generated entry modules)
STATIC_ENDPOINTS = frozenset({"static", "js_entry"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, not saved on a static file's response."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint in STATIC_ENDPOINTS:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Serve ``static/`` under its release, compress, and set the headers of every response."""
    release = release_of(STATIC_DIR, TRANSLATIONS_DIR)
    app.extensions["assembly.static"] = StaticFiles(STATIC_DIR, release, cache=not app.debug)
    app.config["STATIC_RELEASE"] = release
    app.add_url_rule("/static/<release>/<path:filename>", endpoint="static", view_func=serve_static)
    app.session_interface = SessionInterface()

    @app.url_defaults
    def _static_release(endpoint, values):
        if endpoint in STATIC_ENDPOINTS and "release" not in values:
            values["release"] = release

    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    Compress(app)
    app.before_request(refuse_nul_bytes)
    app.after_request(_headers)
    js_modules.init_app(app)
