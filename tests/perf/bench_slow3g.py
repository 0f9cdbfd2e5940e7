"""Slow 3G first loads (issue 13.7): Chromium with CDP network throttling (400 ms RTT,
400 kbit/s both ways), empty cache, for /mesa, the table page, the ticket page and the desk.

Prints each page's transferred bytes and the milliseconds from navigation to the first usable
input (a visible, enabled input or textarea), and a bare baseline: a static HTML page with one
input, same throttling, same run. Standalone: seeds the demo (day running) into a temporary
SQLite database and starts the production server (gunicorn, gevent) itself.

    .venv/bin/python tests/perf/bench_slow3g.py

Last line: RESULT slow3g mesa_bytes=… mesa_ms=… table_bytes=… table_ms=… ticket_ms=… baseline_ms=…
"""

import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playwright.sync_api import sync_playwright

from tests.support.live_server import PROJECT_ROOT, start_server

SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms round trip
    "downloadThroughput": 400 * 1000 / 8,  # bytes/s
    "uploadThroughput": 400 * 1000 / 8,
}
USABLE = (
    "input:not([type=hidden]):not([disabled]):visible, textarea:not([disabled]):visible, "
    "select:not([disabled]):visible"
)
BASELINE_HTML = (
    b"<!doctype html><html lang=es><meta charset=utf-8>"
    b"<meta name=viewport content='width=device-width'><title>base</title>"
    b"<label>Texto <input id=x></label></html>"
)


class _Baseline(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(BASELINE_HTML)))
        self.end_headers()
        self.wfile.write(BASELINE_HTML)

    def log_message(self, *_):
        pass


TICKET_READY = "(() => { const i = document.querySelector('img.ticket-qr');"
TICKET_READY += " return !!(i && i.complete && i.naturalWidth > 0); })()"


def _measure(browser, url, *, storage_state=None, ready_js=None):
    """(bytes, ms to the first usable input) of a first load with an empty cache; the ticket
    page has no input: its moment is the QR image shown (``ready_js``)."""
    # Phones on the venue's plain-HTTP LAN get no service worker (secure contexts only); the
    # benchmark's 127.0.0.1 would be one, so it is blocked to measure what a phone gets.
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        storage_state=storage_state,
        bypass_csp=True,
        service_workers="block",
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    received = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="commit")
    if ready_js:
        page.wait_for_function(ready_js, timeout=30_000)
    else:
        page.locator(USABLE).first.wait_for(state="visible", timeout=30_000)
    ms = page.evaluate("performance.now()")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # late requests started by the page's scripts finish counting
    total = sum(received.values())
    context.close()
    return total, round(ms)


def _seed(database_url: str) -> None:
    env = {**os.environ, "ASSEMBLY_DATABASE_URL": database_url, "FLASK_APP": "wsgi"}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], check=True, cwd=PROJECT_ROOT, env=env)
    subprocess.run(
        [*flask, "assembly", "seed-demo", "--state", "dia"], check=True, cwd=PROJECT_ROOT, env=env
    )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench_slow3g-"))
    db_path = workdir / "bench.db"
    database_url = f"sqlite:///{db_path}"
    _seed(database_url)
    with sqlite3.connect(db_path) as con:
        (assembly_id,) = con.execute("SELECT id FROM assemblies ORDER BY id LIMIT 1").fetchone()
        (code,) = con.execute(
            "SELECT join_code FROM tables WHERE join_code IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        (token,) = con.execute(
            "SELECT ticket_token FROM attendees WHERE assembly_id = ? ORDER BY id LIMIT 1",
            (assembly_id,),
        ).fetchone()
    server = start_server(database_url, secret_key=secrets.token_hex(16), log_dir=workdir)
    baseline = ThreadingHTTPServer(("127.0.0.1", 0), _Baseline)
    threading.Thread(target=baseline.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox"],
            )
            staff = browser.new_context()
            login = staff.new_page()
            login.goto(f"{server.url}/login")
            login.fill("input[name=username]", "organizador")
            password = os.environ.get("ASSEMBLY_DEMO_ADMIN_PASSWORD", "asamblea-demo")
            login.fill("input[name=password]", password)
            login.click("button[type=submit]")
            login.wait_for_load_state("load")
            state = staff.storage_state()
            staff.close()
            results = {
                "mesa": _measure(browser, f"{server.url}/mesa"),
                "table": _measure(browser, f"{server.url}/mesa/{code}"),
                "ticket": _measure(browser, f"{server.url}/t/{token}", ready_js=TICKET_READY),
                "desk": _measure(
                    browser, f"{server.url}/assemblies/{assembly_id}/desk", storage_state=state
                ),
                "baseline": _measure(browser, f"http://127.0.0.1:{baseline.server_port}/"),
            }
            browser.close()
    finally:
        baseline.shutdown()
        server.stop()
    for name, (size, ms) in results.items():
        print(
            f"{name:9s} {size:8d} bytes {ms:6d} ms to the first usable input (ticket: its QR shown)"
        )
    print(
        "RESULT slow3g "
        f"mesa_bytes={results['mesa'][0]} mesa_ms={results['mesa'][1]} "
        f"table_bytes={results['table'][0]} table_ms={results['table'][1]} "
        f"ticket_ms={results['ticket'][1]} baseline_ms={results['baseline'][1]}"
    )


if __name__ == "__main__":
    main()
