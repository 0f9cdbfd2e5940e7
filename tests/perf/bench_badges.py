"""Benchmark of the badge print page (issue 16): a page of 200 badges, each with its ticket QR,
through the real HTTP route of a running server, against the previous way of making the QR in
the same run.

Run from the project root:  .venv/bin/python tests/perf/bench_badges.py [--rounds 3]

Per QR, in this process, on 200 ticket URLs of real length (a LAN address, 43-character
tokens): ``core.qr.qr_svg`` with its cache emptied (every code new) and
:func:`previous_qr_svg`, the code as it was before (qrcode's mask search over its eight masks,
its SVG path factory drawing one square per module, an ElementTree round trip); the ticket
PNG the same two ways.
The page, as on the day: gunicorn with one gevent worker, SQLite (WAL) in a temporary folder,
``rounds`` assemblies of 200 people; GET /assemblies/<id>/badges?all=1 logged in, once per
assembly on a fresh server (every code new), then again (a reprint); the same pages from the
baseline server (tests/perf/badges_baseline_app.py: the same app, the badge route making its
QR the previous way). While each page renders, a second connection asks /healthz every 10 ms:
its worst wait shows whether the page holds the server up. Every QR of the first page is read
back by zxing-cpp and must be its person's ticket URL.
The last line is machine-readable (medians of the rounds):
RESULT badges n=200 page_s=… per_qr_ms=… baseline_per_qr_ms=… baseline_page_s=… reprint_s=…
"""

import argparse
import io
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

N = 200
PASSWORD = "clave-de-banco-123"
PUBLIC_URL = "http://192.168.1.20:5000/"
BADGE = re.compile(
    r'<h2 class="badge-name">([^<]+)<br>.*?<div class="badge-qr">(<svg.*?</svg>)', re.S
)


def previous_qr_svg(data: str, *, label: str = "", border: int = 4) -> str:
    """``core.qr.qr_svg`` as it was before issue 16's work: the baseline."""
    import qrcode
    import qrcode.image.svg
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    root = ET.fromstring(image.to_string(encoding="unicode"))
    for fixed in ("width", "height"):
        root.attrib.pop(fixed, None)
    root.set("role", "img")
    root.set("aria-label", label or data)
    root.set("shape-rendering", "crispEdges")
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    root.set("xmlns", "http://www.w3.org/2000/svg")
    return ET.tostring(root, encoding="unicode")


def previous_qr_png(data: str) -> bytes:
    """The ticket PNG as it was before: qrcode's mask search."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def _per_call_ms(fn, items, before=lambda: None) -> float:
    before()
    started = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - started) / len(items) * 1000


def measure_codes(rounds: int) -> dict:
    """Per QR in this process: the median over ``rounds`` of 200 new ticket URLs each."""
    from assembly.core import qr

    figures = {"svg": [], "base_svg": [], "png": [], "base_png": []}
    sizes = {}
    for _ in range(rounds):
        urls = [f"{PUBLIC_URL}t/{secrets.token_urlsafe(32)}" for _ in range(N)]
        figures["svg"].append(
            _per_call_ms(lambda u: qr.qr_svg(u, label="Código QR"), urls, qr.qr_svg.cache_clear)
        )
        figures["base_svg"].append(
            _per_call_ms(lambda u: previous_qr_svg(u, label="Código QR"), urls)
        )
        figures["png"].append(_per_call_ms(qr.qr_png, urls[:50]))
        figures["base_png"].append(_per_call_ms(previous_qr_png, urls[:50]))
        sizes = {"svg": len(qr.qr_svg(urls[0])), "base_svg": len(previous_qr_svg(urls[0]))}
    medians = {k: statistics.median(v) for k, v in figures.items()}
    print(
        f"  per QR (median of {rounds} x {N} new codes): SVG {medians['svg']:.2f} ms, "
        f"previous way {medians['base_svg']:.2f} ms ({medians['base_svg'] / medians['svg']:.1f}x); "
        f"ticket PNG {medians['png']:.2f} ms, previous way {medians['base_png']:.2f} ms"
    )
    print(f"  one badge's SVG: {sizes['svg']} bytes, previous way {sizes['base_svg']} bytes")
    return medians


def prepare_database(url: str, rounds: int) -> dict:
    """Schema, one organizer; ``rounds`` assemblies of N people each. Returns the assembly
    ids and each person's ticket URL by first names."""
    from datetime import date

    from sqlalchemy import insert, select

    from assembly import create_app
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as auth
    from assembly.extensions import db
    from assembly.registration.domain import normalize_name
    from assembly.registration.models import Attendee

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "TESTING": True,
                      "SOCKETIO_ASYNC_MODE": "threading"})  # fmt: skip
    ids, urls = [], {}
    with app.app_context():
        db.create_all()
        user = auth.create_user(
            username="impresion", display_name="Impresión", password=PASSWORD, role="organizer"
        )
        for k in range(rounds):
            raw = {
                **{key: str(v) for key, v in assemblies.template_defaults().items()},
                "name": f"Asamblea de escarapelas {k + 1}", "date": date(2026, 3, 14).isoformat(),
                "region": "Orinoquía", "venue": "Coliseo", "department_code": "81",
                "municipality_code": "81001",
            }  # fmt: skip
            assembly_id = assemblies.create_from_template(None, raw).id
            auth.grant(user, assembly_id, True)
            rows = []
            for n in range(N):
                first, last = f"Persona{k}x{n:04d}", "Escarapela Impresa"
                rows.append(
                    {
                        "assembly_id": assembly_id, "ticket_token": secrets.token_urlsafe(32),
                        "document_type": "CC", "document_number": str(30_000_000 + k * N + n),
                        "first_names": first, "last_names": last,
                        "name_key": normalize_name(f"{first} {last}"), "sex": "mujer",
                        "department_code": "81", "municipality_code": "81001",
                        "organization_name": f"Asociación {n % 40}", "consent_data": True,
                        "source": "preregistro", "extra_answers": {},
                    }
                )  # fmt: skip
            db.session.execute(insert(Attendee), rows)
            db.session.commit()
            ids.append(assembly_id)
        for first, token in db.session.execute(select(Attendee.first_names, Attendee.ticket_token)):
            urls[first] = f"{PUBLIC_URL}t/{token}"
        db.session.remove()
        db.engine.dispose()
    return {"ids": ids, "urls": urls}


def _timed_page(client, server_url: str, path: str) -> tuple[float, str, float]:
    """GET ``path`` logged in: seconds, the HTML, and the worst /healthz wait meanwhile."""
    waits, done = [], threading.Event()

    def probe():
        while not done.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(f"{server_url}/healthz", timeout=30) as response:
                response.read()
            waits.append(time.perf_counter() - started)
            done.wait(0.01)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        started = time.perf_counter()
        with client.opener.open(server_url + path, timeout=120) as response:  # the old way: ~10 s
            html = response.read().decode()
        seconds = time.perf_counter() - started
    finally:
        done.set()
        prober.join()
    return seconds, html, max(waits) if waits else 0.0


def measure_pages(wsgi: str, label: str, data: dict, folder: Path, database: str) -> dict:
    """Every assembly's page once on a fresh server (new codes), then once more (a reprint)."""
    from tests.support.live_server import Browserless, start_server

    server = start_server(
        database, secret_key=secrets.token_hex(16), log_dir=folder, wsgi=wsgi,
        extra_env={"ASSEMBLY_PUBLIC_URL": PUBLIC_URL},
    )  # fmt: skip
    try:
        client = Browserless(server.url)
        client.login("impresion", PASSWORD)
        client.get(f"/assemblies/{data['ids'][0]}/badges?ids=0")  # templates compiled, no badge
        cold, warm, waits, pages = [], [], [], []
        for assembly_id in data["ids"]:
            seconds, html, wait = _timed_page(
                client, server.url, f"/assemblies/{assembly_id}/badges?all=1"
            )
            cold.append(seconds)
            waits.append(wait)
            pages.append(html)
        for assembly_id in data["ids"]:
            seconds, _, _ = _timed_page(
                client, server.url, f"/assemblies/{assembly_id}/badges?all=1"
            )
            warm.append(seconds)
    finally:
        server.stop()
    badges = BADGE.findall(pages[0])
    if len(badges) != N:
        raise SystemExit(f"{label}: {len(badges)} badges on the page, not {N}")
    result = {
        "page": statistics.median(cold),
        "reprint": statistics.median(warm),
        "wait": max(waits),
        "bytes": len(pages[0].encode()),
        "badges": badges,
    }
    print(
        f"  {label}: page of {N} badges {result['page']:.2f} s (rounds {', '.join(f'{s:.2f}' for s in cold)}), "
        f"reprint {result['reprint']:.2f} s, worst /healthz wait meanwhile "
        f"{result['wait'] * 1000:.0f} ms, {result['bytes'] / 1024:.0f} KB"
    )
    return result


def check_codes(badges: list[tuple[str, str]], urls: dict) -> None:
    """Every badge's QR read back by zxing-cpp is its own person's ticket URL."""
    from tests.support.qr_read import decode_svg

    wrong = [name for name, svg in badges if decode_svg(svg).text != urls[name]]
    print(f"  zxing-cpp read {len(badges) - len(wrong)}/{len(badges)} badge QR codes right")
    if wrong:
        raise SystemExit(f"QR codes that do not read as their ticket URL: {wrong[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="pages (assemblies) and code rounds")
    args = parser.parse_args()
    codes = measure_codes(args.rounds)
    with tempfile.TemporaryDirectory(prefix="bench-badges-") as tmp:
        folder = Path(tmp)
        database = f"sqlite:///{folder / 'bench.db'}"
        data = prepare_database(database, args.rounds)
        new = measure_pages("wsgi:app", "now", data, folder, database)
        check_codes(new["badges"], data["urls"])
        base = measure_pages(
            "tests.perf.badges_baseline_app:app", "previous way", data, folder, database
        )
    print(
        f"RESULT badges n={N} page_s={new['page']:.2f} per_qr_ms={codes['svg']:.2f} "
        f"baseline_per_qr_ms={codes['base_svg']:.2f} baseline_page_s={base['page']:.2f} "
        f"reprint_s={new['reprint']:.2f}"
    )


if __name__ == "__main__":
    main()
