"""`asamblea serve` over HTTPS (ASSEMBLY_TLS_CERT / ASSEMBLY_TLS_KEY, issue 13.3b): the real
gunicorn command with a certificate made here; pages, the room's address and Socket.IO's
websocket all go through TLS, and the page is a secure context."""

import os
import secrets
import shutil
import ssl
import subprocess
import time
import urllib.request

import pytest
import socketio

from assembly.extensions import db as _db
from assembly.serving import gunicorn_command, tls_files
from tests.browser.conftest import CHROMIUM_ARGS
from tests.support.live_server import free_port
from tests.support.services import require, require_chromium


@pytest.fixture
def https_server(app, database_url, tmp_path):
    openssl = shutil.which("openssl")
    require(bool(openssl), "openssl makes the test's certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    environ = {"ASSEMBLY_TLS_CERT": str(cert), "ASSEMBLY_TLS_KEY": str(key)}
    port = free_port()
    env = {
        **os.environ,
        **environ,
        "ASSEMBLY_DATABASE_URL": database_url,
        "ASSEMBLY_SECRET_KEY": secrets.token_hex(16),
        "ASSEMBLY_ENV": "production",
        "ASSEMBLY_DB_POOL_SIZE": "1",
        "ASSEMBLY_REDIS_URL": "",
    }
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - the server writes it until stopped
    process = subprocess.Popen(
        gunicorn_command("127.0.0.1", port, 200, tls_files(environ)),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"https://127.0.0.1:{port}"
    trusted = ssl.create_default_context(cafile=str(cert))  # the test trusts its own certificate
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1, context=trusted) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
        yield url, trusted, str(cert)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.mark.slow  # a TLS server of its own (~15 s)
def test_serve_over_https_pages_sockets_and_a_secure_context(https_server, browser, make_assembly):
    url, trusted, _cert = https_server
    assembly = make_assembly()
    assembly_id, board_token = assembly.id, assembly.board_token
    _db.session.rollback()  # never hold a read open while the server works
    # plain HTTP on the same port is not served
    with pytest.raises(OSError):
        urllib.request.urlopen(url.replace("https", "http") + "/healthz", timeout=2)
    with urllib.request.urlopen(f"{url}/sw.js", context=trusted) as response:
        assert response.read().startswith(b"self.ASSEMBLY = {")

    # the board's websocket through TLS (the certificate checked by the client)
    client = socketio.Client(reconnection=False, ssl_verify=False)
    client.connect(url, auth={"board": board_token}, transports=["websocket"])
    try:
        assert client.transport() == "websocket"
        assert client.call("join_board", {"assembly_id": assembly_id}, timeout=10)["ok"]
    finally:
        client.disconnect()

    # A certificate the phone does not trust (self-signed, clicked through): a secure
    # context, but Chrome refuses the service worker (README, "HTTPS on the LAN").
    context = browser.new_context(ignore_https_errors=True, service_workers="allow")
    try:
        page = context.new_page()
        page.goto(f"{url}/mesa")
        assert page.evaluate("location.protocol") == "https:"
        assert page.evaluate("isSecureContext") is True
        refused = page.evaluate(
            "navigator.serviceWorker.register('/sw.js').then(() => 'ok', (e) => e.message)"
        )
        # "An SSL certificate error occurred when fetching the script" (or, when the page's own
        # attempt is still on its way, "An unknown error"): no worker either way
        assert refused.startswith("Failed to register a ServiceWorker"), refused
        assert page.evaluate("navigator.serviceWorker.getRegistrations()") == []
    finally:
        context.close()


@pytest.mark.slow  # a TLS server of its own and a trusted CA (~20 s)
def test_with_a_trusted_certificate_the_phone_keeps_its_page(https_server, browser):
    """A certificate the device trusts (here Chromium is told its key, as a managed device
    with the organisers' authority installed): the worker registers and keeps /mesa."""
    url, _trusted, cert = https_server
    spki = subprocess.run(
        "openssl x509 -in \"$CERT\" -pubkey -noout | openssl pkey -pubin -outform der"
        " | openssl dgst -sha256 -binary | base64",
        shell=True, check=True, capture_output=True, text=True, env={**os.environ, "CERT": cert},
    ).stdout.strip()  # fmt: skip
    trusting = browser.browser_type.launch(
        executable_path=require_chromium(),
        args=[*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={spki}"],
    )
    try:
        page = trusting.new_context(service_workers="allow", locale="es-CO").new_page()
        page.goto(f"{url}/mesa")
        page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'true'")
        page.context.set_offline(True)
        page.reload()  # no network: the kept page, not the browser's error
        page.get_by_role("heading", name="Entrar a mi mesa").wait_for()
    finally:
        trusting.close()
