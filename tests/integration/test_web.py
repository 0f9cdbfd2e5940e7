"""Headers, caching, compression and static versioning (assembly/core/web.py): every route the
app serves, walked anonymously and as an admin, carries the strict policy; pages hold no inline
script, style or handler the policy would block."""

import gzip
import re
from html.parser import HTMLParser

import brotli
import pytest

from assembly.core import web

POLICY = web.CONTENT_SECURITY_POLICY


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


class _InlineFinder(HTMLParser):
    """What a strict CSP blocks in a page: inline scripts and styles, style attributes, event
    handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append(f"inline <script> at {self.getpos()}")
        if tag == "style":
            self.problems.append(f"<style> at {self.getpos()}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="{value}" on <{tag}> at {self.getpos()}')
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at {self.getpos()}")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at {self.getpos()}")


@pytest.fixture
def urls(app, make_assembly, make_attendee, db):
    """One URL per GET route, with ids that exist (so most pages render for an admin)."""
    from assembly.grouping.models import Group, Table

    assembly = make_assembly()
    group = db.session.scalars(db.select(Group).where(Group.assembly_id == assembly.id)).first()
    table = Table(group_id=group.id, number=1, join_code="HEAD23")
    db.session.add(table)
    db.session.commit()
    person = make_attendee(assembly)
    ids = {
        "assembly_id": assembly.id,
        "user_id": 1,
        "kind": "themes",
        "row_id": assembly.themes[0].id,
        "action": "up",
        "department_code": "81",
        "group_id": group.id,
        "table_id": table.id,
        "attendee_id": person.id,
        "token": person.ticket_token,
        "ticket_token": person.ticket_token,
        "code": "HEAD23",
        "release": app.config["STATIC_RELEASE"],
        "filename": "img/icon.svg",
        "language": "en",
        "names": "table",
    }
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = {arg: ids.get(arg, 1) for arg in rule.arguments}
        found.append(rule.build(values, append_unknown=False)[1])
    return found


def _check_headers(url: str, response) -> list[str]:
    problems = []
    headers = response.headers
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no nosniff")
    if response.mimetype in web.SUBRESOURCE_TYPES:  # never shown as a page: the page's policy
        return problems + ([] if headers.get("Cache-Control") else [f"{url}: no Cache-Control"])
    expected = {
        "Content-Security-Policy": POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            problems.append(f"{url}: {name}={headers.get(name)!r}")
    if headers.get("Referrer-Policy") not in {"same-origin", "no-referrer"}:  # the ticket: none
        problems.append(f"{url}: Referrer-Policy={headers.get('Referrer-Policy')!r}")
    if not headers.get("Cache-Control"):
        problems.append(f"{url}: no Cache-Control")
    if response.mimetype == "text/html" and not re.search(
        r"no-cache|no-store", headers.get("Cache-Control", "")
    ):
        problems.append(f"{url}: HTML cached: {headers.get('Cache-Control')}")
    return problems


def _check_page(url: str, response) -> list[str]:
    if response.mimetype != "text/html" or response.status_code != 200:
        return []
    finder = _InlineFinder()
    finder.feed(response.get_data(as_text=True))
    return [f"{url}: {problem}" for problem in finder.problems]


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_get_route_sends_the_strict_headers_and_no_inline_code(who, urls, client, auth):
    if who == "admin":
        auth.login("admin")
    problems, pages = [], 0
    for url in urls:
        response = client.get(url)
        problems += _check_headers(url, response)
        problems += _check_page(url, response)
        pages += response.mimetype == "text/html" and response.status_code == 200
        response.close()
    assert problems == []
    assert pages >= (5 if who == "anonymous" else 40)  # the walk really rendered pages


def test_error_pages_and_json_refusals_carry_the_headers_too(client, auth):
    for response in (
        client.get("/no-such-page"),
        client.get("/api/assemblies/999999/clock"),
        client.post("/login", data={}),
    ):
        assert _check_headers(response.request.path, response) == []


def test_the_policy_allows_nothing_inline_and_no_other_origin():
    directives = _directives(POLICY)
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in POLICY and "*" not in POLICY and "http" not in POLICY


def test_pages_with_personal_data_are_not_stored(client, auth, make_assembly, make_attendee):
    person = make_attendee(make_assembly())
    ticket = client.get(f"/t/{person.ticket_token}")
    assert ticket.status_code == 200 and "no-cache" in ticket.headers["Cache-Control"]
    assert "private" in ticket.headers["Cache-Control"]
    assert client.get("/login").headers["Cache-Control"] == "no-cache"
    auth.login("admin")
    assert client.get("/assemblies/").headers["Cache-Control"] == "no-store"


def test_static_files_live_under_the_release_and_are_cached_for_a_year(app, client):
    release = app.config["STATIC_RELEASE"]
    page = client.get("/login").get_data(as_text=True)
    assert f'href="/static/{release}/css/app.css"' in page
    response = client.get(f"/static/{release}/css/app.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get(
        f"/static/{release}/css/app.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    js = client.get(f"/static/{release}/vendor/socket.io/socket.io.esm.min.js")
    assert js.mimetype == "text/javascript"


def test_static_files_do_not_vary_with_the_session_cookie(app, client, auth):
    """A log-in does not make the phone's cache fetch the release's files again: they carry
    no ``Vary: Cookie`` and never a session cookie, while pages still do."""
    release = app.config["STATIC_RELEASE"]
    auth.login("admin")
    page = client.get("/assemblies/")
    assert "Cookie" in page.headers["Vary"]
    for path in ("css/app.css", "js/shared/socket.js", "boot/es/table.js"):
        response = client.get(f"/static/{release}/{path}", headers={"Accept-Encoding": "br"})
        assert response.status_code == 200, path
        assert "Cookie" not in response.headers.get("Vary", ""), path
        assert "Set-Cookie" not in response.headers, path
    assert client.get("/assemblies/").status_code == 200  # the session itself is untouched


def test_a_page_of_an_older_release_still_gets_its_files_uncached(client):
    response = client.get("/static/0123456789ab/css/app.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/0123456789ab/../assembly/config.py").status_code == 404
    assert client.get("/static/css/app.css").status_code == 404  # no unversioned copy


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_responses_are_compressed_as_the_client_asks(app, client, accept, encoding, decode):
    release = app.config["STATIC_RELEASE"]
    for url in ("/login", f"/static/{release}/css/app.css"):
        plain = client.get(url).get_data()
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.headers["Content-Encoding"] == encoding, url
        assert "Accept-Encoding" in response.headers["Vary"]
        body = response.get_data()
        assert len(body) < len(plain) / 2 and decode(body) == plain, url
    identity = client.get("/login", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in identity.headers


def test_the_release_changes_with_any_static_file(tmp_path):
    root = tmp_path / "static"
    (root / "js").mkdir(parents=True)
    (root / "js" / "a.js").write_text("one")
    first = web.release_of(root)
    assert web.release_of(root) == first
    (root / "js" / "a.js").write_text("two")
    assert web.release_of(root) != first
    (root / "js" / "a.js").write_text("one")
    (root / "b.css").write_text("")
    assert web.release_of(root) != first


def test_a_page_boots_its_screens_through_one_generated_entry_module(app, client):
    release = app.config["STATIC_RELEASE"]
    page = client.get("/offline").get_data(as_text=True)  # no screens: no scripts at all
    assert "<script" not in page
    spanish = client.get(f"/static/{release}/boot/es/table.js")
    assert spanish.status_code == 200 and spanish.mimetype == "text/javascript"
    assert spanish.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    body = spanish.get_data(as_text=True)
    assert body.startswith('import { start } from "../../js/shared/i18n.js";')
    assert 'import * as screen0 from "../../js/screens/table.js";' in body
    assert 'start([["table", screen0]], {}, "es");' in body
    english = client.get(f"/static/{release}/boot/en/divipola+registration_form.js")
    body = english.get_data(as_text=True)
    assert '"Cargando…": "Loading…"' in body and "screen1" in body
    assert client.get(f"/static/{release}/boot/fr/table.js").status_code == 404
    assert client.get(f"/static/{release}/boot/en/nothing.js").status_code == 404
    assert client.get(f"/static/{release}/boot/en/table+table.js").status_code == 404


def test_the_page_preloads_every_module_its_screens_import(app, client, auth, make_assembly):
    assembly = make_assembly()
    auth.login("admin")
    page = client.get(f"/assemblies/{assembly.id}/desk?desk=Mesa+1").get_data(as_text=True)
    release = app.config["STATIC_RELEASE"]
    preloads = re.findall(r'<link rel="modulepreload" href="/static/[^/]+/([^"]+)">', page)
    for module in ("js/shared/i18n.js", "js/screens/desk.js", "js/shared/socket.js", "js/shared/net.js",
                   "js/shared/tickets.js", "vendor/socket.io/socket.io.esm.min.js"):  # fmt: skip
        assert module in preloads
    assert f'<script type="module" src="/static/{release}/boot/es/desk+shell.js"></script>' in page


def test_scripts_are_served_minified_and_style_sheets_too(app, client):
    release = app.config["STATIC_RELEASE"]
    raw = (web.STATIC_DIR / "js" / "shared" / "socket.js").read_bytes()
    served = client.get(f"/static/{release}/js/shared/socket.js").get_data()
    assert b"// The one way a screen talks" in raw and b"// The one way" not in served
    assert len(served) < len(raw) * 0.8 and b"export class Connection" in served
    vendored = client.get(f"/static/{release}/vendor/socket.io/socket.io.esm.min.js").get_data()
    assert vendored == (web.STATIC_DIR / "vendor/socket.io/socket.io.esm.min.js").read_bytes()
    css = client.get(f"/static/{release}/css/app.css").get_data()
    assert b"/*" not in css
