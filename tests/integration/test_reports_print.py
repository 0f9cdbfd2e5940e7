"""Every workbook prints cleanly: converted by LibreOffice (headless) to PDF and to CSV.

- PDF: the Planilla de asistencia for 500 people prints every column on each page (its last
  column's header, "Firma", is on every page of it: the header row repeats and nothing is
  cut to a further page across) within a stated number of pages; every sheet of the full
  workbook prints with the agreement line and page numbers on each page.
- CSV of every sheet: no cell starts with a formula character (= + - @ tab CR), whatever
  was typed into the texts.

Slow (LibreOffice takes several seconds per file): ``pytest -m slow``. CI installs
``libreoffice-calc-nogui``.
"""

import csv
import io
import os
import random
import re
import secrets
import shutil
import subprocess
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import insert, select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from assembly.reports.models import ExportLog
from tests.support.services import require

pytestmark = pytest.mark.slow

PEOPLE = 500
#: the Planilla lists 500 people in at most this many landscape A4 pages (16 a page or more)
PLANILLA_PAGE_BOUND = 32
HOSTILE = ['=HYPERLINK("http://x","clic")', "+57 300 123 4567", "-1+2", "@SUMA(A1)",
           "\t=1", "\r=2"]  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    require(
        found is not None, "LibreOffice no está instalado (apt-get install libreoffice-calc-nogui)"
    )
    return found


def convert(source: Path, target: str, outdir: Path) -> None:
    """LibreOffice headless with its own throw-away profile (several runs may share the
    machine)."""
    profile = outdir / "profile"
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=300,
        env={**os.environ, "HOME": str(outdir)},
    )  # fmt: skip


@pytest.fixture
def big_assembly(make_assembly, make_user):
    """500 people (some with hostile texts), mesas with sub-mesas and 300 pieces."""
    assembly = make_assembly(
        name="Asamblea Regional PIT Arauca",
        agreement_line="=Convenio No. 02 de 2023 & Unidad Solidaria",
    )
    groups = _db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).all()
    tables = []
    for group in groups:
        for number in (1, 2, 3):
            table = Table(group_id=group.id, number=number, join_code=secrets.token_hex(5).upper())
            _db.session.add(table)
            tables.append(table)
    _db.session.flush()
    rng = random.Random(3)
    long_names = ["María de los Ángeles", "Juan Sebastián", "Ana", "Luis Fernando"]
    people = []
    for n in range(PEOPLE):
        table = tables[n % len(tables)]
        people.append({
            "assembly_id": assembly.id, "ticket_token": secrets.token_urlsafe(24),
            "document_type": "CC", "document_number": str(1_000_000_000 + n),
            "first_names": rng.choice(long_names) if n % 50 else HOSTILE[n // 50 % len(HOSTILE)],
            "last_names": rng.choice(["Pérez Gómez", "Rodríguez de la Torre", "Díaz"]),
            "name_key": f"p{n}", "sex": rng.choice(["mujer", "hombre"]), "ethnicity": "ninguno",
            "department_code": "81", "municipality_code": rng.choice(["81001", "81065", "81736"]),
            "organization_name": HOSTILE[n % len(HOSTILE)] if n % 7 == 0 else
            "Asociación de Productores Agropecuarios y Cacaoteros del Sarare " + str(n % 9),
            "organization_role": "@rol" if n % 11 == 0 else None,
            "consent_data": True, "source": "preregistro",
            "created_at": datetime(2026, 3, 1, 15, 0),
            "checked_in_at": datetime(2026, 3, 14, 12, 30) + timedelta(seconds=40 * n)
            if n % 6 else None,
            "checked_in_desk": "Mesa 1", "group_id": table.group_id, "table_id": table.id,
        })  # fmt: skip
    _db.session.execute(insert(Attendee), people)
    parent = None
    for n in range(300):
        kind = ("need", "solution", "plan")[n % 3]
        piece = Piece(
            id=f"{n:08d}-0000-0000-0000-000000000000",
            table_id=tables[n % len(tables)].id,
            kind=kind,
            text=HOSTILE[n % len(HOSTILE)] if n % 10 == 0 else f"Texto de la pieza {n}",
            who="-Cooperativa" if kind == "plan" else None,
            due="2026-T3" if kind == "plan" else None,
            parent_id=None if kind == "need" else parent,
        )
        _db.session.add(piece)
        parent = piece.id
    _db.session.commit()
    return assembly


def exported(client, auth, assembly, tmp_path, kind="completo") -> Path:
    auth.login("supervisor")
    response = client.post(
        "/reports/export",
        data={"report": kind, "assembly_ids": [str(assembly.id)], "variant": "completa"},
    )
    assert response.status_code == 200
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(response.get_data())
    response.close()
    return path


def pages_by_sheet(pdf: Path) -> dict[str, list[str]]:
    """The text of each PDF page, grouped by the sheet named in its page header."""
    sheets = defaultdict(list)
    names = ["Asistencia", "Planilla de asistencia", "Participación", "Mesas y sub-mesas",
             "Agenda consolidada", "Compromisos", "Historial de seguimiento",
             "Satisfacción"]  # fmt: skip
    for page in PdfReader(pdf).pages:
        text = page.extract_text() or ""
        header = [n for n in names if re.search(rf"(^|\n)[^\n]*{re.escape(n)}\s*(\n|$)", text)]
        sheets[max(header, key=len) if header else "?"].append(text)
    return sheets


def test_every_workbook_prints_and_the_planilla_keeps_every_column(
    client, auth, big_assembly, tmp_path
):
    path = exported(client, auth, big_assembly, tmp_path)
    convert(path, "pdf", tmp_path)
    pdf = tmp_path / "completo.pdf"
    keep = os.environ.get("ASSEMBLY_KEEP_PDF")
    if keep:
        shutil.copy(pdf, keep)
    sheets = pages_by_sheet(pdf)
    assert "?" not in sheets, sheets.get("?", [""])[0][:300]

    planilla = sheets["Planilla de asistencia"]
    assert 1 < len(planilla) <= PLANILLA_PAGE_BOUND
    for number, text in enumerate(planilla, start=1):
        # every page: the column headers (the last one included), the agreement line and
        # its page number; no page holds only columns cut off from the others
        for header in ("No.", "Nombre completo", "Documento", "Organización", "Municipio",
                       "Llegada", "Firma"):  # fmt: skip
            assert header in text, (number, header)
        assert "Convenio No. 02 de 2023 & Unidad Solidaria" in text
        assert re.search(rf"Página {number}\b", text), number  # each sheet counts from 1
    listed = " ".join(planilla)
    assert listed.count("CC 1000000") == PEOPLE  # every person, once
    for sheet, texts in sheets.items():
        for text in texts:
            assert "Convenio No. 02 de 2023" in text, sheet
            assert re.search(r"Página \d+", text), sheet
    assert set(sheets) == {"Asistencia", "Planilla de asistencia", "Participación",
                           "Mesas y sub-mesas", "Agenda consolidada", "Compromisos",
                           "Historial de seguimiento", "Satisfacción"}  # fmt: skip


def test_no_cell_of_any_sheet_starts_with_a_formula_character(client, auth, big_assembly, tmp_path):
    path = exported(client, auth, big_assembly, tmp_path)
    # every sheet to its own CSV file (the last option, -1); UTF-8; cells as shown
    convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            tmp_path)  # fmt: skip
    files = sorted(tmp_path.glob("completo*.csv"))
    assert len(files) == 8, [f.name for f in files]  # with the update history and Satisfacción
    hostile_seen = 0
    for file in files:
        for row in csv.reader(io.StringIO(file.read_text(encoding="utf-8"))):
            for cell in row:
                assert not cell.startswith(FORMULA_START), (file.name, cell)
                hostile_seen += cell.startswith("'")
    assert hostile_seen > 50  # the hostile texts are there, behind their apostrophe
    assert _db.session.scalar(select(ExportLog.id)) is not None
