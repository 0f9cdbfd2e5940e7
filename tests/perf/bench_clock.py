"""Benchmark of the one clock: do three Chromium screens show the same remaining time?

Run from the project root:  .venv/bin/python tests/perf/bench_clock.py [--seconds 60]

Starts the real server (gunicorn + gevent) on a temporary SQLite database, opens the
moderator console (laptop), the projector (1920×1080) and the registration desk (which
includes the clock widget) in three Chromium pages, each logged in with its own session
and socket. Over the run the console starts the agenda, pauses, resumes and extends by
5 minutes through its buttons. Every 0.5 s each page is asked for the remaining time its
widget computes (``element.assemblyClock.clock.remaining()``) and the text it shows; the
three reads happen a few milliseconds apart, so each is brought back to the first read's
instant with the pages' common machine clock. Printed:

* the largest difference between the screens' exact remaining times (ms), and between the
  mm:ss texts they show (s);
* baseline, measured in the same run: the same page read twice in a row and corrected the
  same way — the floor of this measurement (read jitter), not of the clock.

The last line is machine-readable: RESULT clock screens=3 max_diff_ms=…
"""

import argparse
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.conftest import CHROMIUM_ARGS  # after the sys.path line above
from tests.support.live_server import start_server
from tests.support.services import CHROMIUM

PASSWORD = "reloj-de-prueba-123"
SAMPLE_EVERY = 0.5
READ = """() => {
  const el = document.querySelector('[data-clock]');
  const api = el && el.assemblyClock;
  return [api ? api.clock.remaining() : null,
          el.querySelector('[data-clock-time]').textContent, Date.now() / 1000];
}"""


def prepare_database(path: Path) -> tuple[str, int]:
    """A fresh schema with one admin and one assembly from the methodology template."""
    from assembly import create_app
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as accounts
    from assembly.extensions import db

    url = f"sqlite:///{path}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(8),
            "DATABASE_URL": url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": "",
        }
    )
    with app.app_context():
        db.create_all()
        accounts.create_user(
            username="moderacion", display_name="Moderación", password=PASSWORD, role="admin"
        )
        raw = {k: str(v) for k, v in assemblies.template_defaults().items()}
        raw.update(name="Asamblea de medición", date="2026-03-14", region="Orinoquía")
        raw.update(venue="Coliseo", department_code="81", municipality_code="81001")
        assembly = assemblies.create_from_template(None, raw)
        db.session.commit()
        assembly_id = assembly.id
        db.engine.dispose()
    return url, assembly_id


def mmss(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    minutes, seconds = text.lstrip("-").split(":")
    return sign * (int(minutes) * 60 + int(seconds))


def sample(pages) -> tuple[list[float], list[int], float]:
    """(exact remaining per page at the first read's instant, shown seconds, baseline jitter)."""
    reads = [page.evaluate(READ) for page in pages]
    again = pages[0].evaluate(READ)
    t0 = reads[0][2]
    exact = [remaining + (at - t0) for remaining, _, at in reads]
    shown = [mmss(text) for _, text, _ in reads]
    jitter = abs((again[0] + (again[2] - t0)) - reads[0][0])
    return exact, shown, jitter


def run(seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="bench-clock-"))
    url, assembly_id = prepare_database(workdir / "bench.db")
    server = start_server(url, secret_key=secrets.token_hex(16), log_dir=workdir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            screens = [
                ("console", {"width": 1366, "height": 768}, f"/assemblies/{assembly_id}/console"),
                ("projector", {"width": 1920, "height": 1080}, f"/assemblies/{assembly_id}/projector"),
                ("desk", {"width": 1366, "height": 768}, f"/assemblies/{assembly_id}/desk?desk=Mesa%201"),
            ]  # fmt: skip
            pages = []
            for _, viewport, path in screens:
                context = browser.new_context(
                    viewport=viewport, base_url=server.url, locale="es-CO"
                )
                context.set_default_timeout(15_000)
                page = context.new_page()
                page.goto("/login")
                page.get_by_label("Usuario").fill("moderacion")
                page.get_by_label("Contraseña").fill(PASSWORD)
                page.get_by_role("button", name="Entrar").click()
                page.wait_for_url("**/assemblies/")
                page.goto(path)
                page.wait_for_function(
                    "() => document.querySelector('[data-clock]')?.assemblyClock?.snapshot() != null"
                )
                pages.append(page)
            console = pages[0]
            # Each page measures its offset to the server on load (GET /api/time, 5 samples).
            time.sleep(1.5)

            plan = [
                (0.0, "start", lambda: console.get_by_role("button", name="Iniciar la agenda").click()),
                (seconds / 3, "pause", lambda: console.get_by_role("button", name="Pausar").click()),
                (seconds / 2, "resume", lambda: console.get_by_role("button", name="Reanudar").click()),
                (2 * seconds / 3, "+5 min", lambda: console.get_by_role("button", name="+5 min").click()),
            ]  # fmt: skip
            max_exact, max_shown, max_jitter, samples = 0.0, 0, 0.0, 0
            settle_until = 0.0
            begin = time.monotonic()
            while (elapsed := time.monotonic() - begin) < seconds:
                while plan and plan[0][0] <= elapsed:
                    _, name, act = plan.pop(0)
                    act()
                    print(f"{elapsed:6.1f}s  {name}", flush=True)
                    # Skip samples while the broadcast is on its way (a screen still showing
                    # the previous state is delivery latency, not clock disagreement).
                    settle_until = elapsed + 1.0
                if elapsed >= settle_until:
                    exact, shown, jitter = sample(pages)
                    if all(value is not None for value in exact):
                        samples += 1
                        max_exact = max(max_exact, max(exact) - min(exact))
                        max_shown = max(max_shown, max(shown) - min(shown))
                        max_jitter = max(max_jitter, jitter)
                time.sleep(SAMPLE_EVERY)
            final = [page.evaluate(READ)[1] for page in pages]
            browser.close()
    finally:
        server.stop()

    print(f"screens: {', '.join(name for name, _, _ in screens)}; samples: {samples}")
    print(f"shown at the end: {final}")
    print(f"baseline (same page read twice): max {max_jitter * 1000:.1f} ms")
    print(f"max difference of exact remaining time: {max_exact * 1000:.1f} ms")
    print(f"max difference of the mm:ss shown: {max_shown} s")
    print(f"RESULT clock screens=3 max_diff_ms={max_exact * 1000:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run (60)")
    run(parser.parse_args().seconds)


if __name__ == "__main__":
    main()
