"""The reports' pure logic: labels, pseudonyms, the participation tally, agenda chains."""

from datetime import date, datetime

from assembly.registration import domain as registration
from assembly.reports import domain


def record(**overrides):
    values = {
        "id": 1,
        "assembly_id": 1,
        "document_type": "CC",
        "document_number": "52123456",
        "first_names": "María",
        "last_names": "Pérez",
        "birth_date": date(1990, 5, 17),
        "age_range": "29-40",
        "sex": "mujer",
        "gender_identity": None,
        "sexual_orientation": None,
        "ethnicity": "indigena",
        "has_disability": False,
        "disability_kind": None,
        "is_victim": True,
        "is_migrant": False,
        "zone": "rural",
        "phone": "3001234567",
        "email": "maria@correo.co",
        "department_code": "81",
        "municipality_code": "81001",
        "organization_name": None,
        "organization_kind": "economia_popular",
        "organization_role": None,
        "line_of_work": "reciclador",
        "knows_pit": True,
        "took_part_before": False,
        "preferred_theme_id": 7,
        "consent_data": True,
        "consent_photos": False,
        "extra_answers": {"3": True, "4": "Cacao"},
        "checked_in_at": datetime(2026, 3, 14, 12, 45),  # stored as naive UTC
        "checked_in_desk": "Mesa 1",
        "group_id": 10,
        "table_id": 20,
        "source": "mesa",
        "created_at": datetime(2026, 3, 1, 9, 0),
    }
    values.update(overrides)
    return values


def context():
    return domain.Context(
        assemblies={1: "Asamblea Arauca"},
        themes={7: "Acceso al crédito"},
        groups={10: (2, "Acceso al crédito")},
        tables={20: (2, 3)},
        extra_columns=domain.extra_columns_of([(3, "¿Emprende?", "yesno"), (4, "Cultivo", "text")]),
    )


def test_attendance_row_matches_its_columns_with_labels_and_dates():
    columns = domain.attendance_columns(["¿Emprende?", "Cultivo"], private=False, multi=True)
    row = domain.attendance_row(record(), context(), private=False, multi=True, secret="k")
    assert len(row) == len(columns)
    value = dict(zip([c.header for c in columns], row, strict=True))
    assert value["Asamblea"] == "Asamblea Arauca"
    assert value["Tipo de documento"] == "Cédula de ciudadanía"
    assert value["Rango de edad"] == "29 a 40 años"
    assert value["Oficio o actividad económica"] == "Reciclador(a)"
    assert value["Municipio"] == "Arauca"
    assert value["Eje temático de preferencia"] == "Acceso al crédito"
    assert value["¿Es víctima del conflicto armado?"] == "Sí"
    assert value["¿Es población migrante?"] == "No"
    assert value["¿Emprende?"] == "Sí" and value["Cultivo"] == "Cacao"
    assert value["Fecha de nacimiento"] == date(1990, 5, 17)
    assert value["Fecha y hora de llegada"] == datetime(2026, 3, 14, 7, 45)  # Bogotá
    assert value["Mesa temática"] == "Mesa 2 — Acceso al crédito"
    assert value["Sub-mesa"] == "2.3"
    assert value["Origen del registro"] == "Mesa de registro"


def test_pseudonymised_row_drops_identity_and_contact():
    columns = domain.attendance_columns([], private=True, multi=False)
    headers = [c.header for c in columns]
    ctx = context()
    ctx.extra_columns = []
    row = domain.attendance_row(record(), ctx, private=True, multi=False, secret="k")
    assert len(row) == len(headers) and headers[0] == "Seudónimo"
    for key in domain.PRIVATE_KEYS:
        assert registration.FIELDS_BY_KEY[key].label not in headers
    assert "52123456" not in row and "3001234567" not in row and "María" not in row
    assert row[0] == domain.pseudonym("k", "CC", "52123456")


def test_pseudonym_is_stable_per_person_and_depends_on_the_key():
    first = domain.pseudonym("secret", "CC", "52123456")
    assert first == domain.pseudonym("secret", "CC", "52123456")
    assert first != domain.pseudonym("secret", "CC", "52123457")
    assert first != domain.pseudonym("other", "CC", "52123456")
    assert first.startswith("P-") and len(first) == 14


def test_extra_questions_with_the_same_label_share_a_column():
    columns = domain.extra_columns_of([(1, "¿Emprende?", "yesno"), (9, "¿Emprende? ", "yesno")])
    assert columns == [("¿Emprende?", {1: "yesno", 9: "yesno"})]


def test_tally_puts_everyone_in_exactly_one_category_of_each_dimension():
    tally = domain.Tally()
    people = [
        record(),
        record(sex="hombre", sexual_orientation="gay", checked_in_at=None, zone=None),
        record(has_disability=True, disability_kind="visual", is_migrant=True, age_range="18-28"),
        record(sex="intersexual", age_range=None, municipality_code="81065"),
    ]
    for person in people:
        tally.add(person)
    assert (tally.total.registered, tally.total.attended) == (4, 3)
    for dimension in domain.DIMENSIONS:
        rows = tally.rows(dimension)
        assert sum(r[1] for r in rows) == 4, dimension.title
        assert sum(r[2] for r in rows) == 3, dimension.title
    by_title = {d.title: dict((c, (r, a)) for c, r, a in tally.rows(d)) for d in domain.DIMENSIONS}
    assert by_title["Población LGBTIQ+"]["Sí"] == (2, 1)  # gay + intersex
    assert by_title["Discapacidad"]["Con discapacidad: Visual"] == (1, 1)
    assert by_title["Rango de edad"][domain.NO_DATA] == (1, 1)
    assert by_title["Zona de residencia (rural / urbana)"][domain.NO_DATA] == (1, 0)
    assert list(by_title["Municipio de residencia"]) == ["Arauca (Arauca)", "Arauquita (Arauca)"]
    # fixed categories are listed even when nobody is in them: the same shape everywhere
    assert by_title["Sexo"]["Prefiero no responder"] == (0, 0)
    populations = {label: (r, a) for label, r, a in tally.population_rows()}
    assert populations["Jóvenes (14 a 28 años)"] == (1, 1)
    assert populations["Mujeres"] == (2, 2)


def test_unanswered_yes_no_questions_are_counted_apart_never_as_no():
    tally = domain.Tally()
    people = [
        record(is_victim=True, is_migrant=False, has_disability=False),
        record(is_victim=False, is_migrant=None, has_disability=None, checked_in_at=None),
        record(is_victim=None, is_migrant=None, has_disability=True, disability_kind=None),
        record(gender_identity="femenino", sexual_orientation="heterosexual"),
        record(gender_identity=registration.NO_ANSWER, sexual_orientation=None),
    ]
    for person in people:
        tally.add(person)
    by_title = {d.title: dict((c, (r, a)) for c, r, a in tally.rows(d)) for d in domain.DIMENSIONS}
    victims = by_title["Víctimas del conflicto armado"]
    assert list(victims) == ["Sí", "No", domain.NO_DATA]
    assert victims == {"Sí": (3, 3), "No": (1, 0), domain.NO_DATA: (1, 1)}
    assert by_title["Población migrante"] == {"Sí": (0, 0), "No": (3, 3), domain.NO_DATA: (2, 1)}
    disability = by_title["Discapacidad"]
    assert disability[domain.NO_DATA] == (1, 0)
    assert disability["Con discapacidad (tipo sin dato)"] == (1, 1)
    assert disability["Sin discapacidad"] == (3, 3)
    # LGBTIQ+ is known only when gender identity or orientation was answered
    assert by_title["Población LGBTIQ+"] == {"Sí": (0, 0), "No": (1, 1), domain.NO_DATA: (4, 3)}


def test_the_attendance_row_says_sin_dato_for_an_unanswered_question():
    labels = [label for label, _ in context().extra_columns]
    columns = [c.header for c in domain.attendance_columns(labels, private=False, multi=False)]
    row = domain.attendance_row(
        record(is_victim=None, knows_pit=False, extra_answers={"3": None}),
        context(),
        private=False,
        multi=False,
        secret="s",
    )
    cells = dict(zip(columns, row, strict=True))
    assert cells["¿Es víctima del conflicto armado?"] == domain.NO_DATA
    assert cells["¿Conoce el Proyecto de Impacto Territorial (PIT)?"] == "No"
    assert cells["¿Emprende?"] == domain.NO_DATA  # asked and left blank
    blank = domain.attendance_row(
        record(extra_answers={}), context(), private=False, multi=False, secret="s"
    )
    assert dict(zip(columns, blank, strict=True))["¿Emprende?"] is None  # never asked


def test_due_parts_give_a_label_and_a_real_deadline():
    assert domain.due_parts("2025-T2") == ("T2 2025 (abr–jun)", date(2025, 6, 30))
    assert domain.due_parts("2026-T1") == ("T1 2026 (ene–mar)", date(2026, 3, 31))
    assert domain.due_parts("2026-03-14") == ("14/03/2026", date(2026, 3, 14))
    assert domain.due_parts("pronto") == ("pronto", None)
    assert domain.due_parts(None) == (None, None)


def piece(id, kind, parent=None, *, hidden=False, table=1, group=1, **kw):
    return domain.PieceInfo(
        id=id, kind=kind, parent_id=parent, text=kw.pop("text", id), who=kw.pop("who", None),
        due=kw.pop("due", None), status=kw.pop("status", "pendiente"), hidden=hidden,
        assembly_id=1, group_id=group, group_number=group, theme=f"Eje {group}",
        table_number=table,
    )  # fmt: skip


def test_agenda_rows_follow_each_chain_and_skip_hidden_branches():
    pieces = [
        piece("n2", "need", group=2),
        piece("n1", "need"),
        piece("s1", "solution", "n1"),
        piece("p1", "plan", "s1", who="Cooperativa", due="2025-T1"),
        piece("p2", "plan", "s1", who="Alcaldía", due="2026-T4"),
        piece("n3", "need", hidden=True),
        piece("s3", "solution", "n3"),
    ]
    approvals = {1: {"method": "telefono", "for": 9, "against": 1, "abstain": 0, "approved": True}}
    rows = domain.agenda_rows(pieces, approvals)
    assert [(r[3], r[4], r[5]) for r in rows] == [
        ("n1", "s1", "p1"),
        ("n1", "s1", "p2"),
        ("n2", None, None),
    ]
    assert rows[0][7] == "T1 2025 (ene–mar)"
    assert rows[0][8:] == ["Aprobada", "Votación por teléfono", 9, 1, 0]
    assert rows[2][8:] == [None] * 5
    assert len(rows[0]) == len(domain.AGENDA_COLUMNS)


def test_commitment_rows_one_per_visible_plan():
    pieces = [
        piece("need-0001", "need"),
        piece("sol-00001", "solution", "need-0001"),
        piece("plan-0001", "plan", "sol-00001", due="2025-T3", status="en_curso", who="JAC"),
        piece("plan-0002", "plan", "sol-00001", hidden=True),
    ]
    rows = domain.commitment_rows(pieces, assembly_names={1: "Arauca"})
    assert len(rows) == 1
    row = rows[0]
    assert len(row) == len(domain.COMMITMENT_COLUMNS) + 1
    assert row[:2] == ["Arauca", "PLAN-000"]
    assert row[5:12] == ["need-0001", "sol-00001", "plan-0001", "JAC", "T3 2025 (jul–sep)",
                         date(2025, 9, 30), "En curso"]  # fmt: skip


def test_roster_rows_give_roles_and_sort_leaders_first():
    groups = [domain.GroupInfo(1, 1, 1, "Eje 1", "Fabiola", spokesperson_id=12)]
    tables = [domain.TableInfo(5, 1, 1, leader_id=11, spokesperson_id=12)]
    people = [
        {"id": 10, "group_id": 1, "table_id": 5, "checked_in_at": None, "name": "Ana"},
        {
            "id": 11,
            "group_id": 1,
            "table_id": 5,
            "checked_in_at": datetime(2026, 1, 1),
            "name": "Zoe",
        },
        {"id": 12, "group_id": 1, "table_id": 5, "checked_in_at": None, "name": "Luis"},
        {"id": 13, "group_id": None, "table_id": None, "checked_in_at": None, "name": "Nadie"},
    ]
    rows = domain.roster_rows(groups, tables, people, person_label=lambda p: p["name"])
    assert [(r[7], r[8]) for r in rows] == [
        ("Líder", "Zoe"),
        ("Vocero(a) de sub-mesa · Vocero(a) de la mesa", "Luis"),
        ("Participante", "Ana"),
    ]
    assert rows[0][:7] == [1, "Eje 1", "Fabiola", "Luis", "1.1", "Zoe", "Luis"]
    assert rows[0][9] == "Sí" and rows[2][9] == "No"


def test_header_lines_carry_the_agreement_and_the_assembly():
    info = domain.AssemblyInfo(1, "Asamblea PIT Arauca", "Orinoquía", "Coliseo",
                               date(2026, 3, 14), "Convenio No. 02 de 2023", "81001")  # fmt: skip
    lines = domain.header_lines(
        "Asistencia", [info], datetime(2026, 3, 15, 9, 5), variant="seudonimizada"
    )
    assert lines[0] == "Convenio No. 02 de 2023"
    assert lines[1] == "Asistencia — Asamblea PIT Arauca"
    assert lines[2] == "Orinoquía · Coliseo, Arauca · 14/03/2026"
    assert "15/03/2026 04:05" in lines[3] and "seudonimizada" in lines[3]  # 09:05 UTC
    assert "hora de Colombia, America/Bogota (UTC−5)" in lines[3]
    two = domain.header_lines("Agenda consolidada", [info, info], datetime(2026, 3, 15), variant="")
    assert two[1] == "Agenda consolidada — consolidado de 2 asambleas"


def test_file_names_are_timestamped_and_say_the_variant():
    when = datetime(2026, 3, 14, 17, 5, 2)
    assert domain.export_filename("asistencia", "seudonimizada", when) == (
        "asistencia-seudonimizada-20260314-170502.xlsx"
    )
    assert domain.export_filename("agenda", "", when) == "agenda-20260314-170502.xlsx"
    assert (
        domain.slugify("Asamblea Regional PIT Arauca — 2026") == "asamblea-regional-pit-arauca-2026"
    )


def test_times_are_shown_in_each_assemblys_zone_and_the_sheet_says_which():
    from zoneinfo import ZoneInfo

    lima, madrid = ZoneInfo("America/Lima"), ZoneInfo("Europe/Madrid")
    person = record(assembly_id=2, checked_in_at=datetime(2026, 7, 1, 12, 0))
    context = domain.Context(assemblies={2: "Madrid"}, zones={2: madrid})
    row = domain.attendance_row(person, context, private=True, multi=False, secret="s")
    columns = domain.attendance_columns([], private=True, multi=False)
    value = dict(zip([c.header for c in columns], row, strict=True))
    assert value["Fecha y hora de llegada"] == datetime(2026, 7, 1, 14, 0)  # summer: UTC+2

    infos = [
        domain.AssemblyInfo(1, "A", "", "", date(2026, 7, 1), "", zone=lima),
        domain.AssemblyInfo(2, "B", "", "", date(2026, 7, 1), "", zone=madrid),
    ]
    last = domain.header_lines("Agenda", infos, datetime(2026, 7, 1, 12, 0), variant="")[-1]
    assert last.startswith("Generado el 01/07/2026 07:00.")  # the first assembly's venue
    assert "America/Lima (UTC−5)" in last and "Europe/Madrid (UTC+2)" in last
    assert domain.venue.zone_label(ZoneInfo("Asia/Kolkata"), datetime(2026, 1, 1)).endswith(
        "Asia/Kolkata (UTC+5:30)"
    )
