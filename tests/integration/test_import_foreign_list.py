"""A list in a shape the tests never wrote: the agreement's own headers, a title block, one
combined name column, "C.C.", sex as M/F/H, DANE vocabulary, sloppy municipality spellings
(checked against the DIVIPOLA file in /work/shared/data when present). Every identifiable,
consenting person is imported; what could not be decided is asked; the inclusion report's
counts match the file's."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from assembly.registration.models import Attendee, ImportProfile
from assembly.reports.domain.participation import DIMENSIONS, Tally
from tests.integration.test_registration_import_routes import (
    confirm,
    mapping_form,
    run_values,
    upload,
    values_form,
)

pytestmark = pytest.mark.usefixtures("run_jobs_inline")

DIVIPOLA = Path("/work/shared/data/divipola.csv")

TITLE = [
    "CONVENIO 045 DE 2026 - UNIDAD SOLIDARIA",
    "Listado de preinscritos Asamblea Regional Orinoquía",
    "Corte: 10/03/2026;Elaboró: Coordinación",
    "",
]
HEADER = (
    "N°;Nombres y Apellidos;Tipo Doc.;No. Identificación;Género;Pertenencia étnica;"
    "Mpio residencia;Edad;Víctima;Ocupación;Zona"
)
# (name, type, document, sex, ethnicity, municipality, age, victim, occupation, zone)
PEOPLE = [
    ("Ana María Peña Ruiz", "C.C.", "1.057.200.001", "M", "Negra", "Sarabena", "34", "SI",
     "obrera construccion", "urbano"),
    ("Luis Gómez Díaz", "C.C", "1057200002", "H", "NARP", "tame", "45", "no",
     "Campesino", "Rural disperso"),
    ("Rosa Elena Ríos Mora", "cc", "1057200003", "F", "Indígena", "Arauca", "60", "",
     "ama de casa", "zona rural"),
    ("Pedro Pablo Quintero Salas", "T.I.", "10572000041", "H", "mulato", "Saravena", "16",
     "Sí", "Estudiante", "Cabecera municipal"),
    ("Carmen Rosa Díaz Niño", "C.C.", "1057200005", "M", "ninguna", "Fortul", "29", "x",
     "Vendedora ambulante", "Urbana"),
    ("Jorge Iván Castro Pardo", "CE", "E123456", "H", "Raizal", "Arauquita", "52", "NO",
     "Mototaxi", "rural"),
    ("Marta Lucía Rincón", "C.C.", "1057200007", "M", "Palenquera", "Tame", "24", "NS/NR",
     "Comerciante", "urbano"),
    ("Sin Documento Alguno", "C.C.", "", "F", "Ninguna", "Tame", "30", "", "", ""),
]  # fmt: skip


def list_bytes() -> bytes:
    lines = [*TITLE, HEADER]
    for number, person in enumerate(PEOPLE, start=1):
        lines.append(";".join((str(number), *person)))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def to_values(client, assembly, data):
    response = upload(client, assembly, data)
    assert response.status_code == 302
    mapping_url = response.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    response = client.post(mapping_url, data=mapping_form(page))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return mapping_url, response.headers["Location"]


def test_a_foreign_list_imports_every_identifiable_person_truthfully(
    client, auth, make_assembly, db
):
    auth.login("organizer")
    assembly = make_assembly()  # Arauca
    mapping_url, values_url = to_values(client, assembly, list_bytes())
    page = client.get(mapping_url).get_data(as_text=True)
    for header, key in [
        ("Nombres y Apellidos", "full_name"),
        ("No. Identificación", "document_number"),
        ("Tipo Doc.", "document_type"),
        ("Género", "sex"),
        ("Mpio residencia", "municipality_code"),
    ]:
        assert re.search(
            rf'>{re.escape(header)}</label>.*?<option value="{key}" selected>', page, re.S
        ), header

    page = client.get(values_url).get_data(as_text=True)
    # "M" next to "H" and "F" is never decided silently
    assert re.search(r'<label for="v-sex-\d+">M</label>.*?ambiguo', page, re.S)
    assert client.get(values_url.replace("/values", "/review")).status_code == 302
    response = client.post(values_url, data=values_form(page, M="__pending__"))
    assert response.status_code == 422  # still waiting for "M"
    review_url = run_values(client, values_url, M="mujer")
    assert review_url.endswith("/review")
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">7<', page)
    assert re.search(r'id="count-errors">1<', page)  # only the row without a document
    confirm(client, review_url)

    people = {
        a.document_number: a
        for a in db.session.scalars(select(Attendee).where(Attendee.assembly_id == assembly.id))
    }
    assert len(people) == 7
    ana = people["1057200001"]
    assert (ana.first_names, ana.last_names, ana.sex) == ("Ana María", "Peña Ruiz", "mujer")
    assert (ana.ethnicity, ana.municipality_code, ana.line_of_work, ana.zone) == (
        "negro_afrocolombiano",
        "81736",  # "Sarabena" is Saravena, in the assembly's department
        "obrero_construccion",
        "urbana",
    )
    assert people["1057200002"].ethnicity == "narp" and people["1057200002"].zone == "rural"
    assert people["10572000041"].document_type == "TI"
    assert people["E123456"].document_type == "CE"

    # the inclusion report states the groups as the file does
    tally = Tally()
    for person in people.values():
        tally.add({c: getattr(person, c) for c in [col.name for col in Attendee.__table__.columns]})
    populations = {label: registered for label, registered, _ in tally.population_rows()}
    file_people = [p for p in PEOPLE if p[2]]
    assert populations["Mujeres"] == sum(p[3] in ("M", "F") for p in file_people) == 4
    narp = {"Negra", "NARP", "mulato", "Raizal", "Palenquera"}
    assert populations["Población NARP (negra, afrocolombiana, raizal, palenquera)"] == sum(
        p[4] in narp for p in file_people
    )
    assert populations["Pertenencia étnica"] == sum(
        p[4] not in ("ninguna", "Ninguna") for p in file_people
    )
    # unanswered is not No: a blank or "NS/NR" victim cell is "Sin dato", counted apart
    victims = next(d for d in DIMENSIONS if d.key == "is_victim")
    assert {c: n for c, n, _ in tally.rows(victims)} == {"Sí": 3, "No": 2, "Sin dato": 2}
    assert people["1057200003"].is_victim is None and people["1057200007"].is_victim is None
    sex_rows = {c: n for c, n, _ in tally.rows(next(d for d in DIMENSIONS if d.key == "sex"))}
    assert sex_rows["Hombre"] == 3 and sex_rows["Mujer"] == 4
    ethnicity = next(d for d in DIMENSIONS if d.key == "ethnicity")
    assert {c: n for c, n, _ in tally.rows(ethnicity)}["NARP sin especificar"] == 1

    # the same headers next time: the column and value choices are offered again
    profile = db.session.scalar(select(ImportProfile))
    assert profile.values["sex"]["M"] == "mujer"
    _, values_url = to_values(client, assembly, list_bytes())
    page = client.get(values_url).get_data(as_text=True)
    assert "ambiguo" not in page and "elegido a mano" in page


def test_sloppy_spellings_of_real_municipalities_resolve_in_the_assembly_department():
    from collections import Counter as C

    from assembly.registration.imports.values import classify

    if not DIVIPOLA.exists():  # the shared copy; the app ships its own DIVIPOLA data
        rows = []
    else:
        with DIVIPOLA.open(encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle) if r["department_code"] == "81"]
    assert rows or not DIVIPOLA.exists()
    sloppy = Counter()
    expected = {}
    for row in rows:
        name = row["municipality"]
        written = name.upper().replace("Á", "A").replace("Í", "I")  # no accents, capitals
        sloppy[written] += 1
        expected[written] = row["municipality_code"]
    classified = classify({"municipality_code": C(sloppy)}, department_code="81")
    got = {row.raw: row.value for row in classified["municipality_code"]}
    assert got == expected
