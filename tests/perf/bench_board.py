"""Benchmark of the plenary board: frames per second in Chromium with 150 pieces on screen,
first idle (the baseline) and then while the server pushes a live update every 100 ms.

Run from the project root:  .venv/bin/python tests/perf/bench_board.py

The updates are real: a moderator's HTTP client amends a piece every 100 ms (alternating a
short and a very long text, so the board must re-fit the text each time); the server stores
it and broadcasts ``piece_saved`` to the board room, exactly as in the plenary.  Frames are
counted with requestAnimationFrame and timed with performance.now() over ~10 s at 1920×1080.
The last line is machine-readable:
RESULT board pieces=150 fps=…
"""

import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assembly import create_app  # after the sys.path line above
from assembly.extensions import db
from tests.support.board_seed import seed_pieces
from tests.support.live_server import Browserless, start_server
from tests.support.services import require_chromium

PIECES = 150
SECONDS = 10
INTERVAL = 0.1
PASSWORD = "clave-de-bench-123"
LONG = (
    "Fortalecer la red de organizaciones solidarias del departamento con encuentros "
    "trimestrales, un fondo rotatorio y acompañamiento técnico en cada municipio, "
    "con prioridad para mujeres, jóvenes y víctimas del conflicto"
)

MEASURE = """
async (seconds) => {
  const intervals = [];
  let last = performance.now();
  const start = last;
  await new Promise((done) => {
    const tick = (now) => {
      intervals.push(now - last);
      last = now;
      if (now - start < seconds * 1000) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  const elapsed = (last - start) / 1000;
  return { frames: intervals.length, elapsed, intervals };
}
"""


def build_database(path: Path) -> tuple[int, str, list[str]]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(8),
            "DATABASE_URL": f"sqlite:///{path}",
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": "",
        }
    )
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as auth

    with app.app_context():
        db.create_all()
        auth.create_user(
            username="moderacion",
            display_name="Moderación",
            password=PASSWORD,
            role="moderator",
            all_assemblies=True,
        )
        raw = {
            **{k: str(v) for k, v in assemblies.template_defaults().items()},
            "name": "Asamblea de medición",
            "date": date(2026, 3, 14).isoformat(),
            "region": "Orinoquía",
            "venue": "Coliseo",
        }
        assembly = assemblies.create_from_template(None, raw)
        db.session.commit()
        pieces = seed_pieces(assembly, PIECES)
        targets = [p.id for p in pieces if p.kind == "need"][:10]
        result = assembly.id, targets
        db.session.remove()
        db.engine.dispose()
    return result


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def updater(
    server_url: str, assembly_id: int, targets: list[str], stop: threading.Event, sent: list
):
    """Amend a piece every INTERVAL seconds until ``stop``; records the send times."""
    client = Browserless(server_url)
    client.login("moderacion", PASSWORD)
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(client.cookies), _NoRedirect
    )
    page = client.get(f"/assemblies/{assembly_id}/piezas/{targets[0]}/enmendar")
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    i = 0
    next_at = time.monotonic()
    while not stop.is_set():
        piece_id = targets[i % len(targets)]
        text = LONG if (i // len(targets)) % 2 == 0 else f"Necesidad breve {i}"
        body = urllib.parse.urlencode(
            {"csrf_token": token, "text": text, "reason": "medición"}
        ).encode()
        request = urllib.request.Request(
            f"{server_url}/assemblies/{assembly_id}/piezas/{piece_id}/enmendar", data=body
        )
        try:
            opener.open(request, timeout=5)
        except urllib.error.HTTPError as error:
            if error.code != 302:
                raise
        sent.append(time.monotonic())
        i += 1
        next_at += INTERVAL
        stop.wait(max(0.0, next_at - time.monotonic()))


def summarise(label: str, run: dict) -> float:
    intervals = sorted(run["intervals"][1:])
    fps = run["frames"] / run["elapsed"]
    p95 = intervals[int(len(intervals) * 0.95)] if intervals else 0
    slow = sum(1 for x in intervals if x > 50)
    print(
        f"{label:<28} fps={fps:6.1f}  frame median={statistics.median(intervals):5.1f} ms"
        f"  p95={p95:5.1f} ms  frames>50ms={slow}"
    )
    return fps


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    chromium = require_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        assembly_id, targets = build_database(tmp_path / "bench.db")
        server = start_server(
            f"sqlite:///{tmp_path / 'bench.db'}", secret_key=secrets.token_hex(16), log_dir=tmp_path
        )
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(
                    viewport={"width": 1920, "height": 1080}, base_url=server.url, locale="es-CO"
                )
                page = context.new_page()
                page.goto("/login")
                page.get_by_label("Usuario").fill("moderacion")
                page.get_by_label("Contraseña").fill(PASSWORD)
                page.get_by_role("button", name="Entrar").click()
                page.wait_for_url("**/assemblies/")
                page.goto(f"/assemblies/{assembly_id}/board")
                page.wait_for_function(
                    f"() => document.querySelectorAll('.board-stage .piece').length === {PIECES}"
                )
                page.wait_for_timeout(1500)
                page.evaluate(
                    "() => { window.__updates = 0;"
                    " window.asambleaBoard.socket.on('piece_saved', () => window.__updates++); }"
                )
                print(f"board with {PIECES} pieces at 1920x1080, {SECONDS} s per run")
                baseline = summarise("baseline (no updates)", page.evaluate(MEASURE, SECONDS))

                stop, sent = threading.Event(), []
                thread = threading.Thread(
                    target=updater, args=(server.url, assembly_id, targets, stop, sent)
                )
                thread.start()
                time.sleep(1.0)  # the updater logs in first
                try:
                    live_run = page.evaluate(MEASURE, SECONDS)
                finally:
                    stop.set()
                    thread.join()
                page.wait_for_timeout(500)
                received = page.evaluate("window.__updates")
                live = summarise("live (update every 100 ms)", live_run)
                rate = len(sent) / (sent[-1] - sent[0]) if len(sent) > 1 else 0
                print(f"updates sent={len(sent)} ({rate:.1f}/s) received by the board={received}")
                overflow = page.evaluate(
                    """() => [...document.querySelectorAll('.board-stage .piece-text')]
                        .filter(b => b.scrollHeight > b.clientHeight + 1).length"""
                )
                print(f"pieces whose text overflows after the run: {overflow}")
                print(f"live / baseline = {live / baseline:.2f}")
                browser.close()
        finally:
            server.stop()
    print(f"RESULT board pieces={PIECES} fps={live:.1f}")


if __name__ == "__main__":
    main()
