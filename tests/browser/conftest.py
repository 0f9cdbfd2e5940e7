"""Playwright driving Debian's Chromium against the real server (gunicorn + gevent)."""

import secrets
from pathlib import Path

import pytest

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


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(viewport=LAPTOP, **kwargs):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, locale="es-CO", **kwargs
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


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
