"""Hostile or broken files cannot stall the import: bounded time and memory, a Spanish
message, before any large allocation."""

import io
import time
import zipfile

import openpyxl
import pytest

from assembly.registration.imports import parse
from assembly.registration.imports.parse import ImportFileError, read_table


def test_repeated_headers_are_told_apart_in_linear_time():
    headers = ";".join(["Teléfono"] * parse.MAX_COLUMNS)
    data = f"{headers}\n{';'.join(['3001112233'] * parse.MAX_COLUMNS)}\n".encode()
    start = time.perf_counter()
    table = read_table("lista.csv", data)
    assert time.perf_counter() - start < 1
    assert table.headers[:3] == ["Teléfono", "Teléfono (2)", "Teléfono (3)"]
    assert len(set(table.headers)) == parse.MAX_COLUMNS


def test_thousands_of_columns_are_refused():
    data = (";".join(["Nombre"] * 20_000) + "\n" + ";".join(["x"] * 20_000) + "\n").encode()
    start = time.perf_counter()
    with pytest.raises(ImportFileError, match="más de 200 columnas"):
        read_table("lista.csv", data)
    assert time.perf_counter() - start < 2


def test_two_megabytes_of_empty_rows():
    data = b"Documento;Nombre completo\n" + b";;;;;;;;\n" * 230_000  # ~2 MB
    start = time.perf_counter()
    with pytest.raises(ImportFileError, match="solo tiene encabezados"):
        read_table("lista.csv", data)
    assert time.perf_counter() - start < 5


def test_an_xlsx_of_empty_formatted_rows():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Documento", "Nombre completo"])
    sheet.append(["123456", "Ana Ruiz"])
    for _ in range(15_000):
        sheet.append([None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    start = time.perf_counter()
    table = read_table("lista.xlsx", out.getvalue())
    assert time.perf_counter() - start < 20
    assert table.rows == [["123456", "Ana Ruiz"]]


def test_a_compressed_bomb_is_refused_before_it_is_inflated(monkeypatch):
    monkeypatch.setattr(parse, "MAX_UNCOMPRESSED_BYTES", 20_000_000)  # quicker to build
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * 1_000_000
            for _ in range(parse.MAX_UNCOMPRESSED_BYTES // len(block) + 1):
                sheet.write(block)
    data = out.getvalue()
    assert len(data) < 100_000  # a small upload...
    start = time.perf_counter()
    with pytest.raises(ImportFileError, match="demasiado grande una vez descomprimido"):
        read_table("lista.xlsx", data)
    assert time.perf_counter() - start < 1  # ...refused from the zip directory alone
