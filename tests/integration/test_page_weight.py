"""Light pages (issue 13.2): what a phone downloads on its first visit, compressed as Chromium
asks (brotli), counted from the HTML through every stylesheet, image, module and module import.
Goals: the leaders' page under 35 KB, the ticket page under 25 KB. tests/browser/
test_page_weight_browser.py measures the same in Chromium, response headers included."""

import posixpath
import re

from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table

LEADER_BUDGET = 35 * 1024
TICKET_BUDGET = 25 * 1024
ACCEPT = {"Accept-Encoding": "gzip, deflate, br, zstd"}
#: what the browser fetches by itself: style sheets, icons, preloads, scripts, images (not links)
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"')
IMPORT = re.compile(r"""(?:^|;|\n)\s*(?:import|export)\b[^;"'`]*?["']([^"']+\.js)["']""")


def _first_visit(client, url: str) -> dict[str, int]:
    """Bytes on the wire (body) of the page and of everything it loads."""
    page = client.get(url, headers=ACCEPT)
    assert page.status_code == 200
    sizes = {url: len(page.get_data())}
    html = client.get(url).get_data(as_text=True)
    queue = ASSET.findall(html)
    while queue:
        asset = queue.pop()
        if asset in sizes:
            continue
        response = client.get(asset, headers=ACCEPT)
        assert response.status_code == 200, asset
        sizes[asset] = len(response.get_data())
        if asset.endswith(".js"):
            source = client.get(asset).get_data(as_text=True)
            for target in IMPORT.findall(source):
                queue.append(posixpath.normpath(posixpath.join(posixpath.dirname(asset), target)))
        response.close()
    return sizes


def _report(name: str, sizes: dict[str, int]) -> int:
    total = sum(sizes.values())
    print(f"{name}: {total / 1024:.1f} KB brotli", sorted(sizes.items(), key=lambda kv: -kv[1]))
    return total


def test_the_leader_page_is_under_35_kb_on_first_load(app, client, make_assembly):
    assembly = make_assembly()
    group = _db.session.scalar(select(Group).where(Group.assembly_id == assembly.id))
    _db.session.add(Table(group_id=group.id, number=1, join_code="PESA22", capacity=20))
    _db.session.commit()
    sizes = _first_visit(client, "/mesa/PESA22")
    release = app.config["STATIC_RELEASE"]
    assert f"/static/{release}/js/screens/table.js" in sizes
    assert f"/static/{release}/vendor/socket.io/socket.io.esm.min.js" in sizes
    assert not any("jsqr" in url.lower() for url in sizes)  # the QR scanner is never loaded
    assert _report("leader page", sizes) < LEADER_BUDGET


def test_the_ticket_page_is_under_25_kb_on_first_load(client, make_assembly, make_attendee):
    person = make_attendee(make_assembly())
    sizes = _first_visit(client, f"/t/{person.ticket_token}")
    assert f"/t/{person.ticket_token}.png" in sizes  # the QR image counts too
    assert _report("ticket page", sizes) < TICKET_BUDGET
