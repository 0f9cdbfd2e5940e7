"""Hostile lists cannot stall the room (issue 12, point 9): on the real server (gunicorn,
gevent), a repeated-header CSV, 2 MB of empty rows, a sheet of empty formatted rows and a
compressed bomb are each refused or read in bounded time while other requests keep being
answered."""

import io
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile

import openpyxl
import pytest

from assembly.registration.imports import parse
from tests.conftest import TEST_PASSWORD
from tests.support.live_server import Browserless, start_server

pytestmark = pytest.mark.slow


def repeated_headers() -> bytes:
    phones = parse.MAX_COLUMNS - 1  # the widest list allowed, every header the same
    headers = ";".join(["Teléfono"] * phones)
    return f"Cédula;{headers}\n1057700001;{';'.join(['3001112233'] * phones)}\n".encode()


def empty_rows() -> bytes:
    return b"Documento;Nombre completo\n" + b";;;;;;;;\n" * 230_000  # ~2 MB


def empty_formatted_sheet() -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Cédula", "Nombre completo"])
    sheet.append(["1057700002", "Ana Ruiz Díaz"])
    for _ in range(15_000):
        sheet.append([None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * 1_000_000
            for _ in range(parse.MAX_UNCOMPRESSED_BYTES // len(block) + 1):
                sheet.write(block)
    return out.getvalue()


def _upload(client: Browserless, url: str, name: str, data: bytes) -> tuple[int, str]:
    page = client.get(url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        client.base_url + url,
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with client.opener.open(request, timeout=120) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def server(database_url, tmp_path):
    live = start_server(database_url, secret_key=secrets.token_hex(16), log_dir=tmp_path)
    yield live
    live.stop()


@pytest.mark.parametrize(
    ("name", "make", "outcome"),
    [
        ("repetidos.csv", repeated_headers, "read"),
        ("vacias.csv", empty_rows, "solo tiene encabezados"),
        ("formato.xlsx", empty_formatted_sheet, "read"),
        ("bomba.xlsx", bomb, "demasiado grande una vez descomprimido"),
    ],
)
def test_a_hostile_list_is_handled_while_the_room_is_answered(
    server, make_user, make_assembly, name, make, outcome
):
    user, assembly = make_user("organizer"), make_assembly()
    client = Browserless(server.url)
    client.login(user.username, TEST_PASSWORD)
    data = make()
    answer: dict = {}

    def send():
        started = time.perf_counter()
        answer["status"], answer["text"] = _upload(
            client, f"/assemblies/{assembly.id}/import", name, data
        )
        answer["seconds"] = time.perf_counter() - started

    uploading = threading.Thread(target=send)
    uploading.start()
    waits = []
    while uploading.is_alive():
        started = time.perf_counter()
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=30) as response:
            assert response.status == 200
        waits.append(time.perf_counter() - started)
    uploading.join()
    assert answer["seconds"] < 60, answer  # bounded time
    if outcome == "read":
        assert answer["status"] == 200 and re.search(r"/import/[A-Za-z0-9_-]{22}$", answer["text"])
    else:
        assert answer["status"] == 422 and outcome in answer["text"]
    # the room was served all along: no request waited behind the upload for long
    assert waits and max(waits) < 1.0, (max(waits), len(waits), answer["seconds"])
