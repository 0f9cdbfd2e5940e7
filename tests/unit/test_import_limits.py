"""Hostile or broken files cannot stall the import: bounded work and memory, a Spanish
message, before any large allocation. The bounds are counted (lines of the parser run, rows
and cells read, archive members opened), not timed: a loaded machine cannot fail them and a
fast one cannot hide a regression (tests/support/work.py)."""

import io
import zipfile

import openpyxl
import pytest

from assembly.registration.imports import parse
from assembly.registration.imports.parse import ImportFileError, read_table
from tests.support.work import growth, lines_run


def _same_header_csv(columns: int) -> bytes:
    headers = ";".join(["Teléfono"] * columns)
    return f"{headers}\n{';'.join(['3001112233'] * columns)}\n".encode()


def test_repeated_headers_are_told_apart_in_linear_time():
    def work(columns):
        lines, table = lines_run(lambda: read_table("lista.csv", _same_header_csv(columns)), parse)
        assert len(set(table.headers)) == columns
        return lines

    # The same work per column for 50 and 200 equal headers (numbering each copy by searching
    # the earlier ones again made it grow with the column count: about 4 times here).
    assert growth(work, 50, parse.MAX_COLUMNS) < 1.3
    table = read_table("lista.csv", _same_header_csv(parse.MAX_COLUMNS))
    assert table.headers[:3] == ["Teléfono", "Teléfono (2)", "Teléfono (3)"]
    assert len(set(table.headers)) == parse.MAX_COLUMNS


def test_thousands_of_columns_are_refused():
    data = (";".join(["Nombre"] * 20_000) + "\n" + ";".join(["x"] * 20_000) + "\n") * 50
    rows_taken = []
    with pytest.raises(ImportFileError, match="más de 200 columnas"):
        read_table("lista.csv", data.encode(), tick=lambda done, _total: rows_taken.append(done))
    assert rows_taken == []  # refused while reading the first line: no row taken in


def test_two_megabytes_of_empty_rows():
    def empty_rows(count):
        return b"Documento;Nombre completo\n" + b";;;;;;;;\n" * count

    rows_read = []
    with pytest.raises(ImportFileError, match="solo tiene encabezados"):
        read_table("lista.csv", empty_rows(230_000), tick=lambda done, _t: rows_read.append(done))
    assert len(rows_read) == 230_001 and rows_read[-1] == 230_001  # one pass, row by row

    def work(count):
        lines, refusal = lines_run(lambda: read_table("lista.csv", empty_rows(count)), parse)
        assert isinstance(refusal, ImportFileError)
        return lines

    assert growth(work, 5_000, 20_000) < 1.2  # the same few lines per blank row


def test_an_xlsx_of_empty_formatted_rows(monkeypatch):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Documento", "Nombre completo"])
    sheet.append(["123456", "Ana Ruiz"])
    for _ in range(15_000):
        sheet.append([None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    cells = []
    cell_text = parse._cell_text
    monkeypatch.setattr(parse, "_cell_text", lambda value: cells.append(1) or cell_text(value))
    rows_read = []
    table = read_table("lista.xlsx", out.getvalue(), tick=lambda done, _t: rows_read.append(done))
    assert table.rows == [["123456", "Ana Ruiz"]]
    assert rows_read[-1] == len(rows_read) == 15_002  # the rows the file has, no more
    # only the filled cells are converted: read-only openpyxl pads every row to the column
    # cap, and converting the padding cost 200 cells a row (3 million for this file)
    assert len(cells) == 2 + 2


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
    opened = []
    open_member = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, *a, **k: opened.append(a) or open_member(self, *a, **k),
    )
    with pytest.raises(ImportFileError, match="demasiado grande una vez descomprimido"):
        read_table("lista.xlsx", data)
    assert opened == []  # ...refused from the zip directory alone: no member inflated
