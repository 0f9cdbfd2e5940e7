"""Importing pre-registration lists (.csv and .xlsx) as the agreements send them."""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from assembly.registration.domain import CONSENT_REQUIRED_MESSAGE, ExtraQuestion, missing_fields
from assembly.registration.imports import parse as importing
from assembly.registration.imports.errors_file import errors_workbook
from assembly.registration.imports.mapping import (
    FULL_NAME,
    SECOND_FIRST_NAME,
    SECOND_LAST_NAME,
    mapping_targets,
    suggest_mapping,
)
from assembly.registration.imports.parse import ImportFileError, read_table
from assembly.registration.imports.parse import Sheet as Table
from assembly.registration.imports.validate import ImportPreview, apply_mapping, split_full_name

TODAY = date(2024, 5, 10)

HEADER = "Tipo de documento;No. documento;Nombres;Apellidos;Sexo;Etnia;Edad;Departamento;Municipio"
ROWS = [
    "CC;1.234.567;María José;Pérez Gómez;Mujer;Ninguno;34;Arauca;Tame",
    "Cédula de ciudadanía;79123456;LUIS;MORA;M;Indígena;60;Arauca;Saravena",
]


def csv_bytes(*lines, delimiter=";", encoding="utf-8"):
    return "\n".join(line.replace(";", delimiter) for line in lines).encode(encoding)


def xlsx_bytes(rows, *, title="Preinscritos", extra_sheet=False):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet("Otra").append(["No", "se", "lee"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def import_rows(table, consent_default=True, **kwargs):
    mapping = kwargs.pop("mapping", None) or suggest_mapping(table.headers)
    return apply_mapping(
        table,
        mapping,
        theme_ids=kwargs.pop("theme_ids", {1, 2}),
        today=TODAY,
        consent_default=consent_default,
        **kwargs,
    )


def table_of(headers, *rows):
    return Table(list(headers), [list(row) for row in rows])


# ------------------------------------------------------------------------------------------
# read_table: CSV
# ------------------------------------------------------------------------------------------


def test_csv_semicolon_utf8():
    table = read_table("lista.csv", csv_bytes(HEADER, *ROWS))
    assert table.headers[:3] == ["Tipo de documento", "No. documento", "Nombres"]
    assert table.rows[0][:4] == ["CC", "1.234.567", "María José", "Pérez Gómez"]
    assert table.row_numbers == [2, 3]


def test_csv_comma_with_bom_and_quotes():
    data = (
        b"\xef\xbb\xbf"
        + (
            'Nombres,Apellidos,Organización\n"Ana","Ruiz","Cooperativa Multiactiva, Arauca"\n'
        ).encode()
    )
    table = read_table("lista.csv", data)
    assert table.headers == ["Nombres", "Apellidos", "Organización"]
    assert table.rows == [["Ana", "Ruiz", "Cooperativa Multiactiva, Arauca"]]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_csv_latin1_as_excel_saves_it(encoding):
    table = read_table("lista.csv", csv_bytes(HEADER, *ROWS, encoding=encoding))
    assert table.headers[-1] == "Municipio"
    assert table.rows[0][2:4] == ["María José", "Pérez Gómez"]
    assert table.rows[1][5] == "Indígena"


def test_csv_tab_delimited_utf16_from_excel_unicode_text():
    data = "\t".join(["Nombres", "Apellidos"]) + "\r\n" + "\t".join(["Íngrid", "Peña"]) + "\r\n"
    table = read_table("lista.txt", data.encode("utf-16"))
    assert table.headers == ["Nombres", "Apellidos"]
    assert table.rows == [["Íngrid", "Peña"]]


def test_csv_excel_separator_hint_line():
    table = read_table("lista.csv", b"sep=,\nNombres;x,Apellidos\nAna;y,Ruiz\n")
    assert table.headers == ["Nombres;x", "Apellidos"]
    assert table.rows == [["Ana;y", "Ruiz"]]


def test_csv_title_line_without_delimiters():
    lines = ("LISTADO DE PREINSCRITOS", "Nombres;Apellidos;Cédula", "Ana;Ruiz;123")
    table = read_table("lista.csv", csv_bytes(*lines, delimiter=","))
    assert table.headers == ["Nombres", "Apellidos", "Cédula"]
    assert table.rows == [["Ana", "Ruiz", "123"]]


def test_csv_blank_rows_title_line_and_row_numbers():
    data = csv_bytes(
        "LISTADO DE PREINSCRITOS ASAMBLEA ARAUCA;;", ";;", HEADER, "", ROWS[0], ";;;", ROWS[1]
    )
    table = read_table("lista.csv", data)
    assert table.headers[0] == "Tipo de documento"
    assert len(table.rows) == 2
    assert table.row_numbers == [5, 7]  # the rows as the operator sees them in the file


def test_csv_cells_are_trimmed_and_short_rows_padded():
    table = read_table("lista.csv", csv_bytes("A;B;C", "  uno   dos ;", "x;y;z;w"))
    assert table.headers == ["A", "B", "C", "Columna 4"]
    assert table.rows == [["uno dos", "", "", ""], ["x", "y", "z", "w"]]


def test_duplicate_and_blank_headers_are_made_unique():
    table = read_table("lista.csv", csv_bytes("Teléfono;;Teléfono;Teléfono", "1;2;3;4"))
    assert table.headers == ["Teléfono", "Columna 2", "Teléfono (2)", "Teléfono (3)"]


@pytest.mark.parametrize("data", [b"", b"   \n\n ", csv_bytes(";;", " ; ;")])
def test_empty_files(data):
    with pytest.raises(ImportFileError, match=r"El archivo está vacío\."):
        read_table("lista.csv", data)


def test_headers_only():
    with pytest.raises(ImportFileError, match="solo tiene encabezados"):
        read_table("lista.csv", csv_bytes(HEADER, ";;;"))


def test_too_many_rows():
    lines = ["Nombres;Apellidos"] + [f"Ana;Ruiz {i}" for i in range(importing.MAX_ROWS)]
    assert len(read_table("lista.csv", csv_bytes(*lines)).rows) == importing.MAX_ROWS
    with pytest.raises(ImportFileError, match=r"más de 20\.000 filas"):
        read_table("lista.csv", csv_bytes(*lines, "Luis;Mora"))


def test_binary_garbage_is_not_a_csv():
    with pytest.raises(ImportFileError, match=r"no es un \.csv"):
        read_table("lista.csv", b"abc\x00\x00def")


# ------------------------------------------------------------------------------------------
# read_table: Excel
# ------------------------------------------------------------------------------------------


def test_xlsx_values_become_text():
    data = xlsx_bytes(
        [
            [],
            [None, None],
            ["Cédula", "Nombres", "Nacimiento", "Registro", "Discapacidad", "Peso", "Celular"],
            [
                1234567.0,
                "  Ana  María ",
                datetime(1990, 4, 3),
                datetime(2024, 5, 1, 8, 15),
                False,
                61.5,
                3001234567,
            ],
            [],
            [79123456, "Luis", date(1950, 1, 2), None, True, None, None],
        ],
        extra_sheet=True,
    )
    table = read_table("lista.xlsx", data)
    assert table.headers == [
        "Cédula",
        "Nombres",
        "Nacimiento",
        "Registro",
        "Discapacidad",
        "Peso",
        "Celular",
    ]
    assert table.rows == [
        ["1234567", "Ana María", "1990-04-03", "2024-05-01 08:15", "no", "61.5", "3001234567"],
        ["79123456", "Luis", "1950-01-02", "", "sí", "", ""],
    ]
    assert table.row_numbers == [4, 6]


def test_xlsx_is_recognised_by_content_not_by_name():
    data = xlsx_bytes([["Nombres"], ["Ana"]])
    assert read_table("sin_extension", data).rows == [["Ana"]]


def test_xlsx_empty_sheet():
    with pytest.raises(ImportFileError, match="vacío"):
        read_table("lista.xlsx", xlsx_bytes([]))


def test_xlsx_trailing_formatted_cells_are_ignored():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nombres", "Apellidos"])
    sheet.append(["Ana", "Ruiz"])
    sheet["H30"].font = openpyxl.styles.Font(bold=True)  # styled but empty
    output = io.BytesIO()
    workbook.save(output)
    table = read_table("lista.xlsx", output.getvalue())
    assert table.headers == ["Nombres", "Apellidos"]
    assert table.rows == [["Ana", "Ruiz"]]


def test_old_xls_or_encrypted_file():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ImportFileError, match=r"\.xls"):
        read_table("lista.xls", data)


def test_damaged_xlsx():
    with pytest.raises(ImportFileError, match="No se pudo leer el archivo de Excel"):
        read_table("lista.xlsx", b"PK\x03\x04 esto no es un zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hola.txt", "no soy una hoja de cálculo")
    with pytest.raises(ImportFileError, match="No se pudo leer el archivo de Excel"):
        read_table("lista.xlsx", buffer.getvalue())


def test_xlsx_name_with_text_content():
    with pytest.raises(ImportFileError, match="dañado"):
        read_table("lista.xlsx", b"Nombres;Apellidos\nAna;Ruiz\n")


def test_import_file_error_carries_its_message():
    error = ImportFileError("El archivo está vacío.")
    assert error.message == str(error) == "El archivo está vacío."


# ------------------------------------------------------------------------------------------
# suggest_mapping
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Cédula", "document_number"),
        ("CEDULA", "document_number"),
        ("C.C.", "document_number"),
        ("N° de cédula", "document_number"),
        ("No. documento", "document_number"),
        ("Número de identificación", "document_number"),
        ("Nro. Documento", "document_number"),
        ("Documento de identidad", "document_number"),
        ("Tipo de documento", "document_type"),
        ("Tipo de identificación", "document_type"),
        ("Nombres", "first_names"),
        ("Primer nombre", "first_names"),
        ("Segundo nombre", SECOND_FIRST_NAME),
        ("Apellidos", "last_names"),
        ("Primer apellido", "last_names"),
        ("Segundo apellido", SECOND_LAST_NAME),
        ("Nombre completo", FULL_NAME),
        ("Nombres y apellidos", FULL_NAME),
        ("Celular", "phone"),
        ("Teléfono", "phone"),
        ("Número de celular", "phone"),
        ("Tel. contacto", "phone"),
        ("Correo", "email"),
        ("Correo electrónico", "email"),
        ("E-mail", "email"),
        ("Municipio", "municipality_code"),
        ("Municipio de residencia", "municipality_code"),
        ("Ciudad", "municipality_code"),
        ("Departamento", "department_code"),
        ("Dpto.", "department_code"),
        ("Organización", "organization_name"),
        ("Nombre de la organización", "organization_name"),
        ("Tipo de organización", "organization_kind"),
        ("Cargo", "organization_role"),
        ("Rol en la organización", "organization_role"),
        ("Sexo", "sex"),
        ("Identidad de género", "gender_identity"),
        ("Orientación sexual", "sexual_orientation"),
        ("Etnia", "ethnicity"),
        ("Pertenencia étnica", "ethnicity"),
        ("Fecha de nacimiento", "birth_date"),
        ("Edad", "age_range"),
        ("Rango de edad", "age_range"),
        ("¿Tiene discapacidad?", "has_disability"),
        ("Tipo de discapacidad", "disability_kind"),
        ("Víctima del conflicto armado", "is_victim"),
        ("Migrante", "is_migrant"),
        ("Zona", "zone"),
        ("Oficio", "line_of_work"),
        ("Actividad económica", "line_of_work"),
        ("¿Conoce el PIT?", "knows_pit"),
        ("¿Ha participado en espacios anteriores?", "took_part_before"),
        ("Autoriza tratamiento de datos", "consent_data"),
        ("Habeas data", "consent_data"),
        ("Autoriza uso de imagen", "consent_photos"),
        ("Observaciones", None),
        ("Columna 7", None),
        ("", None),
    ],
)
def test_suggest_mapping_recognises_spanish_headers(header, expected):
    # With a surname column present so that a lone "Nombres" stays first_names.
    mapping = suggest_mapping([header, "Apellidos (2)"])
    assert mapping[header] == expected


def test_each_field_is_suggested_once():
    mapping = suggest_mapping(["Celular", "Teléfono", "Apellidos", "Cédula", "Documento"])
    assert mapping == {
        "Celular": "phone",
        "Teléfono": None,
        "Apellidos": "last_names",
        "Cédula": "document_number",
        "Documento": None,
    }


def test_a_lone_name_column_is_the_full_name():
    assert suggest_mapping(["Nombre", "Cédula"])["Nombre"] == FULL_NAME
    assert suggest_mapping(["Nombre", "Apellido"]) == {
        "Nombre": "first_names",
        "Apellido": "last_names",
    }


def test_genero_is_the_sex_when_there_is_no_sex_column():
    assert suggest_mapping(["Género"]) == {"Género": "sex"}
    assert suggest_mapping(["Sexo", "Género"]) == {"Sexo": "sex", "Género": "gender_identity"}


def test_mapping_targets_cover_fields_and_special_keys():
    keys = [key for key, _ in mapping_targets()]
    assert "document_number" in keys and FULL_NAME in keys and SECOND_LAST_NAME in keys
    assert all(label for _, label in mapping_targets())


# ------------------------------------------------------------------------------------------
# split_full_name
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana Ruiz", ("Ana", "Ruiz")),
        ("Juan Pérez Gómez", ("Juan", "Pérez Gómez")),
        ("María José Pérez Gómez", ("María José", "Pérez Gómez")),
        ("Juan Carlos Andrés Mora Díaz", ("Juan Carlos Andrés", "Mora Díaz")),
        ("Pedro de la Cruz Gómez", ("Pedro", "de la Cruz Gómez")),
        ("María del Carmen López Díaz", ("María del Carmen", "López Díaz")),
        ("Pérez Gómez, María José", ("María José", "Pérez Gómez")),
        ("  Ana   ", ("Ana", "")),
        ("", ("", "")),
    ],
)
def test_split_full_name(text, expected):
    assert split_full_name(text) == expected


# ------------------------------------------------------------------------------------------
# apply_mapping
# ------------------------------------------------------------------------------------------


def test_a_semicolon_csv_imports_end_to_end():
    preview = import_rows(read_table("lista.csv", csv_bytes(HEADER, *ROWS)))
    assert preview.errors == [] and preview.duplicates_in_file == []
    (row_a, maria), (row_b, luis) = preview.valid
    assert (row_a, row_b) == (2, 3)
    assert maria["document_type"] == "CC" and maria["document_number"] == "1234567"
    assert (maria["department_code"], maria["municipality_code"]) == ("81", "81794")
    assert maria["age_range"] == "29-40" and maria["sex"] == "mujer"
    assert maria["consent_data"] is True
    assert luis["first_names"] == "Luis" and luis["last_names"] == "Mora"
    assert luis["ethnicity"] == "indigena" and luis["age_range"] == "60+"
    assert luis["municipality_code"] == "81736"


def test_an_xlsx_imports_end_to_end():
    data = xlsx_bytes(
        [
            [
                "Nombre completo",
                "Cédula",
                "Sexo",
                "Etnia",
                "Fecha de nacimiento",
                "Celular",
                "Departamento",
                "Municipio",
                "Discapacidad",
            ],
            [
                "María del Carmen López Díaz",
                1098765432.0,
                "F",
                "Afrocolombiana",
                datetime(1999, 12, 31),
                3001234567,
                81,
                81001,
                "Visual",
            ],
        ]
    )
    preview = import_rows(read_table("lista.xlsx", data))
    assert preview.errors == []
    [(row, person)] = preview.valid
    assert row == 2
    assert person["first_names"] == "María del Carmen" and person["last_names"] == "López Díaz"
    assert person["document_type"] == "CC" and person["document_number"] == "1098765432"
    assert person["birth_date"] == date(1999, 12, 31) and person["age_range"] == "18-28"
    assert person["phone"] == "3001234567"
    assert person["ethnicity"] == "negro_afrocolombiano"
    assert person["has_disability"] is True and person["disability_kind"] == "visual"


def test_leading_zeros_lost_by_excel_are_restored():
    data = xlsx_bytes(
        [
            ["Nombres", "Apellidos", "Cédula", "Sexo", "Etnia", "Edad", "Depto", "Municipio"],
            ["Ana", "Ruiz", 43123456, "F", "ninguno", 40, 5, 5001],
        ]
    )
    [(_, person)] = import_rows(read_table("lista.xlsx", data)).valid
    assert (person["department_code"], person["municipality_code"]) == ("05", "05001")


BASE = {
    "Cédula": "1234567",
    "Nombres": "Ana",
    "Apellidos": "Ruiz",
    "Sexo": "F",
    "Etnia": "Ninguno",
    "Edad": "30",
    "Departamento": "Arauca",
    "Municipio": "Tame",
}


def one_row(consent_default=True, **cells):
    """Import a single row built from BASE with some cells changed or added."""
    row = {**BASE, **cells}
    row = {key: value for key, value in row.items() if value is not None}
    return import_rows(table_of(row, row.values()), consent_default=consent_default)


def only_valid(preview):
    assert preview.errors == []
    [(_, person)] = preview.valid
    return person


def kept_with_warnings(preview):
    """The one row was kept (keep the person, flag the field): (person, {field: warning})."""
    assert preview.errors == []
    [(_, person)] = preview.valid
    [(_, warnings)] = preview.warnings
    return person, {
        key: message.removesuffix(" (se deja en blanco)") for key, message in warnings.items()
    }


def only_errors(preview):
    assert preview.valid == []
    [(_, errors)] = preview.errors
    return errors


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Cédula de ciudadanía", "CC"),
        ("C.C.", "CC"),
        ("cedula", "CC"),
        ("T.I.", "TI"),
        ("Tarjeta de identidad", "TI"),
        ("Pasaporte", "PA"),
        ("PPT", "PPT"),
        ("Permiso Especial de Permanencia", "PEP"),
        ("Cédula de extranjería", "CE"),
    ],
)
def test_document_types_written_in_words(written, stored):
    number = "1098765432" if stored == "TI" else "1234567"
    person = only_valid(one_row(**{"Tipo de documento": written, "Cédula": number}))
    assert person["document_type"] == stored


@pytest.mark.parametrize(("number", "inferred"), [("1.234.567", "CC"), ("10987654321", "TI")])
def test_document_type_inferred_from_a_numeric_document(number, inferred):
    assert only_valid(one_row(**{"Cédula": number}))["document_type"] == inferred


def test_document_type_not_inferred_for_letters():
    errors = only_errors(one_row(**{"Cédula": "AB12345"}))
    assert errors == {"document_type": "Seleccione el tipo de documento."}


@pytest.mark.parametrize(
    ("column", "written", "key", "stored"),
    [
        ("Sexo", "Prefiero no responder", "sex", "prefiero_no_responder"),
        ("Sexo", "hombre", "sex", "hombre"),
        ("Etnia", "Negro(a) / afrocolombiano(a)", "ethnicity", "negro_afrocolombiano"),
        ("Etnia", "Rrom (gitano)", "ethnicity", "rrom"),
        ("Zona", "Rural", "zone", "rural"),
        ("Oficio", "Vendedora ambulante", "line_of_work", "vendedor_ambulante"),
        ("Tipo de organización", "Economía solidaria", "organization_kind", "economia_solidaria"),
        ("Víctima", "SI", "is_victim", True),
        ("Migrante", "x", "is_migrant", True),
        ("Edad", "18 a 28 años", "age_range", "18-28"),
    ],
)
def test_choice_labels_and_values_are_accepted(column, written, key, stored):
    assert only_valid(one_row(**{column: written}))[key] == stored


@pytest.mark.parametrize("written", [None, "", "Sin dato", "NS/NR"])
def test_an_unanswered_yes_no_cell_is_imported_as_unanswered_never_no(written):
    person = only_valid(one_row(**{"Víctima": written, "Migrante": "no"}))
    assert person["is_victim"] is None and person["is_migrant"] is False


def test_places_given_as_names():
    person = only_valid(one_row(Departamento="nariño", Municipio="La Union"))
    assert (person["department_code"], person["municipality_code"]) == ("52", "52399")


def test_municipality_name_alone_sets_the_department():
    person = only_valid(one_row(Departamento=None, Municipio="Cúcuta"))
    assert (person["department_code"], person["municipality_code"]) == ("54", "54001")


def test_ambiguous_municipality_without_department():
    person, errors = kept_with_warnings(one_row(Departamento=None, Municipio="La Unión"))
    assert person["municipality_code"] is None
    assert errors["municipality_code"] == (
        "Hay varios municipios llamados «La Unión»: indique el departamento."
    )


def test_unknown_municipality_in_a_department():
    person, errors = kept_with_warnings(one_row(Municipio="Macondo"))
    assert person["municipality_code"] is None and person["department_code"] == "81"
    assert errors == {"municipality_code": "No se encontró el municipio «Macondo» en Arauca."}


def test_municipality_of_another_department():
    _, errors = kept_with_warnings(one_row(Municipio="Medellín"))
    assert errors == {"municipality_code": "No se encontró el municipio «Medellín» en Arauca."}


def test_unknown_department_name():
    person, errors = kept_with_warnings(one_row(Departamento="Cundinamarquita"))
    assert errors == {"department_code": "No se encontró el departamento «Cundinamarquita»."}
    assert person["municipality_code"] == "81794"  # Tame is found without its department


def test_unknown_municipality_without_department():
    _, errors = kept_with_warnings(one_row(Departamento=None, Municipio="Macondo"))
    assert errors["municipality_code"] == "No se encontró el municipio «Macondo»."


def test_place_codes_are_checked_by_the_form_rules():
    _, errors = kept_with_warnings(one_row(Departamento="05", Municipio="81794"))
    assert errors == {
        "municipality_code": "El municipio no pertenece al departamento seleccionado."
    }


def test_first_and_second_names_are_joined():
    row = {**BASE, "Segundo nombre": "maría", "Segundo apellido": "DÍAZ"}
    person = only_valid(import_rows(table_of(row, row.values())))
    assert person["first_names"] == "Ana María" and person["last_names"] == "Ruiz Díaz"


def test_full_name_without_surname():
    row = {k: v for k, v in BASE.items() if k not in ("Nombres", "Apellidos")}
    row["Nombre completo"] = "Ana"
    errors = only_errors(import_rows(table_of(row, row.values())))
    assert errors["last_names"] == "No se encontraron apellidos en «Ana»."


def test_separate_name_columns_win_over_the_full_name():
    row = {**BASE, "Nombre completo": "Otra Persona Distinta"}
    person = only_valid(import_rows(table_of(row, row.values())))
    assert (person["first_names"], person["last_names"]) == ("Ana", "Ruiz")


def test_consent_default_applies_when_there_is_no_consent_column():
    assert only_valid(one_row(consent_default=True))["consent_data"] is True
    errors = only_errors(one_row(consent_default=False))
    assert errors == {"consent_data": CONSENT_REQUIRED_MESSAGE}


@pytest.mark.parametrize(("answer", "ok"), [("Sí", True), ("X", True), ("No", False), ("", False)])
def test_a_consent_column_decides_row_by_row(answer, ok):
    # consent_default=True must not cover a row whose own answer is "no" or blank
    preview = one_row(**{"Autoriza tratamiento de datos": answer})
    if ok:
        assert only_valid(preview)["consent_data"] is True
    else:
        assert only_errors(preview) == {"consent_data": CONSENT_REQUIRED_MESSAGE}


def test_photo_consent_column():
    assert only_valid(one_row(**{"Autoriza fotos": "si"}))["consent_photos"] is True
    assert only_valid(one_row())["consent_photos"] is False


def test_the_same_document_twice_in_a_file():
    table = table_of(
        BASE,
        BASE.values(),
        {**BASE, "Cédula": "7.654.321"}.values(),
        {**BASE, "Cédula": "1.234.567", "Nombres": "Ana Lucía"}.values(),
        {**BASE, "Cédula": "1234567 "}.values(),
    )
    preview = import_rows(table)
    assert [row for row, _ in preview.valid] == [2, 3]
    assert preview.duplicates_in_file == [(4, 2), (5, 2)]
    assert preview.errors == []


def test_an_invalid_row_does_not_claim_its_document():
    table = table_of(
        BASE,
        {**BASE, "Nombres": "A"}.values(),
        BASE.values(),
    )
    preview = import_rows(table)
    # duplicates first: the broken copy is reported as a repeat of the row kept, not as an error
    assert preview.errors == []
    assert [row for row, _ in preview.valid] == [3]
    assert preview.duplicates_in_file == [(2, 3)]


def test_unmapped_columns_are_ignored():
    row = {**BASE, "Observaciones": "llega tarde"}
    table = table_of(row, row.values())
    mapping = {**suggest_mapping(table.headers), "Edad": None}
    preview = import_rows(table, mapping=mapping)
    person = only_valid(preview)
    assert preview.warnings == []  # no age is "sin dato", not a fault of the row
    assert person["age_range"] is None and missing_fields(person) == ["age_range"]


def test_theme_and_extra_questions_can_be_mapped():
    row = {**BASE, "Eje": "2", "Transporte": "no"}
    table = table_of(row, row.values())
    mapping = {**suggest_mapping(table.headers), "Eje": "preferred_theme_id"}
    mapping["Transporte"] = "extra_8"
    question = ExtraQuestion(8, "¿Necesita transporte?", "yesno", required=True)
    person = only_valid(import_rows(table, mapping=mapping, extra_questions=[question]))
    assert person["preferred_theme_id"] == 2 and person["extra_answers"] == {"8": False}
    table = table_of(row, {**row, "Eje": "9"}.values())
    person, warnings = kept_with_warnings(
        import_rows(table, mapping=mapping, extra_questions=[question])
    )
    assert "preferred_theme_id" in warnings and person["preferred_theme_id"] is None


def test_rows_keep_the_file_row_numbers_in_errors():
    data = csv_bytes(HEADER, "", ROWS[0], ";;", "CC;12;Ana;Ruiz;F;Ninguno;30;Arauca;Tame")
    preview = import_rows(read_table("lista.csv", data))
    assert [row for row, _ in preview.valid] == [3]
    [(row, errors)] = preview.errors
    assert row == 5 and "entre 3 y 10 dígitos" in errors["document_number"]


# ------------------------------------------------------------------------------------------
# errors_workbook
# ------------------------------------------------------------------------------------------


def open_workbook(data):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_errors_workbook_lists_rejected_rows_with_their_messages():
    lines = [
        HEADER,
        ROWS[0],
        "CC;12;Ana;Ruiz;X;Ninguno;30;Arauca;Macondo",
        ROWS[0].replace("María José", "Otra"),
    ]
    table = read_table("lista.csv", csv_bytes(*lines))
    preview = import_rows(table)
    sheet = open_workbook(errors_workbook(preview, table))
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Errores"
    assert rows[0] == ("Fila", *table.headers, "Errores")
    assert [row[0] for row in rows[1:]] == [3, 4]
    bad = rows[1]
    assert bad[1:10] == ("CC", "12", "Ana", "Ruiz", "X", "Ninguno", "30", "Arauca", "Macondo")
    assert "Número de documento: La cédula de ciudadanía debe tener entre 3 y 10 dígitos" in bad[-1]
    assert "Sexo" not in bad[-1]  # a bad sex or municipality no longer refuses the row
    assert rows[2][-1] == "Documento repetido: ya aparece en la fila 2."


def test_errors_workbook_keeps_formula_like_cells_as_text():
    table = table_of(["Nombres", "Apellidos"], ['=HYPERLINK("http://x")', "Ruiz"])
    preview = ImportPreview(errors=[(2, {"first_names": "Use solo letras."})])
    sheet = open_workbook(errors_workbook(preview, table))
    cell = sheet["B2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_errors_workbook_without_errors_has_only_the_header():
    table = table_of(["Nombres"], ["Ana"])
    rows = list(open_workbook(errors_workbook(ImportPreview(), table)).iter_rows(values_only=True))
    assert rows == [("Fila", "Nombres", "Errores")]


def test_errors_workbook_labels_special_and_extra_keys():
    table = table_of(["A"], ["x"])
    preview = ImportPreview(errors=[(2, {FULL_NAME: "uno", "extra_3": "dos"})])
    [_, row] = open_workbook(errors_workbook(preview, table)).iter_rows(values_only=True)
    assert row[-1] == (
        "Nombre completo (se separa en nombres y apellidos): uno\nPregunta adicional: dos"
    )


def test_the_errors_workbook_can_be_read_back_as_an_import():
    table = read_table("lista.csv", csv_bytes(HEADER, "CC;12;Ana;Ruiz;F;Ninguno;30;Arauca;Tame"))
    data = errors_workbook(import_rows(table), table)
    again = read_table("errores.xlsx", data)
    assert again.headers[1:-1] == table.headers
    mapping = suggest_mapping(again.headers)
    assert mapping["Fila"] is None and mapping["Errores"] is None


def test_preferred_theme_by_title_and_photo_consent_by_the_form_label():
    table = Table(
        headers=["Cédula", "Nombres", "Apellidos", "Sexo", "Etnia", "Edad", "Departamento",
                 "Municipio", "Eje temático de preferencia",
                 "Autorizo el uso de mi imagen en fotografías y video"],
        rows=[
            ["1234567", "Ana", "Pérez", "Mujer", "Ninguno", "34", "Arauca", "Arauca",
             "Acceso al crédito", "Sí"],
            ["7654321", "Luis", "Gómez", "Hombre", "Ninguno", "40", "Arauca", "Arauca",
             "Otro eje", "No"],
        ],
        row_numbers=[2, 3],
    )  # fmt: skip
    mapping = suggest_mapping(table.headers)
    assert mapping["Eje temático de preferencia"] == "preferred_theme_id"
    assert mapping["Autorizo el uso de mi imagen en fotografías y video"] == "consent_photos"
    preview = apply_mapping(
        table, mapping, theme_ids={7, 8}, today=date(2026, 3, 14), consent_default=True,
        theme_titles={7: "Asociatividad", 8: "Acceso al crédito"},
    )  # fmt: skip
    assert [(n, c["preferred_theme_id"], c["consent_photos"]) for n, c in preview.valid] == [
        (2, 8, True),
        (3, None, False),
    ]
    assert preview.errors == []
    assert preview.warnings == [
        (
            3,
            {
                "preferred_theme_id": "No se reconoce el eje «Otro eje» en esta asamblea. "
                "(se deja en blanco)"
            },
        )
    ]


# ------------------------------------------------------------------------------------------
# duplicates first
# ------------------------------------------------------------------------------------------


def test_repeats_are_found_before_validation_and_never_hidden_among_errors():
    table = table_of(
        BASE,
        {**BASE, "Nombres": "1"}.values(),  # broken, and its document repeats below
        {**BASE, "Cédula": "7654321", "Nombres": "Luis"}.values(),
        {**BASE, "Cédula": "7.654.321", "Nombres": "2"}.values(),  # broken repeat of row 3
        {**BASE, "Cédula": "999", "Nombres": "3"}.values(),  # broken, and no repeat
        {**BASE, "Nombres": "4"}.values(),  # another broken copy of row 2's document
    )
    preview = import_rows(table, known_documents={"999": "Otra Persona"})
    assert preview.existing == [(5, "999", "Otra Persona")]  # not validated: it is a repeat
    assert [row for row, _ in preview.valid] == [3]
    assert preview.duplicates_in_file == [(4, 3), (6, 2)]
    assert [row for row, _ in preview.errors] == [2]  # no row of 1234567 is valid: the first


def test_the_same_name_with_another_document_is_a_warning_to_compare():
    table = table_of(
        BASE,
        BASE.values(),
        {**BASE, "Cédula": "7654321"}.values(),  # Ana Ruiz again, another document
        {**BASE, "Cédula": "5555555", "Nombres": "Luis"}.values(),
    )
    preview = import_rows(table, known_names={"luis ruiz": (None, 41)})
    assert [row for row, _ in preview.valid] == [2, 3, 4]  # both are kept: maybe two people
    assert preview.same_name == [(3, 2, None), (4, None, 41)]


def _xlsx_with_formula(saved_value: str | None) -> bytes:
    """A list whose name column is a formula; openpyxl writes it without a saved result
    (as many generators do); ``saved_value`` patches the result in, as Excel saves it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Cédula", "Nombre completo", "Sexo"])
    sheet.append(["1057600001", '="Ana María"&" Ruiz Díaz"', "F"])
    sheet.append(["1057600002", "Luis Gómez Peña", "M"])
    out = io.BytesIO()
    workbook.save(out)
    if saved_value is None:
        return out.getvalue()
    patched = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    data.replace(b'<c r="B2">', b'<c r="B2" t="str">')
                    .replace(b"<v></v>", f"<v>{saved_value}</v>".encode())
                    .replace(b"<v />", f"<v>{saved_value}</v>".encode())
                )
            target.writestr(item, data)
    return patched.getvalue()


def test_a_formula_without_its_saved_value_is_reported_never_read_as_blank():
    with pytest.raises(ImportFileError) as refused:
        read_table("lista.xlsx", _xlsx_with_formula(None))
    assert "fórmulas sin valor guardado (B2)" in refused.value.message
    assert "guárdelo de nuevo" in refused.value.message


def test_a_formula_with_its_saved_value_reads_the_value():
    table = read_table("lista.xlsx", _xlsx_with_formula("Ana María Ruiz Díaz"))
    assert table.rows[0][:2] == ["1057600001", "Ana María Ruiz Díaz"]
