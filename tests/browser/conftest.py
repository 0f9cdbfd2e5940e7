"""Playwright driving Debian's Chromium against the real server (gunicorn + gevent)."""

import contextlib
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import TEST_PASSWORD
from tests.support.live_server import start_server
from tests.support.services import require_chromium

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(app, database_url, tmp_path_factory):
    server = start_server(
        database_url, secret_key=secrets.token_hex(16), log_dir=tmp_path_factory.mktemp("server")
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: every page reports what its Content-Security-Policy blocked (see watch_csp)
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}` +
      `:${event.lineNumber} ${event.sample}`,
  );
}, true);
"""


def watch_csp(context, found: list) -> None:
    """Collect the CSP violations and CSP console errors of every page of ``context``."""
    context.expose_function("__cspViolation", lambda text: found.append(text))
    context.add_init_script(CSP_WATCH)
    context.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )


@pytest.fixture
def new_page(browser, live_server):
    """New pages in fresh contexts; the test fails if any page broke the CSP (contexts made
    with ``bypass_csp=True``, for axe-core, are not watched: nothing is enforced there)."""
    contexts = []
    violations: list[str] = []

    def make(viewport=LAPTOP, **kwargs):
        # The live server is on 127.0.0.1, a secure context: shell pages would install the
        # service worker, whose fetches page.route cannot see. Only the tests of the worker
        # (test_offline_shell_browser.py) let it run.
        kwargs.setdefault("service_workers", "block")
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, locale="es-CO", **kwargs
        )
        context.set_default_timeout(10_000)
        if not kwargs.get("bypass_csp"):
            watch_csp(context, violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):
                page.evaluate("0")  # let the page's last reports arrive
        context.close()
    assert violations == [], "Content-Security-Policy violations"


def log_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("Usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url("**/assemblies/")


def screenshot(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


#: true once no finite CSS animation or transition is running (an endless one, like an
#: overtime clock's flash, never ends and is not waited for)
ANIMATIONS_DONE = """() => document.getAnimations().every((a) =>
    a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity)"""


#: the board's rotation held: it turns a page every 15 s by default, and a loaded machine can
#: take that long between a test's wait for the settled page and its checks; the tests that
#: turn pages do it themselves (``asambleaBoard.turnPage``)
STILL = "ritmo=120"


def still_board(assembly_id: int) -> str:
    """The projector board's address, its rotation held (:data:`STILL`)."""
    return f"/assemblies/{assembly_id}/board?{STILL}"


def start_a_talk(make_user, make_assembly):
    """A moderator and an assembly whose clock runs its first «talk» step (the speakers list's
    step); ``(moderator, assembly)``."""
    from assembly.agenda import services as agenda
    from assembly.extensions import db

    moderator = make_user("moderator")
    assembly = make_assembly()
    slots = agenda.load_agenda(assembly).slots
    position = next(i for i, s in enumerate(slots) if s.step_kind == "talk")
    agenda.control(moderator, assembly.id, "start", position=position)
    db.session.commit()
    return moderator, assembly


def wait_for_clock(page) -> None:
    """Wait until the page's clock widget has its first snapshot: its socket is up and has
    joined. A command clicked before that is answered «offline» by the page and never sent."""
    page.wait_for_function(
        "() => document.querySelector('[data-clock]')?.assemblyClock?.snapshot()"
    )


def wait_for_plenary_console(page) -> None:
    """Wait until the plenary console has its first state (its rules' sentence replaces «—»):
    its socket is up and has joined, so a button clicked now is sent."""
    page.wait_for_function(
        "() => document.querySelector('[data-rules-text]')?.textContent.trim() !== '—'"
    )


def wait_for_animations(page) -> None:
    """Wait until the entry, joining and bar animations have ended (geometry and pictures are
    taken of the settled page), never a fixed time."""
    page.wait_for_function(ANIMATIONS_DONE)
