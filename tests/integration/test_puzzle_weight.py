"""The leaders' page must stay light for low-end phones on bad 3G: < 100 KB compressed."""

import gzip
import posixpath
import re

from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table

BUDGET = 100 * 1024
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
IMPORT = re.compile(r'(?:from\s*|import\s*\(\s*)"([^"]+\.js)"')


def _assets(client, html: str) -> dict[str, bytes]:
    """Every static file the page loads: its links and scripts, and what those modules import."""
    found, queue = {}, [u for u in ASSET.findall(html) if not u.endswith((".svg", ".png"))]
    while queue:
        url = queue.pop()
        if url in found:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response.get_data()
        response.close()
        if url.endswith(".js"):
            for target in IMPORT.findall(found[url].decode()):
                queue.append(
                    target
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(posixpath.dirname(url), target))
                )
    return found


def test_leader_page_weighs_under_100_kb_compressed(app, client, make_assembly):
    assembly = make_assembly()
    group = _db.session.scalar(select(Group).where(Group.assembly_id == assembly.id))
    _db.session.add(Table(group_id=group.id, number=1, join_code="PESA22", capacity=20))
    _db.session.commit()
    html = client.get("/mesa/PESA22").get_data()
    assets = _assets(client, html.decode())
    assert "/static/" + app.config["STATIC_RELEASE"] + "/js/table.js" in assets
    assert (
        "/static/" + app.config["STATIC_RELEASE"] + "/vendor/socket.io/socket.io.esm.min.js"
        in assets
    )
    assert not any("jsqr" in url.lower() for url in assets)  # the QR scanner is never loaded
    sizes = {url: len(gzip.compress(body, 6)) for url, body in assets.items()}
    total = len(gzip.compress(html, 6)) + sum(sizes.values())
    print(f"leader page: {total / 1024:.1f} KB gzip", sizes)
    assert total < BUDGET, sizes
