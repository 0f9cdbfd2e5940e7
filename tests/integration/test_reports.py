"""Reports: every workbook opened with openpyxl and checked (sheets, Spanish headers, rows,
totals, formulas, charts, dates), privacy, the export log, and a round trip through the
pre-registration importer."""

import io
import re
import time
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from assembly.registration import domain as registration
from assembly.registration.imports.mapping import suggest_mapping
from assembly.registration.imports.parse import read_table
from assembly.registration.imports.validate import apply_mapping
from assembly.reports import domain
from assembly.reports.models import ExportLog

HEADER_ROW = 3
KINDS = ["asistencia", "participacion", "mesas", "agenda", "compromisos", "seguimiento",
         "satisfaccion", "completo"]  # fmt: skip
SHEET_NAMES = {
    "asistencia": ["Asistencia", "Planilla de asistencia"],
    "participacion": ["Participación"],
    "mesas": ["Mesas y sub-mesas"],
    "agenda": ["Agenda consolidada"],
    "compromisos": ["Compromisos"],
    "seguimiento": ["Compromisos", "Historial de seguimiento"],
    "satisfaccion": ["Satisfacción"],
    "completo": [
        "Asistencia",
        "Planilla de asistencia",
        "Participación",
        "Mesas y sub-mesas",
        "Agenda consolidada",
        "Compromisos",
        "Historial de seguimiento",
        "Satisfacción",
    ],
}

# Times are stored as naive UTC (07:45 in Bogotá is 12:45 UTC); the workbooks show the venue's.
PEOPLE = [
    # (first, last, document, sex, extra columns)
    ("María José", "Pérez Gómez", "52123456", "mujer", {
        "birth_date": date(1990, 5, 17), "age_range": "29-40", "ethnicity": "indigena",
        "phone": "3001234567", "email": "maria@correo.co", "is_victim": True,
        "checked_in_at": datetime(2026, 3, 14, 12, 45), "checked_in_desk": "Mesa 1",
        "organization_name": "Asociación de Cacaoteros", "organization_kind": "economia_solidaria",
        "line_of_work": "campesino", "zone": "rural", "gender_identity": "femenino",
    }),
    ("Juan", "Rodríguez Díaz", "80111222", "hombre", {
        "age_range": "18-28", "ethnicity": "negro_afrocolombiano", "has_disability": True,
        "disability_kind": "visual", "is_migrant": True, "sexual_orientation": "gay",
        "checked_in_at": datetime(2026, 3, 14, 13, 5), "checked_in_desk": "Mesa 2",
        "zone": "urbana", "line_of_work": "mototaxista", "municipality_code": "81065",
    }),
    ("Ana", "Torres", "1012345678", "mujer", {
        "age_range": "60+", "ethnicity": "ninguno", "phone": "3109876543",
        "organization_kind": "economia_popular", "line_of_work": "vendedor_ambulante",
        # typed text that a spreadsheet would run as a formula: inert in every export
        "organization_name": '=HYPERLINK("http://x","Asociación")', "organization_role": "@lider",
    }),
    ("Luis Fernando", "Gómez Ruiz", "7777777", "hombre", {
        "birth_date": date(1970, 1, 2), "age_range": "41-59", "ethnicity": "ninguno",
        "checked_in_at": datetime(2026, 3, 14, 14, 30), "checked_in_desk": "Mesa 1",
    }),
]  # fmt: skip


@pytest.fixture(autouse=True)
def server_elsewhere(monkeypatch):
    """The server's own zone is neither UTC nor the venue's: nothing may depend on it."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def seeded(make_assembly, make_attendee, make_user):
    """An assembly with people, an extra question, a mesa split into two sub-mesas, pieces
    (one hidden) and a closed approval."""
    from assembly.assemblies.models import ExtraQuestion
    from assembly.board.models import Approval

    assembly = make_assembly(name="Asamblea Regional PIT Arauca")
    question = ExtraQuestion(
        assembly_id=assembly.id, position=1, label="¿Tiene emprendimiento?", kind="yesno"
    )
    _db.session.add(question)
    _db.session.commit()
    facilitator = make_user("facilitator", display_name="Fabiola Facilitadora")
    groups = _db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    group = groups[0]
    group.facilitator_id = facilitator.id
    tables = [
        Table(group_id=group.id, number=n, join_code=f"RPT{n}{uuid.uuid4().hex[:4]}".upper())
        for n in (1, 2)
    ]
    _db.session.add_all(tables)
    _db.session.commit()

    people = []
    for index, (first, last, document, sex, extra) in enumerate(PEOPLE):
        values = {
            "first_names": first,
            "last_names": last,
            "name_key": registration.normalize_name(f"{first} {last}"),
            "document_number": document,
            "sex": sex,
            "extra_answers": {str(question.id): index % 2 == 0},
            "group_id": group.id,
            "table_id": tables[index % 2].id,
            "preferred_theme_id": assembly.themes[1].id,
            **extra,
        }
        people.append(make_attendee(assembly, **values))
    tables[0].leader_id = people[0].id
    tables[0].spokesperson_id = people[2].id
    group.spokesperson_id = people[0].id

    written = iter(range(100))

    def piece(kind, text, parent=None, table=tables[0], **kw):
        p = Piece(id=str(uuid.uuid4()), table_id=table.id, kind=kind, text=text, **kw)
        p.created_at = datetime(2026, 3, 14, 15, 0, next(written))
        p.parent_id = parent.id if parent else None
        _db.session.add(p)
        _db.session.flush()
        return p

    need = piece("need", "Acceso a crédito blando")
    solution = piece("solution", "Fondo rotatorio entre cooperativas", need)
    piece("plan", "Crear el fondo", solution, who="Cooperativa Coocacao", due="2025-T2")
    piece("plan", "Reglamento del fondo", solution, who="Alcaldía", due="2026-03-31")
    hidden_need = piece("need", "Duplicado", hidden=True)
    piece("solution", "Solución del duplicado", hidden_need)
    lone = piece("need", "Formación en asociatividad", table=tables[1])
    assert lone.id
    _db.session.add(
        Approval(
            assembly_id=assembly.id,
            group_id=group.id,
            method="manos",
            status="closed",
            votes_for=40,
            votes_against=3,
            votes_abstain=2,
            approved=True,
            closed_at=datetime(2026, 3, 14, 16, 20),
        )
    )
    _db.session.commit()
    return {
        "assembly": assembly,
        "people": people,
        "group": group,
        "tables": tables,
        "question": question,
    }


def export(client, kind, assembly_ids, variant="completa", *, as_json=False):
    headers = {"Accept": "application/json"} if as_json else {}
    return read(
        client.post(
            "/reports/export",
            data={
                "report": kind,
                "assembly_ids": [str(i) for i in assembly_ids],
                "variant": variant,
            },
            headers=headers,
        )
    )


def read(response):
    """Buffer the body and close the file send_file opened."""
    response.get_data()
    response.close()
    return response


def workbook_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def chart_count(data: bytes) -> int:
    """The native charts in a workbook (one part per chart in the file)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(1 for name in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", name))


BOGOTA = ZoneInfo("America/Bogota")


def assert_venue_time(workbook, entry):
    """Every sheet says when it was made at the venue, and in which zone; the file name and
    the log agree with it; the log stores UTC."""
    now = datetime.now(BOGOTA).replace(tzinfo=None)
    for sheet in workbook.worksheets:
        block = sheet["A1"].value
        assert block.count("hora de Colombia, America/Bogota (UTC−5)") == 1
        stamp = re.search(r"Generado el (\d\d/\d\d/\d{4} \d\d:\d\d)", block).group(1)
        assert abs(datetime.strptime(stamp, "%d/%m/%Y %H:%M") - now) < timedelta(minutes=2)
    named = datetime.strptime(re.search(r"(\d{8}-\d{6})", entry.filename).group(1), "%Y%m%d-%H%M%S")
    assert abs(named - now) < timedelta(minutes=2)
    assert abs(entry.created_at - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=2)


def table_rows(sheet):
    """Header and data rows of a table sheet (the header block is rows 1-2)."""
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]]


# --------------------------------------------------------------------------------------------


def test_reports_page_lists_assemblies_reports_and_log(client, auth, seeded):
    auth.login("supervisor")
    page = client.get("/reports").get_data(as_text=True)
    assert "Asamblea Regional PIT Arauca" in page
    for title, _ in domain.REPORTS.values():
        assert title in page
    assert "Todavía no se ha exportado nada" in page
    assert 'value="completa"' in page  # a supervisor may choose the full version

    export(client, "agenda", [seeded["assembly"].id])
    page = client.get(f"/assemblies/{seeded['assembly'].id}/reports").get_data(as_text=True)
    assert "Agenda consolidada" in page and "agenda-" in page  # the log lists the file


def test_assembly_page_links_to_its_reports(client, auth, seeded):
    auth.login("supervisor")
    page = client.get(f"/assemblies/{seeded['assembly'].id}").get_data(as_text=True)
    assert f"/assemblies/{seeded['assembly'].id}/reports" in page


@pytest.mark.parametrize("kind", KINDS)
def test_every_report_is_a_workbook_saved_and_logged(kind, app, client, auth, seeded):
    user = auth.login("supervisor")
    assembly = seeded["assembly"]
    workbook = workbook_of(export(client, kind, [assembly.id]))
    assert workbook.sheetnames == SHEET_NAMES[kind]
    for sheet in workbook.worksheets:
        block = sheet["A1"].value
        assert assembly.agreement_line in block and assembly.name in block
        assert "14/03/2026" in block

    entry = _db.session.scalars(select(ExportLog)).one()
    assert (entry.user_id, entry.username, entry.report) == (user.id, user.username, kind)
    assert_venue_time(workbook, entry)
    assert entry.assembly_ids == [assembly.id]
    saved = Path(app.config["EXPORTS_DIR"]) / entry.path
    assert saved.parent.name == f"{assembly.id}-asamblea-regional-pit-arauca"
    assert saved.name.startswith(kind) and saved.suffix == ".xlsx"
    assert openpyxl.load_workbook(saved).sheetnames == SHEET_NAMES[kind]


def test_attendance_has_every_field_in_spanish_with_real_dates(client, auth, seeded):
    auth.login("supervisor")
    sheet = workbook_of(export(client, "asistencia", [seeded["assembly"].id]))["Asistencia"]
    headers, rows = table_rows(sheet)
    assert headers[: len(registration.FIELDS)] == [f.label for f in registration.FIELDS]
    assert "¿Tiene emprendimiento?" in headers
    for header in (
        "¿Asistió?",
        "Fecha y hora de llegada",
        "Punto de registro",
        "Mesa temática",
        "Sub-mesa",
    ):
        assert header in headers
    assert len(rows) == len(PEOPLE)
    assert sheet.freeze_panes == "A4"
    assert (
        sheet.auto_filter.ref == f"A3:{sheet.cell(3, len(headers)).column_letter}{3 + len(PEOPLE)}"
    )
    assert sheet["A3"].font.b and sheet["A3"].fill.fgColor.rgb.endswith("1E3A8A")
    assert sheet.column_dimensions["C"].width >= 18

    maria = next(r for r in rows if r[headers.index("Número de documento")] == "52123456")
    value = dict(zip(headers, maria, strict=True))
    assert value["Tipo de documento"] == "Cédula de ciudadanía"
    assert value["Sexo"] == "Mujer"
    assert value["Autorreconocimiento étnico"] == "Indígena"
    assert value["¿Es víctima del conflicto armado?"] == "Sí"
    assert value["Oficio o actividad económica"] == "Campesino(a)"
    assert value["Municipio"] == "Arauca" and value["Departamento"] == "Arauca"
    assert value["¿Tiene emprendimiento?"] == "Sí"
    assert value["Punto de registro"] == "Mesa 1"
    assert value["Mesa temática"].startswith("Mesa 1 — ")
    assert value["Sub-mesa"] == "1.1"
    assert value["Fecha de nacimiento"] == datetime(1990, 5, 17)
    assert value["Fecha y hora de llegada"] == datetime(2026, 3, 14, 7, 45)
    column = headers.index("Fecha y hora de llegada") + 1
    row = rows.index(maria) + HEADER_ROW + 1
    assert sheet.cell(row, column).is_date
    assert sheet.cell(row, column).number_format == "DD/MM/YYYY HH:MM"
    ana = dict(zip(headers, next(r for r in rows if r[2] == "Ana"), strict=True))
    assert ana["¿Asistió?"] == "No" and ana["Fecha y hora de llegada"] is None
    # typed text that looks like a formula is text, behind one apostrophe (OWASP)
    assert ana["Organización a la que pertenece"] == '\'=HYPERLINK("http://x","Asociación")'
    assert ana["Rol en la organización"] == "'@lider"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_participation_totals_add_up_with_formulas_and_charts(client, auth, seeded):
    auth.login("supervisor")
    sheet = workbook_of(export(client, "participacion", [seeded["assembly"].id]))["Participación"]
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    titles = [v for (r, c), v in sorted(cells.items()) if c == 1 and isinstance(v, str)]
    for dimension in domain.DIMENSIONS:
        assert dimension.title in titles
    registered = len(PEOPLE)
    attended = sum(1 for *_, extra in PEOPLE if extra.get("checked_in_at"))

    totals = [r for (r, c), v in cells.items() if c == 1 and v == "Total"]
    assert len(totals) == len(domain.DIMENSIONS)
    for row in totals:
        formula = cells[(row, 2)]
        assert formula.startswith("=SUM(B")
        first, last = (int(part[1:]) for part in formula[5:-1].split(":"))
        assert last == row - 1
        assert sum(cells.get((r, 2)) or 0 for r in range(first, last + 1)) == registered
        assert sum(cells.get((r, 4)) or 0 for r in range(first, last + 1)) == attended
        assert cells[(row, 4)] == f"=SUM(D{first}:D{last})"
        assert cells[(first, 3)] == f"=IF(B${row}=0,0,B{first}/B${row})"
    assert sheet.cell(totals[0] - 1, 3).number_format == "0.0%"

    def count(title, category):
        start = next(
            r
            for (r, c), v in cells.items()
            if c == 1 and v == title and cells[(r + 1, 1)] == "Categoría"
        )
        row = next(r for r in range(start, start + 40) if cells.get((r, 1)) == category)
        return cells[(row, 2)], cells[(row, 4)]

    assert count("Sexo", "Mujer") == (2, 1)
    assert count("Población LGBTIQ+", "Sí") == (1, 1)
    assert count("Población migrante", "Sí") == (1, 1)
    # unanswered is not No: people whose victim question has no answer are counted apart
    unanswered = [extra for *_, extra in PEOPLE if extra.get("is_victim") is None]
    assert unanswered, "the fixture must hold someone who was not asked"
    assert count("Víctimas del conflicto armado", "Sin dato") == (
        len(unanswered),
        sum(1 for extra in unanswered if extra.get("checked_in_at")),
    )
    assert count("Víctimas del conflicto armado", "No") == (0, 0)
    assert count("Discapacidad", "Con discapacidad: Visual") == (1, 1)
    assert count("Rango de edad", "60 años o más") == (1, 0)
    assert count("Municipio de residencia", "Arauca (Arauca)") == (3, 2)
    assert count("Resumen: poblaciones prioritarias", "Total de personas") == (registered, attended)
    assert (
        chart_count(export(client, "participacion", [seeded["assembly"].id]).data)
        == len(domain.DIMENSIONS) + 1
    )


def test_rosters_name_leaders_facilitators_and_spokespersons(client, auth, seeded):
    auth.login("supervisor")
    sheet = workbook_of(export(client, "mesas", [seeded["assembly"].id]))["Mesas y sub-mesas"]
    headers, rows = table_rows(sheet)
    assert headers[:4] == [
        "Mesa",
        "Eje temático",
        "Facilitador(a) de la mesa",
        "Vocero(a) de la mesa",
    ]
    assert len(rows) == len(PEOPLE)
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Facilitador(a) de la mesa"] == "Fabiola Facilitadora"
    assert first["Vocero(a) de la mesa"] == "María José Pérez Gómez"
    assert first["Sub-mesa"] == "1.1"
    assert first["Líder de la sub-mesa"] == "María José Pérez Gómez"
    assert first["Vocero(a) de la sub-mesa"] == "Ana Torres"
    assert first["Rol"] == "Líder · Vocero(a) de la mesa"
    assert {r[headers.index("Sub-mesa")] for r in rows} == {"1.1", "1.2"}


def test_agenda_follows_need_solution_plan_with_the_approval(client, auth, seeded):
    auth.login("supervisor")
    sheet = workbook_of(export(client, "agenda", [seeded["assembly"].id]))["Agenda consolidada"]
    headers, rows = table_rows(sheet)
    assert headers[3:8] == [
        "Necesidad",
        "Solución",
        "Plan de trabajo: qué se hará",
        "Quién",
        "Cuándo",
    ]
    texts = [(r[3], r[4], r[5], r[6], r[7]) for r in rows]
    assert texts == [
        (
            "Acceso a crédito blando",
            "Fondo rotatorio entre cooperativas",
            "Crear el fondo",
            "Cooperativa Coocacao",
            "T2 2025 (abr–jun)",
        ),
        (
            "Acceso a crédito blando",
            "Fondo rotatorio entre cooperativas",
            "Reglamento del fondo",
            "Alcaldía",
            "31/03/2026",
        ),
        ("Formación en asociatividad", None, None, None, None),
    ]  # fmt: skip (the hidden duplicate and its solution are left out)
    approval = dict(zip(headers, rows[0], strict=True))
    assert approval["Aprobación en plenaria"] == "Aprobada"
    assert approval["Método de aprobación"] == "A mano alzada"
    assert (approval["Votos a favor"], approval["Votos en contra"], approval["Abstenciones"]) == (
        40,
        3,
        2,
    )


def test_agenda_leaves_the_approval_blank_before_the_plenary(client, auth, seeded, db):
    from sqlalchemy import delete

    from assembly.board.models import Approval

    db.session.execute(delete(Approval))
    db.session.commit()
    auth.login("supervisor")
    sheet = workbook_of(export(client, "agenda", [seeded["assembly"].id]))["Agenda consolidada"]
    headers, rows = table_rows(sheet)
    assert all(r[headers.index("Aprobación en plenaria")] is None for r in rows)


def test_commitments_are_ready_for_follow_up(client, auth, seeded):
    auth.login("supervisor")
    sheet = workbook_of(export(client, "compromisos", [seeded["assembly"].id]))["Compromisos"]
    headers, rows = table_rows(sheet)
    assert len(rows) == 2
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Compromiso (qué se hará)"] == "Crear el fondo"
    assert first["Responsables (quién)"] == "Cooperativa Coocacao"
    assert first["Plazo"] == "T2 2025 (abr–jun)"
    assert first["Fecha límite"] == datetime(2025, 6, 30)
    assert first["Estado"] == "Pendiente"
    assert first["Necesidad"] == "Acceso a crédito blando"
    assert len(first["Código"]) == 8
    assert "Observaciones de seguimiento" in headers
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"Pendiente,En curso,Cumplido,En riesgo,Cancelado"'
    status_letter = sheet.cell(3, headers.index("Estado") + 1).column_letter
    assert str(validation.sqref).startswith(f"{status_letter}4:")
    deadline = sheet.cell(4, headers.index("Fecha límite") + 1)
    assert deadline.is_date and deadline.number_format == "DD/MM/YYYY"


def test_pseudonymised_attendance_has_no_documents_or_contact(app, client, auth, seeded):
    auth.login("supervisor")
    assembly = seeded["assembly"]
    first = workbook_of(export(client, "completo", [assembly.id], "seudonimizada"))
    second = workbook_of(export(client, "asistencia", [assembly.id], "seudonimizada"))
    text = " ".join(
        str(v) for s in first.worksheets for row in s.iter_rows(values_only=True) for v in row if v
    )
    for person in seeded["people"]:
        assert person.document_number not in text
        assert person.last_names not in text
        if person.phone:
            assert person.phone not in text
        if person.email:
            assert person.email not in text
    headers, rows = table_rows(first["Asistencia"])
    for private in ("Número de documento", "Nombres", "Teléfono o celular", "Correo electrónico"):
        assert private not in headers
    assert headers[0] == "Seudónimo" and "Sexo" in headers
    key = app.config["PSEUDONYM_KEY"]  # its own key, not the session key
    assert key != app.config["SECRET_KEY"]
    expected = {domain.pseudonym(key, p.document_type, p.document_number) for p in seeded["people"]}
    assert {r[0] for r in rows} == expected
    assert {r[0] for r in table_rows(second["Asistencia"])[1]} == expected  # stable
    roster_headers, roster = table_rows(first["Mesas y sub-mesas"])
    # the rosters' codes are not the attendance sheet's: the two cannot be joined
    in_rosters = {r[roster_headers.index("Persona (seudónimo)")] for r in roster}
    assert in_rosters == {
        domain.pseudonym(key + ":mesas", p.document_type, p.document_number)
        for p in seeded["people"]
    }
    assert not in_rosters & expected
    assert "Versión seudonimizada" in first["Asistencia"]["A1"].value


def test_the_same_person_has_the_same_pseudonym_in_every_assembly(
    app, client, auth, seeded, make_assembly, make_attendee
):
    """Issue 17.8: the key is the installation's, not the assembly's, so a person who came to
    two regional assemblies is one code in both pseudonymised exports (counted once across
    regions), and the other people of the second assembly are not the first's codes."""
    person = seeded["people"][0]
    other = make_assembly(name="Asamblea Regional PIT Casanare")
    again = make_attendee(
        other, document_type=person.document_type, document_number=person.document_number
    )
    stranger = make_attendee(other)
    auth.login("supervisor")
    codes = {}
    for assembly in (seeded["assembly"], other):
        book = workbook_of(export(client, "asistencia", [assembly.id], "seudonimizada"))
        codes[assembly.id] = {r[0] for r in table_rows(book["Asistencia"])[1]}
    key = app.config["PSEUDONYM_KEY"]
    mine = domain.pseudonym(key, again.document_type, again.document_number)
    assert mine in codes[seeded["assembly"].id] and mine in codes[other.id]
    theirs = domain.pseudonym(key, stranger.document_type, stranger.document_number)
    assert theirs in codes[other.id] and theirs not in codes[seeded["assembly"].id]


def test_full_version_needs_export_full(client, auth, seeded, monkeypatch):
    from assembly.auth import domain as auth_domain
    from assembly.auth.domain import Permission, Role

    auth.login("supervisor")
    full_entry_id = export(client, "asistencia", [seeded["assembly"].id], as_json=True).get_json()
    monkeypatch.setitem(
        auth_domain.GRANTS,
        Role.SUPERVISOR,
        frozenset({Permission.VIEW_ASSEMBLY, Permission.EXPORT}),
    )
    page = client.get("/reports").get_data(as_text=True)
    assert 'value="completa"' not in page and "versión seudonimizada" in page
    refused = export(client, "asistencia", [seeded["assembly"].id], "completa", as_json=True)
    assert refused.status_code == 403 and "seudonimizada" in refused.get_json()["error"]
    assert read(client.get(full_entry_id["url"])).status_code == 403
    allowed = export(client, "asistencia", [seeded["assembly"].id], "seudonimizada")
    assert table_rows(workbook_of(allowed)["Asistencia"])[0][0] == "Seudónimo"
    assert (
        _db.session.scalar(select(ExportLog.variant).order_by(ExportLog.id.desc()))
        == "seudonimizada"
    )


def test_the_export_log_speaks_the_page_language(client, auth, seeded):
    """The log's report title and version went out in Spanish on English pages (the titles are
    N_-marked; the day's-state page walk found it): both the page and the fetch answer."""
    auth.login("admin")
    answer = client.post(
        "/reports/export?lang=en",
        data={"report": "completo", "assembly_ids": [str(seeded["assembly"].id)],
              "variant": "completa"},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert answer.get_json()["log"]["report"] == "Full report"
    assert answer.get_json()["log"]["variant"] == "Full"
    page = client.get("/reports?lang=en").get_data(as_text=True)
    assert "Full report" in page and "Informe completo</td>" not in page
    assert "<td>Full</td>" in page and "<td>Completa</td>" not in page
    assert "reports/files/" in page  # the admin still gets the full version's link


def test_fetch_export_answers_json_then_downloads_the_logged_file(client, auth, seeded):
    auth.login("admin")
    answer = export(client, "completo", [seeded["assembly"].id], as_json=True)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is True and body["rows"] == len(PEOPLE)
    assert body["filename"].startswith("completo-completa-") and body["filename"].endswith(".xlsx")
    assert body["log"]["report"] == "Informe completo"
    shown = datetime.strptime(body["log"]["when"], "%d/%m/%Y %H:%M")
    assert abs(shown - datetime.now(BOGOTA).replace(tzinfo=None)) < timedelta(minutes=2)
    assert body["log"]["assemblies"] == seeded["assembly"].name
    download = read(client.get(body["url"]))
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert workbook_of(download).sheetnames == SHEET_NAMES["completo"]
    assert body["filename"] in client.get("/reports").get_data(as_text=True)
    # the audit log has the export and the download (issue 17.7)
    from assembly.auth.models import AuditEntry

    actions = _db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["export.completo", "export.download"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"report": "asistencia", "variant": "completa"}, "Seleccione al menos una asamblea"),
        (
            {"report": "nada", "assembly_ids": ["1"], "variant": "completa"},
            "Elija uno de los informes",
        ),
        ({"report": "asistencia", "assembly_ids": ["x"], "variant": "completa"}, "no es válida"),
        ({"report": "asistencia", "assembly_ids": ["1"], "variant": "otra"}, "Elija la versión"),
    ],
)
def test_bad_requests_change_nothing(client, auth, data, message):
    auth.login("supervisor")
    response = client.post("/reports/export", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert message in response.get_json()["error"]
    assert _db.session.scalar(select(ExportLog.id)) is None


def test_unknown_assembly_and_missing_file_are_not_found(app, client, auth, seeded):
    auth.login("supervisor")
    assert export(client, "agenda", [seeded["assembly"].id + 99], as_json=True).status_code == 404
    assert client.get("/reports/files/12345").status_code == 404
    body = export(client, "agenda", [seeded["assembly"].id], as_json=True).get_json()
    entry = _db.session.scalars(select(ExportLog)).one()
    (Path(app.config["EXPORTS_DIR"]) / entry.path).unlink()
    missing = client.get(body["url"])
    assert missing.status_code == 404 and "genere el informe de nuevo" in missing.get_data(
        as_text=True
    )


def test_national_file_has_an_assembly_column_and_per_assembly_totals(
    app, client, auth, seeded, make_assembly, make_attendee
):
    other = make_assembly(name="Asamblea Regional Meta", date="2026-04-20")
    for n in range(3):
        make_attendee(other, checked_in_at=datetime(2026, 4, 20, 8, n) if n else None, sex="hombre")
    auth.login("supervisor")
    ids = [seeded["assembly"].id, other.id]
    workbook = workbook_of(export(client, "completo", ids))
    for name in ("Asistencia", "Mesas y sub-mesas", "Agenda consolidada", "Compromisos"):
        assert table_rows(workbook[name])[0][0] == "Asamblea"
    _, rows = table_rows(workbook["Asistencia"])
    assert len(rows) == len(PEOPLE) + 3
    assert {r[0] for r in rows} == {"Asamblea Regional PIT Arauca", "Asamblea Regional Meta"}
    assert "consolidado de 2 asambleas" in workbook["Asistencia"]["A1"].value

    sheet = workbook["Participación"]
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    start = next(r for (r, c), v in cells.items() if v == "Por asamblea (asistentes)")
    assert cells[(start + 1, 1)] == "Asamblea"
    assert [cells[(start + 2, 1)], cells[(start + 3, 1)]] == [
        "Asamblea Regional PIT Arauca",
        "Asamblea Regional Meta",
    ]
    assert (cells[(start + 2, 3)], cells[(start + 3, 3)]) == (len(PEOPLE), 3)
    assert cells[(start + 4, 1)] == "Total"
    assert cells[(start + 4, 3)] == f"=SUM(C{start + 2}:C{start + 3})"

    planilla = workbook["Planilla de asistencia"]
    cells = [list(r) for r in planilla.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    titles = [i for i, r in enumerate(cells) if isinstance(r[0], str)]
    assert [cells[i][0] for i in titles] == [
        "Asamblea Regional PIT Arauca — 14/03/2026",
        "Asamblea Regional Meta — 20/04/2026",
    ]
    assert [r[0] for r in cells[titles[1] + 1 :]] == [1, 2, 3]  # each assembly counts from 1
    second = HEADER_ROW + 1 + titles[1]
    assert [b.id for b in planilla.row_breaks.brk] == [second - 1]  # Meta starts a new page

    entry = _db.session.scalars(select(ExportLog)).one()
    assert entry.path.startswith("nacional/") and entry.assembly_ids == sorted(ids)
    page = client.get("/reports").get_data(as_text=True)
    assert "2 asambleas" in page


def test_attendance_export_imports_back_as_the_same_people(client, auth, seeded):
    auth.login("supervisor")
    assembly = seeded["assembly"]
    response = export(client, "asistencia", [assembly.id])
    assert response.status_code == 200

    table = read_table("asistencia.xlsx", response.data)
    mapping = suggest_mapping(table.headers)
    for f in registration.FIELDS:
        assert mapping[f.label] == f.key, f.label
    preview = apply_mapping(
        table,
        mapping,
        theme_ids={t.id for t in assembly.themes},
        today=date(2026, 3, 14),
        consent_default=False,
        theme_titles={t.id: t.title for t in assembly.themes},
    )
    assert preview.errors == [] and preview.duplicates_in_file == []
    imported = {clean["document_number"]: clean for _, clean in preview.valid}
    assert set(imported) == {p.document_number for p in seeded["people"]}
    keys = [
        "document_type", "first_names", "last_names", "birth_date", "age_range", "sex",
        "gender_identity", "sexual_orientation", "ethnicity", "has_disability", "disability_kind",
        "is_victim", "is_migrant", "zone", "phone", "email", "department_code",
        "municipality_code", "organization_name", "organization_kind", "organization_role",
        "line_of_work",
        "knows_pit", "took_part_before", "consent_data", "consent_photos", "preferred_theme_id",
    ]  # fmt: skip
    for person in seeded["people"]:
        again = imported[person.document_number]
        assert {k: again[k] for k in keys} == {k: getattr(person, k) for k in keys}


def test_an_export_that_fails_half_way_logs_nothing_and_leaves_no_file(
    app, client, auth, seeded, monkeypatch
):
    auth.login("supervisor")
    calls = iter(range(100))

    def broken(*args, **kwargs):
        if next(calls) == 2:
            raise RuntimeError("disco lleno")
        return [None]

    monkeypatch.setattr(domain, "attendance_row", broken)
    exports = Path(app.config["EXPORTS_DIR"])  # shared by the session's tests
    before = set(exports.rglob("*.xlsx"))
    response = export(client, "completo", [seeded["assembly"].id], as_json=True)
    assert response.status_code == 500
    assert _db.session.scalar(select(ExportLog.id)) is None
    assert set(exports.rglob("*.xlsx")) == before


def test_the_planilla_lists_everyone_ready_to_sign(client, auth, seeded):
    auth.login("supervisor")
    workbook = workbook_of(export(client, "asistencia", [seeded["assembly"].id]))
    sheet = workbook["Planilla de asistencia"]
    headers, rows = table_rows(sheet)
    assert headers == ["No.", "Nombre completo", "Documento", "Organización", "Municipio",
                       "Llegada", "Firma"]  # fmt: skip
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    by_document = {r[2]: r for r in rows}
    maria = by_document["CC 52123456"]
    assert maria[1] == "María José Pérez Gómez"
    assert maria[3] == "Asociación de Cacaoteros" and maria[4] == "Arauca"
    assert maria[5] == datetime(2026, 3, 14, 7, 45)  # the venue's time (stored 12:45 UTC)
    assert sheet.cell(HEADER_ROW + 1 + rows.index(maria), 6).number_format == "HH:MM"
    assert by_document["CC 1012345678"][5] is None  # not arrived: blank, to fill by hand
    assert all(r[6] is None for r in rows)  # the signature column is left blank
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.scale or 100) >= 70
    assert sheet.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"
    # only with the full data: a pseudonymised list has nobody to sign
    private = workbook_of(export(client, "completo", [seeded["assembly"].id], "seudonimizada"))
    assert "Planilla de asistencia" not in private.sheetnames


def test_every_sheet_prints_with_the_agreement_and_page_numbers(client, auth, seeded):
    auth.login("supervisor")
    workbook = workbook_of(export(client, "completo", [seeded["assembly"].id]))
    for sheet in workbook.worksheets:
        assert sheet.page_setup.paperSize == 9, sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert seeded["assembly"].agreement_line in sheet.oddHeader.left.text, sheet.title
        assert "&P" in sheet.oddFooter.right.text, sheet.title
    data = workbook["Asistencia"]
    assert data.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"
    headers, _ = table_rows(data)
    first, last = data.print_title_cols.replace("$", "").split(":")
    assert (headers[openpyxl.utils.column_index_from_string(first) - 1],
            headers[openpyxl.utils.column_index_from_string(last) - 1]) == (
        "Número de documento", "Apellidos")  # fmt: skip
    assert data.max_column == len(headers)  # every column kept


def test_the_export_works_with_lxml_installed(client, auth, seeded):
    """openpyxl switches to lxml when it is importable (it broke the old writer): lxml is a
    dev dependency, so the whole suite runs with it; this test says so explicitly."""
    import lxml.etree

    assert lxml.etree.LXML_VERSION and openpyxl.LXML is True
    auth.login("supervisor")
    response = export(client, "completo", [seeded["assembly"].id])
    assert workbook_of(response).sheetnames == SHEET_NAMES["completo"]
    table = read_table("completo.xlsx", response.data)  # the first sheet imports
    assert len(table.rows) == len(PEOPLE)
