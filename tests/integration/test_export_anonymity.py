"""The shared (seudonimizada) export cannot single anyone out: every combination of its
quasi-identifiers is held by at least k people; the organisation's name is never in it."""

from collections import Counter

from tests.integration.test_reports import export, table_rows, workbook_of

QUASI = (
    "Rango de edad",
    "Sexo",
    "Departamento",
    "Municipio",
    "Tipo de organización",
    "Mesa temática",
    "Sub-mesa",
)


def _room(make_assembly, make_attendee):
    assembly = make_assembly()
    for n in range(30):
        make_attendee(
            assembly,
            age_range="29-40" if n % 2 else "18-28",
            sex="mujer" if n % 3 else "hombre",
            organization_kind="economia_solidaria",
            organization_name="Cooperativa Grande",
        )
    # the person the issue worried about: alone in a five-member association, far away
    lone = make_attendee(
        assembly,
        age_range="60+",
        sex="mujer",
        municipality_code="81065",  # Arauquita
        organization_kind="comunitaria",
        organization_name="Asociación de Cinco",
        is_victim=True,
        ethnicity="indigena",
    )
    return assembly, lone


def test_every_combination_of_the_shared_file_is_held_by_k_people(
    app, client, auth, make_assembly, make_attendee
):
    assembly, _lone = _room(make_assembly, make_attendee)
    auth.login("supervisor")
    sheet = workbook_of(export(client, "asistencia", [assembly.id], "seudonimizada"))["Asistencia"]
    headers, rows = table_rows(sheet)
    assert "Organización a la que pertenece" not in headers
    assert "Rol en la organización" not in headers
    text = " ".join(str(v) for row in rows for v in row if v)
    assert "Asociación de Cinco" not in text and "Arauquita" not in text
    columns = [headers.index(name) for name in QUASI]
    sizes = Counter(tuple(row[i] for i in columns) for row in rows)
    assert len(rows) == 31
    assert min(sizes.values()) >= app.config["EXPORT_K"], sizes
    # the sensitive answers stay (that is what the file is for), but point at >= k people
    assert "Sí" in {row[headers.index("¿Es víctima del conflicto armado?")] for row in rows}


def test_the_full_export_is_not_generalised(client, auth, make_assembly, make_attendee):
    assembly, lone = _room(make_assembly, make_attendee)
    auth.login("supervisor")
    sheet = workbook_of(export(client, "asistencia", [assembly.id], "completa"))["Asistencia"]
    headers, rows = table_rows(sheet)
    mine = [
        row for row in rows if row[headers.index("Número de documento")] == lone.document_number
    ]
    assert mine[0][headers.index("Municipio")] == "Arauquita"
    assert mine[0][headers.index("Organización a la que pertenece")] == "Asociación de Cinco"
