"""Benchmark of the plenary board: frames while NEW pieces pour in, against the same page idle.

Run from the project root:  nice -n 10 .venv/bin/python tests/perf/bench_board.py

A board that already holds 150 pieces (5 mesas x 5 sub-tables, need -> solution -> plan
chains), then 600, in Chromium at 1920x1080. The needs step of the agenda clock is open and
fresh sub-tables write NEW needs at 10 per second, round-robin over the sub-tables of every
mesa (one arrival in each mesa in turn, the one on screen included), as real
python-socketio clients with their ``table_code`` (``submit_piece``): the server stores each
and broadcasts ``piece_saved`` to the board room, exactly as in the hall. Frames are counted
with requestAnimationFrame over SECONDS, main-thread busy time is Chromium's own TaskDuration
(DevTools Performance metrics), and the smallest computed font size of any visible text is
read at the end. Baseline, same run: the same page with the same pieces and no arrivals
(headless Chromium without a GPU on a shared 2-core machine sets its own ceiling).

Then page turns to pages not shown yet: the longest frame of each turn (until its last text is
fitted), with the fitting spread over frames (board_fit.js fitSoon, 8 ms a frame) and, as the
same run's baseline, all at once.

Last line:
RESULT board pieces=150 fps=… idle_fps=… fps_600=… idle_fps_600=… busy_pct=… min_font_px=…
turn_ms_600=… turn_ms_600_at_once=…
(busy_pct: the main thread's busy share while pieces arrive on the 600-piece board).
"""

import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assembly import create_app  # after the sys.path line above
from assembly.extensions import db
from tests.support.board_measure import MIN_FONT
from tests.support.board_seed import seed_pieces
from tests.support.live_server import start_server
from tests.support.services import require_chromium

SECONDS = 10
RATE = 10  # new pieces per second
TURNS_EACH = 6  # page turns measured each way
PASSWORD = "clave-de-bench-123"
SHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"  # ignored by git

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
  return { frames: intervals.length, elapsed: (last - start) / 1000, intervals };
}
"""


#: ``turns`` page turns, each measured from the turn until its last text is fitted: the
#: longest frame of each (the fitting spread over frames, or with ``budget`` Infinity all at
#: once, as before: the same run's baseline)
TURNS = """
async ([turns, budget]) => {
  const board = window.asambleaBoard;
  board.setFitBudget(budget);
  const worst = [];
  for (let i = 0; i < turns; i += 1) {
    const frames = [];
    let last = performance.now();
    board.turnPage(1);
    await new Promise((done) => {
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (frames.length > 2 && board.fitsPending() === 0) done();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    worst.push(Math.max(...frames));
    await new Promise((done) => setTimeout(done, 250));
  }
  board.setFitBudget(8);
  return worst;
}
"""


def make_app(path: Path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(8),
            "DATABASE_URL": f"sqlite:///{path}",
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": "",
        }
    )


def build_database(path: Path, pieces: int) -> dict:
    """The assembly, a national moderator, ``pieces`` pieces; the needs step opened."""
    from assembly.agenda import services as agenda
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as auth

    app = make_app(path)
    with app.app_context():
        db.create_all()
        moderator = auth.create_user(
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
        seed_pieces(assembly, pieces)
        slots = agenda.load_agenda(assembly).slots
        position = next(i for i, slot in enumerate(slots) if slot.step_kind == "needs")
        agenda.control(moderator, assembly.id, "start", position=position)
        db.session.commit()
        assert agenda.open_piece_kinds(assembly.id) == {"need"}
        result = {"assembly_id": assembly.id}
        db.session.remove()
        db.engine.dispose()
    return result


def add_pieces(path: Path, assembly_id: int, count: int) -> None:
    from assembly.assemblies.models import Assembly

    app = make_app(path)
    with app.app_context():
        seed_pieces(db.session.get(Assembly, assembly_id), count)
        db.session.remove()
        db.engine.dispose()


def writer_codes(path: Path, assembly_id: int, first: int, last: int) -> list[str]:
    """Sub-tables ``first``..``last`` of every mesa, still without pieces: the writers (a
    sub-table writes at most two needs, so each run needs fresh ones, as in the hall)."""
    from assembly.assemblies.models import Assembly
    from tests.support.board_seed import tables_for

    app = make_app(path)
    with app.app_context():
        from assembly.puzzle.models import Piece

        tables = tables_for(db.session.get(Assembly, assembly_id), last)
        used = set(db.session.scalars(db.select(Piece.table_id).distinct()))
        # every mesa writes at once, as in the hall: the arrivals alternate between the mesas
        tables.sort(key=lambda t: (t.number, t.group.number))
        codes = [t.join_code for t in tables if first <= t.number <= last and t.id not in used]
        db.session.remove()
        db.engine.dispose()
    return codes


def writers(server_url: str, codes: list[str]) -> list:
    """One connected python-socketio client per sub-table (its table_code)."""
    import socketio

    clients = []
    for code in codes:
        client = socketio.SimpleClient()
        client.connect(
            server_url, auth={"table_code": code}, transports=["websocket"], wait_timeout=30
        )
        clients.append(client)
    return clients


def write_new_pieces(clients: list, stop: threading.Event, sent: list, failed: list) -> None:
    """A NEW need every 1/RATE s, round-robin over the sub-tables, until ``stop``."""
    i = 0
    next_at = time.monotonic()
    while not stop.is_set():
        client = clients[i % len(clients)]
        piece = {"id": str(uuid.uuid4()), "kind": "need", "text": f"Necesidad nueva número {i}"}
        ack = client.call("submit_piece", piece, timeout=10)
        (sent if ack and ack.get("ok", True) and ack.get("piece") else failed).append(ack)
        i += 1
        next_at += 1 / RATE
        stop.wait(max(0.0, next_at - time.monotonic()))


def task_seconds(cdp) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def measure(page, cdp) -> dict:
    busy0, t0 = task_seconds(cdp), time.monotonic()
    run = page.evaluate(MEASURE, SECONDS)
    busy = (task_seconds(cdp) - busy0) / (time.monotonic() - t0)
    intervals = sorted(run["intervals"][1:])
    return {
        "fps": run["frames"] / run["elapsed"],
        "median": statistics.median(intervals),
        "p95": intervals[int(len(intervals) * 0.95)],
        "slow": sum(1 for x in intervals if x > 50),
        "busy": busy * 100,
    }


def show(label: str, m: dict) -> None:
    print(
        f"{label:<34} fps={m['fps']:5.1f}  frame median={m['median']:5.1f} ms  "
        f"p95={m['p95']:5.1f} ms  frames>50ms={m['slow']:3d}  main thread busy={m['busy']:4.1f} %"
    )


def run_board(page, cdp, server_url, setup, total: int, codes) -> tuple[dict, dict, float]:
    page.goto(f"/assemblies/{setup['assembly_id']}/board")
    page.wait_for_function(
        f"() => window.asambleaBoard && window.asambleaBoard.state.pieces.size === {total}"
        " && document.querySelectorAll('.board-stage .piece').length > 0"
    )
    page.wait_for_timeout(1500)
    idle = measure(page, cdp)
    clients = writers(server_url, codes)
    stop, sent, failed = threading.Event(), [], []
    thread = threading.Thread(target=write_new_pieces, args=(clients, stop, sent, failed))
    thread.start()
    try:
        live = measure(page, cdp)
    finally:
        stop.set()
        thread.join()
    expected = total + len(sent)
    page.wait_for_function(
        f"() => window.asambleaBoard.state.pieces.size === {expected}", timeout=15000
    )
    min_font = page.evaluate(MIN_FONT)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"bench-board-{total}.png"))
    pages = page.evaluate("window.asambleaBoard.pages().length")
    if failed:
        print("refused, e.g.:", failed[0])
    for client in clients:
        client.disconnect()
    print(
        f"board with {total} pieces: {len(sent)} new pieces sent ({len(failed)} refused), all "
        f"{expected} on the board; {pages} pages; smallest text {min_font['min']} px "
        f"({min_font['where']})"
    )
    show(f"  idle ({total} pieces)", idle)
    show(f"  new pieces at {RATE}/s", live)
    print(f"  live / idle = {live['fps'] / idle['fps']:.2f}")
    # page turns to pages not shown yet (nothing cached): all at once, then spread over frames
    at_once = statistics.median(page.evaluate(TURNS, [TURNS_EACH, float("inf")]))
    spread = statistics.median(page.evaluate(TURNS, [TURNS_EACH, 8]))
    print(
        f"  page turn, longest frame (median of {TURNS_EACH}): fitted at once {at_once:5.1f} ms,"
        f" spread over frames {spread:5.1f} ms"
    )
    live["turn"], live["turn_at_once"] = spread, at_once
    return idle, live, min_font["min"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    chromium = require_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        database = tmp_path / "bench.db"
        setup = build_database(database, 150)
        server = start_server(
            f"sqlite:///{database}", secret_key=secrets.token_hex(16), log_dir=tmp_path
        )
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(
                    viewport={"width": 1920, "height": 1080}, base_url=server.url, locale="es-CO"
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto("/login")
                page.get_by_label("Usuario").fill("moderacion")
                page.get_by_label("Contraseña").fill(PASSWORD)
                page.get_by_role("button", name="Entrar").click()
                page.wait_for_url("**/assemblies/")
                print(f"Chromium 1920x1080, {SECONDS} s per run, new pieces at {RATE}/s")
                codes = writer_codes(database, setup["assembly_id"], 6, 25)
                idle150, live150, font150 = run_board(page, cdp, server.url, setup, 150, codes)
                on_board = page.evaluate("window.asambleaBoard.state.pieces.size")
                add_pieces(database, setup["assembly_id"], 600 - on_board)
                codes = writer_codes(database, setup["assembly_id"], 26, 45)
                idle600, live600, font600 = run_board(page, cdp, server.url, setup, 600, codes)
                browser.close()
        finally:
            server.stop()
    print(
        f"RESULT board pieces=150 fps={live150['fps']:.1f} idle_fps={idle150['fps']:.1f} "
        f"fps_600={live600['fps']:.1f} idle_fps_600={idle600['fps']:.1f} "
        f"busy_pct={live600['busy']:.0f} min_font_px={min(font150, font600):g} "
        f"turn_ms_600={live600['turn']:.0f} turn_ms_600_at_once={live600['turn_at_once']:.0f}"
    )


if __name__ == "__main__":
    main()
