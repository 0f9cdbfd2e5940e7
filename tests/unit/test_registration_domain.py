"""The unified registration form: choice lists, normalisation, validation, DIVIPOLA."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembly.core import divipola
from assembly.registration.domain import (
    AGE_RANGES,
    CONSENT_REQUIRED_MESSAGE,
    DISABILITY_KINDS,
    DOCUMENT_TYPES,
    ETHNICITIES,
    FIELDS,
    FIELDS_BY_KEY,
    GENDER_IDENTITIES,
    HABEAS_DATA_TEXT,
    LINES_OF_WORK,
    NO_ANSWER,
    ORGANIZATION_KINDS,
    PHOTO_CONSENT_TEXT,
    SEXES,
    SEXUAL_ORIENTATIONS,
    ZONES,
    ExtraQuestion,
    age_on,
    age_range_for,
    age_range_for_age,
    format_person_name,
    is_lgbtiq,
    match_choice,
    normalize_document,
    normalize_name,
    normalize_phone,
    parse_bool,
    parse_date,
    validate_registration,
)

TODAY = date(2024, 5, 10)
THEMES = {1, 2, 3, 4, 5}

# The model's column names, in form order: templates, importer and exports iterate them.
MODEL_KEYS = [
    "document_type", "document_number", "first_names", "last_names", "birth_date",
    "age_range", "sex", "gender_identity", "sexual_orientation", "ethnicity",
    "has_disability", "disability_kind", "is_victim", "is_migrant", "zone", "phone", "email",
    "department_code", "municipality_code", "organization_name", "organization_kind",
    "organization_role", "line_of_work", "knows_pit", "took_part_before",
    "preferred_theme_id", "consent_data", "consent_photos",
]  # fmt: skip


def good_raw(**changes):
    """A complete, valid form as the desk would post it (all text)."""
    raw = {
        "document_type": "CC",
        "document_number": "1.098.765.432",
        "first_names": "maría  josé",
        "last_names": "PÉREZ gómez",
        "birth_date": "1990-04-03",
        "sex": "mujer",
        "gender_identity": "femenino",
        "sexual_orientation": "heterosexual",
        "ethnicity": "negro_afrocolombiano",
        "has_disability": "",
        "is_victim": "on",
        "is_migrant": "",
        "zone": "rural",
        "phone": "300 123 4567",
        "email": "Maria@Correo.com",
        "department_code": "81",
        "municipality_code": "81794",
        "organization_name": "Asociación de Cacaoteros  de Tame",
        "organization_kind": "economia_solidaria",
        "organization_role": "Tesorera",
        "line_of_work": "campesino",
        "knows_pit": "si",
        "took_part_before": "no",
        "preferred_theme_id": "2",
        "consent_data": "on",
        "consent_photos": "",
    }
    raw.update(changes)
    return raw


def validate(extra_questions=(), **changes):
    return validate_registration(
        good_raw(**changes), theme_ids=THEMES, extra_questions=extra_questions, today=TODAY
    )


def errors_for(**changes):
    return validate(**changes)[1]


def clean_for(**changes):
    clean, errors = validate(**changes)
    assert errors == {}
    return clean


# ------------------------------------------------------------------------------------------
# Choice lists and FIELDS
# ------------------------------------------------------------------------------------------

ALL_CHOICES = {
    "DOCUMENT_TYPES": DOCUMENT_TYPES,
    "SEXES": SEXES,
    "GENDER_IDENTITIES": GENDER_IDENTITIES,
    "SEXUAL_ORIENTATIONS": SEXUAL_ORIENTATIONS,
    "ETHNICITIES": ETHNICITIES,
    "DISABILITY_KINDS": DISABILITY_KINDS,
    "ZONES": ZONES,
    "AGE_RANGES": AGE_RANGES,
    "ORGANIZATION_KINDS": ORGANIZATION_KINDS,
    "LINES_OF_WORK": LINES_OF_WORK,
}


@pytest.mark.parametrize("name", ALL_CHOICES)
def test_choice_lists_have_unique_short_values_and_labels(name):
    choices = ALL_CHOICES[name]
    values = [value for value, _ in choices]
    assert len(values) == len(set(values))
    assert all(value and len(value) <= 30 and value.isascii() for value in values)
    assert all(label.strip() for _, label in choices)


def test_choice_lists_hold_the_methodology_categories():
    assert [v for v, _ in DOCUMENT_TYPES] == ["CC", "TI", "CE", "PPT", "PEP", "PA", "OTRO"]
    assert [v for v, _ in ETHNICITIES] == [
        "indigena", "negro_afrocolombiano", "raizal", "palenquero", "rrom", "narp", "ninguno", NO_ANSWER,
    ]  # fmt: skip
    assert {v for v, _ in ORGANIZATION_KINDS} >= {
        "economia_popular", "economia_solidaria", "comunitaria", "entidad_publica",
        "cooperacion", "otra", "ninguna",
    }  # fmt: skip
    assert {v for v, _ in LINES_OF_WORK} >= {
        "vendedor_ambulante", "tendero", "reciclador", "constructor", "obrero_construccion",
        "mototaxista", "campesino", "artesano", "comerciante", "otro",
    }  # fmt: skip
    # sensitive data (Ley 1581, art. 6) may always be left unanswered
    for choices in (SEXES, GENDER_IDENTITIES, SEXUAL_ORIENTATIONS, ETHNICITIES):
        assert NO_ANSWER in dict(choices)


def test_age_ranges_fit_the_column_and_respect_youth_and_older_adult_limits():
    values = [v for v, _ in AGE_RANGES]
    assert all(len(v) <= 10 for v in values)
    assert "14-17" in values and "18-28" in values and "60+" in values


def test_fields_are_the_model_columns_in_form_order():
    assert [f.key for f in FIELDS] == MODEL_KEYS
    assert set(FIELDS_BY_KEY) == set(MODEL_KEYS)


def test_every_choice_field_says_where_its_choices_come_from():
    for f in FIELDS:
        if f.kind == "choice":
            assert f.choices or f.choices_from, f.key
        assert f.label[0].isupper() or f.label.startswith("¿"), f.key


def test_required_fields_are_the_ones_the_methodology_requires():
    required = {f.key for f in FIELDS if f.required}
    assert required == {
        "document_type", "document_number", "first_names", "last_names", "sex", "ethnicity",
        "department_code", "municipality_code", "consent_data",
    }  # fmt: skip


# ------------------------------------------------------------------------------------------
# Normalisation helpers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  María-José   O'Neil ", "maria jose oneil"),
        ("PEÑA ÁLVAREZ", "pena alvarez"),
        ("Asociación  de  Recicladores, S.A.S.", "asociacion de recicladores s a s"),
        ("", ""),
        ("Über_Straße", "uber strasse"),
    ],
)
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


@given(st.text())
def test_normalize_name_is_idempotent_and_clean(text):
    key = normalize_name(text)
    assert normalize_name(key) == key
    assert key == key.strip() and "  " not in key
    assert key == key.casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", "1234567"),
        (" 12 345 678 ", "12345678"),
        ("AB-123–45", "AB12345"),
        ("1,234,567", "1234567"),
        ("", ""),
    ],
)
def test_normalize_document(text, expected):
    assert normalize_document(text) == expected


@given(st.text(alphabet="0123456789 .-", max_size=30))
def test_normalize_document_keeps_only_the_digits(text):
    assert normalize_document(text) == "".join(c for c in text if c.isdigit())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MARÍA  DE LOS ángeles", "María de los Ángeles"),
        ("juan carlos", "Juan Carlos"),
        ("de la cruz", "De la Cruz"),
        ("pérez-gómez", "Pérez-Gómez"),
        ("  ñusta  ", "Ñusta"),
    ],
)
def test_format_person_name(text, expected):
    assert format_person_name(text) == expected


@given(st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÍÓÚÑ -", max_size=40))
def test_format_person_name_is_idempotent(text):
    once = format_person_name(text)
    assert format_person_name(once) == once


@pytest.mark.parametrize("value", [True, "true", "sí", "SI", "si", "1", 1, "on", "x", "X", "S"])
def test_parse_bool_true(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize(
    "value", [False, "false", "no", "NO", "0", 0, "off", "n", "Ninguna", "No aplica", "N/A"]
)
def test_parse_bool_false(value):
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_bool_blank(value):
    assert parse_bool(value) is None


@pytest.mark.parametrize("value", ["tal vez", "2", 7])
def test_parse_bool_rejects_other_answers(value):
    with pytest.raises(ValueError):
        parse_bool(value)


@pytest.mark.parametrize(
    "value",
    [
        "1990-04-03",
        "03/04/1990",
        "3/4/1990",
        "03-04-1990",
        "03.04.1990",
        "1990/04/03",
        "1990-04-03 00:00:00",
        "1990-04-03T00:00",
        date(1990, 4, 3),
        datetime(1990, 4, 3, 12, 30),
    ],
)
def test_parse_date_day_first(value):
    assert parse_date(value) == date(1990, 4, 3)


@pytest.mark.parametrize("value", ["", "31/02/1990", "04/03/90", "ayer", "1990-13-01"])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (date(2010, 5, 10), "14-17"),  # 14 today
        (date(2010, 5, 11), "0-13"),  # 14 tomorrow
        (date(2006, 5, 10), "18-28"),
        (date(2006, 5, 11), "14-17"),
        (date(1995, 5, 10), "29-40"),
        (date(1995, 5, 11), "18-28"),
        (date(1983, 5, 10), "41-59"),
        (date(1964, 5, 10), "60+"),
        (date(1964, 5, 11), "41-59"),
        (date(1920, 1, 1), "60+"),
    ],
)
def test_age_range_for_birthday_boundaries(birth, expected):
    assert age_range_for(birth, TODAY) == expected


def test_age_on_leap_day():
    assert age_on(date(2000, 2, 29), date(2024, 2, 28)) == 23
    assert age_on(date(2000, 2, 29), date(2024, 2, 29)) == 24


@given(st.integers(min_value=0, max_value=130))
def test_every_age_has_exactly_one_range(age):
    value = age_range_for_age(age)
    assert value in dict(AGE_RANGES)


def test_negative_age_has_no_range():
    with pytest.raises(ValueError):
        age_range_for_age(-1)


@pytest.mark.parametrize(
    ("text", "choices", "field_key", "expected"),
    [
        ("CC", DOCUMENT_TYPES, "document_type", "CC"),
        ("c.c.", DOCUMENT_TYPES, "document_type", "CC"),
        ("Cédula de Ciudadanía", DOCUMENT_TYPES, "document_type", "CC"),
        ("cedula", DOCUMENT_TYPES, "document_type", "CC"),
        ("T.I.", DOCUMENT_TYPES, "document_type", "TI"),
        ("pasaporte", DOCUMENT_TYPES, "document_type", "PA"),
        ("Permiso por protección temporal", DOCUMENT_TYPES, "document_type", "PPT"),
        ("Prefiero no responder", SEXES, "sex", NO_ANSWER),
        ("prefiero_no_responder", SEXES, "sex", NO_ANSWER),
        ("F", SEXES, "sex", "mujer"),
        ("Masculino", SEXES, "sex", "hombre"),
        ("Negro(a) / afrocolombiano(a)", ETHNICITIES, "ethnicity", "negro_afrocolombiano"),
        ("AFRODESCENDIENTE", ETHNICITIES, "ethnicity", "negro_afrocolombiano"),
        ("Indígena", ETHNICITIES, "ethnicity", "indigena"),
        ("Mestizo", ETHNICITIES, "ethnicity", "ninguno"),
        ("vendedora ambulante", LINES_OF_WORK, "line_of_work", "vendedor_ambulante"),
        ("Obrera de la construcción", LINES_OF_WORK, "line_of_work", "obrero_construccion"),
        ("servidora pública", LINES_OF_WORK, "line_of_work", "servidor_publico"),
        ("Recicladora", LINES_OF_WORK, "line_of_work", "reciclador"),
        ("60 años o más", AGE_RANGES, "age_range", "60+"),
        ("18-28", AGE_RANGES, "age_range", "18-28"),
        ("no existe", SEXES, "sex", None),
        ("", SEXES, "sex", None),
        # aliases belong to their own field only
        ("F", ETHNICITIES, "ethnicity", None),
    ],
)
def test_match_choice(text, choices, field_key, expected):
    assert match_choice(text, choices, field_key) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3001234567", "3001234567"),
        ("300 123 4567", "3001234567"),
        ("300-123-4567", "3001234567"),
        ("+57 300 123 4567", "3001234567"),
        ("+573001234567", "3001234567"),
        ("573001234567", "3001234567"),
        ("0057 3001234567", "3001234567"),
        ("(601) 234 5678", "6012345678"),
        ("6012345678", "6012345678"),
        ("7654321", "7654321"),
        ("8 765 4321", "87654321"),
        ("+58 412 123 4567", "+584121234567"),
        ("123", None),
        ("12345678901", None),
        ("5001234567", None),  # ten digits must be a mobile (3) or a new landline (60)
        ("300123456a", None),
        ("+0 123", None),
    ],
)
def test_normalize_phone(text, expected):
    assert normalize_phone(text) == expected


# ------------------------------------------------------------------------------------------
# validate_registration
# ------------------------------------------------------------------------------------------


def test_a_complete_form_is_valid_and_normalised():
    clean, errors = validate()
    assert errors == {}
    assert clean["document_type"] == "CC"
    assert clean["document_number"] == "1098765432"
    assert clean["first_names"] == "María José"
    assert clean["last_names"] == "Pérez Gómez"
    assert clean["birth_date"] == date(1990, 4, 3)
    assert clean["age_range"] == "29-40"
    # a blank yes/no is not answered (tri-state), never "no"
    assert clean["is_victim"] is True and clean["is_migrant"] is None
    assert clean["has_disability"] is None and clean["disability_kind"] is None
    assert clean["phone"] == "3001234567"
    assert clean["email"] == "maria@correo.com"
    assert (clean["department_code"], clean["municipality_code"]) == ("81", "81794")
    assert clean["organization_name"] == "Asociación de Cacaoteros de Tame"
    assert clean["organization_key"] == "asociacion de cacaoteros de tame"
    assert clean["knows_pit"] is True and clean["took_part_before"] is False
    assert clean["preferred_theme_id"] == 2
    assert clean["consent_data"] is True and clean["consent_photos"] is False
    assert clean["name_key"] == "maria jose perez gomez"
    assert clean["extra_answers"] == {}


def test_clean_always_holds_every_field_and_the_derived_keys():
    clean, errors = validate_registration({}, theme_ids=(), today=TODAY)
    assert errors
    assert set(clean) == set(MODEL_KEYS) | {"name_key", "organization_key", "extra_answers"}


def test_a_minimal_form_is_valid():
    raw = {
        "document_type": "TI",
        "document_number": "1098765432",
        "first_names": "Luis",
        "last_names": "Mora",
        "age_range": "14-17",
        "sex": "hombre",
        "ethnicity": "ninguno",
        "department_code": "11",
        "municipality_code": "11001",
        "consent_data": True,
    }
    clean, errors = validate_registration(raw, theme_ids=(), today=TODAY)
    assert errors == {}
    assert clean["birth_date"] is None and clean["age_range"] == "14-17"
    for key in ("gender_identity", "sexual_orientation", "zone", "phone", "email"):
        assert clean[key] is None
    assert clean["organization_key"] is None and clean["preferred_theme_id"] is None


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("document_type", "Seleccione el tipo de documento."),
        ("document_number", "Escriba el número de documento."),
        ("first_names", "Escriba los nombres."),
        ("last_names", "Escriba los apellidos."),
        ("sex", "Seleccione el sexo."),
        ("ethnicity", "Seleccione el autorreconocimiento étnico (o «Ninguno»)."),
        ("department_code", "Seleccione el departamento de residencia."),
        ("municipality_code", "Seleccione el municipio de residencia."),
    ],
)
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_required_fields(key, message, blank):
    changes = {key: blank}
    if key == "department_code":
        changes["municipality_code"] = ""
    assert errors_for(**changes)[key] == message


@pytest.mark.parametrize("value", ["", None, "no", "0", False, "quizás"])
def test_consent_to_data_processing_is_required(value):
    errors = errors_for(consent_data=value)
    assert errors == {"consent_data": CONSENT_REQUIRED_MESSAGE}
    assert "Ley 1581 de 2012" in CONSENT_REQUIRED_MESSAGE


@pytest.mark.parametrize("value", ["on", "sí", "si", "SÍ", "1", "x", True, "true"])
def test_consent_accepted(value):
    assert clean_for(consent_data=value)["consent_data"] is True


@pytest.mark.parametrize("value", ["", "no"])
def test_photo_consent_is_optional(value):
    assert clean_for(consent_photos=value)["consent_photos"] is False


BOOL_KEYS = ["has_disability", "is_victim", "is_migrant", "knows_pit", "took_part_before"]


@pytest.mark.parametrize("key", [*BOOL_KEYS, "consent_photos"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [("si", True), ("sí", True), ("1", True), ("on", True), ("x", True), (True, True),
     ("no", False), ("0", False), (False, False)],
)  # fmt: skip
def test_bool_fields(key, value, expected):
    changes = {key: value}
    if key == "has_disability" and expected:
        changes["disability_kind"] = "visual"
    assert clean_for(**changes)[key] is expected


@pytest.mark.parametrize("key", BOOL_KEYS)
@pytest.mark.parametrize("value", ["", None, "  ", "Sin dato", "NS/NR", "S/D", "no sabe"])
def test_an_unanswered_yes_no_question_stays_unanswered_never_no(key, value):
    assert clean_for(**{key: value})[key] is None


@pytest.mark.parametrize("value", ["", None, "Sin dato"])
def test_photo_consent_not_given_is_no(value):
    # a consent box is not a question: without a tick there is no authorisation
    assert clean_for(consent_photos=value)["consent_photos"] is False


@pytest.mark.parametrize("key", [*BOOL_KEYS, "consent_photos"])
def test_bool_fields_reject_other_answers(key):
    assert errors_for(**{key: "tal vez"})[key] == "Responda sí o no."


# Document numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "number", "stored"),
    [
        ("CC", "123", "123"),
        ("CC", "1.234.567.890", "1234567890"),
        ("CC", "79 123 456", "79123456"),
        ("TI", "1098765432", "1098765432"),
        ("TI", "10987654321", "10987654321"),
        ("CE", "ab-12345", "AB12345"),
        ("PPT", "5123456", "5123456"),
        ("PEP", "123456789012345", "123456789012345"),
        ("PA", "AZ123456", "AZ123456"),
        ("OTRO", "12345678901234567890", "12345678901234567890"),
    ],
)
def test_document_numbers_accepted(doc_type, number, stored):
    assert clean_for(document_type=doc_type, document_number=number)["document_number"] == stored


@pytest.mark.parametrize(
    ("doc_type", "number", "fragment"),
    [
        ("CC", "12", "entre 3 y 10 dígitos"),
        ("CC", "12345678901", "entre 3 y 10 dígitos"),
        ("CC", "12A456", "entre 3 y 10 dígitos"),
        ("TI", "123456789", "10 u 11 dígitos"),
        ("TI", "123456789012", "10 u 11 dígitos"),
        ("CE", "12", "entre 3 y 20 letras o números"),
        ("PA", "A" * 21, "entre 3 y 20 letras o números"),
        ("PPT", "12/34", "entre 3 y 20 letras o números"),
    ],
)
def test_document_numbers_rejected(doc_type, number, fragment):
    assert fragment in errors_for(document_type=doc_type, document_number=number)["document_number"]


def test_document_type_written_as_a_label():
    assert clean_for(document_type="Cédula de extranjería", document_number="E12345")[
        "document_type"
    ] == ("CE")


def test_unknown_document_type():
    errors = errors_for(document_type="DNI")
    assert errors["document_type"].startswith("Opción no válida")
    assert "Cédula de ciudadanía" in errors["document_type"]


# Names -----------------------------------------------------------------------------------


def test_names_are_title_cased_and_collapsed():
    clean = clean_for(first_names="  JUAN   DE   DIOS ", last_names="de la ROSA\tmartínez")
    assert clean["first_names"] == "Juan de Dios"
    assert clean["last_names"] == "De la Rosa Martínez"
    assert clean["name_key"] == "juan de dios de la rosa martinez"


@pytest.mark.parametrize("name", ["Juan2", "J@ime", "Ana_María", "123"])
def test_names_reject_digits_and_symbols(name):
    assert "sin números" in errors_for(first_names=name)["first_names"]


def test_names_reject_a_single_initial():
    assert "no solo una inicial" in errors_for(last_names="P.")["last_names"]


def test_names_accept_apostrophes_hyphens_and_dots():
    assert clean_for(last_names="o'connor-díaz")["last_names"] == "O'Connor-Díaz"
    assert clean_for(first_names="Ma. José")["first_names"] == "Ma. José"


def test_names_are_bounded():
    assert errors_for(first_names="a" * 121)["first_names"] == "Máximo 120 caracteres."
    assert clean_for(first_names="a" * 120)["first_names"] == "A" + "a" * 119


# Birth date and age range ------------------------------------------------------------------


def test_birth_date_derives_the_age_range_over_a_given_one():
    clean = clean_for(birth_date="10/05/1964", age_range="18-28")
    assert clean["birth_date"] == date(1964, 5, 10)
    assert clean["age_range"] == "60+"


def test_birth_date_as_a_date_object():
    assert clean_for(birth_date=date(2000, 1, 1))["age_range"] == "18-28"


def test_birth_date_in_the_future():
    errors = errors_for(birth_date="2024-05-11")
    assert errors["birth_date"] == "La fecha de nacimiento no puede estar en el futuro."


@pytest.mark.parametrize("birth", ["2014-05-11", "1913-05-10", "2024-05-10"])
def test_birth_date_must_give_a_plausible_age(birth):
    assert "entre 10 y 110 años" in errors_for(birth_date=birth)["birth_date"]


@pytest.mark.parametrize("birth", ["2014-05-10", "1914-05-10"])
def test_ages_10_and_110_are_plausible(birth):
    assert clean_for(birth_date=birth)["birth_date"] == date.fromisoformat(birth)


def test_birth_date_unreadable():
    assert errors_for(birth_date="el año pasado")["birth_date"] == (
        "Escriba la fecha de nacimiento como DD/MM/AAAA."
    )


def test_birth_date_or_age_range_is_required():
    errors = errors_for(birth_date="", age_range="")
    assert errors["birth_date"] == "Indique la fecha de nacimiento o el rango de edad."


@pytest.mark.parametrize(
    ("value", "expected"),
    [("18-28", "18-28"), ("60 años o más", "60+"), ("60+", "60+"), ("34", "29-40"),
     ("34 años", "29-40"), ("14", "14-17"), ("10", "0-13"), ("110", "60+")],
)  # fmt: skip
def test_age_range_without_birth_date(value, expected):
    clean = clean_for(birth_date="", age_range=value)
    assert clean["age_range"] == expected and clean["birth_date"] is None


@pytest.mark.parametrize("value", ["9", "111", "0"])
def test_age_out_of_limits(value):
    assert "entre 10 y 110 años" in errors_for(birth_date="", age_range=value)["age_range"]


def test_age_range_unknown():
    assert errors_for(birth_date="", age_range="joven")["age_range"].startswith(
        "Rango de edad no válido"
    )


# Sex, gender, orientation, ethnicity ---------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(v, v) for v, _ in SEXES] + [("Mujer", "mujer")])
def test_sex_values_and_labels(value, expected):
    assert clean_for(sex=value)["sex"] == expected


def test_sex_invalid():
    assert errors_for(sex="otro")["sex"].startswith("Opción no válida")


@pytest.mark.parametrize("key", ["gender_identity", "sexual_orientation"])
@pytest.mark.parametrize("value", ["Prefiero no responder", "prefiero_no_responder"])
def test_optional_questions_allow_prefer_not_to_answer(key, value):
    assert clean_for(**{key: value})[key] == NO_ANSWER


@pytest.mark.parametrize("key", ["gender_identity", "sexual_orientation", "zone"])
def test_optional_choices_may_be_blank(key):
    assert clean_for(**{key: ""})[key] is None


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("gender_identity", "No binario", "no_binario"),
        ("gender_identity", "Transgénero", "transgenero"),
        ("sexual_orientation", "Lesbiana", "lesbiana"),
        ("sexual_orientation", "bisexual", "bisexual"),
        ("zone", "Urbana", "urbana"),
        ("zone", "urbano", "urbana"),
        ("organization_kind", "Economía popular", "economia_popular"),
        ("line_of_work", "Mototaxista", "mototaxista"),
        ("line_of_work", "otro", "otro"),
    ],
)
def test_optional_choices(key, value, expected):
    assert clean_for(**{key: value})[key] == expected


@pytest.mark.parametrize(
    "key", ["gender_identity", "sexual_orientation", "zone", "organization_kind", "line_of_work"]
)
def test_optional_choices_reject_unknown_values(key):
    assert errors_for(**{key: "marciano"})[key].startswith("Opción no válida")


@pytest.mark.parametrize(("value", "expected"), [(v, v) for v, _ in ETHNICITIES])
def test_every_ethnicity(value, expected):
    assert clean_for(ethnicity=value)["ethnicity"] == expected


def test_ethnicity_invalid():
    assert errors_for(ethnicity="latino")["ethnicity"].startswith("Opción no válida")


# Disability ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [value for value, _ in DISABILITY_KINDS])
def test_disability_with_its_kind(kind):
    clean = clean_for(has_disability="sí", disability_kind=kind)
    assert clean["has_disability"] is True and clean["disability_kind"] == kind


def test_disability_requires_its_kind():
    errors = errors_for(has_disability="sí", disability_kind="")
    assert errors == {"disability_kind": "Seleccione el tipo de discapacidad."}


def test_a_kind_without_the_checkbox_means_yes():
    clean = clean_for(has_disability="", disability_kind="Psicosocial (mental)")
    assert clean["has_disability"] is True and clean["disability_kind"] == "psicosocial"


def test_a_kind_with_an_explicit_no_is_contradictory():
    errors = errors_for(has_disability="no", disability_kind="visual")
    assert "deje el tipo de discapacidad en blanco" in errors["disability_kind"]


def test_a_disability_column_holding_the_kind():
    clean = clean_for(has_disability="Visual", disability_kind="")
    assert clean["has_disability"] is True and clean["disability_kind"] == "visual"


@pytest.mark.parametrize("nothing", ["Ninguna", "No aplica", "N/A", "no"])
def test_a_kind_column_saying_none(nothing):
    clean = clean_for(has_disability="No", disability_kind=nothing)
    assert clean["has_disability"] is False and clean["disability_kind"] is None
    assert clean_for(has_disability="", disability_kind=nothing)["has_disability"] is False


def test_disability_kind_invalid():
    errors = errors_for(has_disability="si", disability_kind="leve")
    assert errors["disability_kind"].startswith("Opción no válida")


# Contact ---------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["", "   ", None])
def test_phone_is_optional(phone):
    assert clean_for(phone=phone)["phone"] is None


@pytest.mark.parametrize(
    "phone", ["300 123 4567 / 311 222 3344", "3001234567, 3112223344", "abc - 300 123 4567"]
)
def test_the_first_of_several_phones_is_kept(phone):
    assert clean_for(phone=phone)["phone"] == "3001234567"


def test_phone_normalised():
    assert clean_for(phone="+57 (310) 555-1234")["phone"] == "3105551234"
    assert clean_for(phone=3105551234.0)["phone"] == "3105551234"


@pytest.mark.parametrize("phone", ["123", "31055512345", "5105551234", "no tengo", "+57 123"])
def test_phone_invalid(phone):
    assert "celular de 10 dígitos" in errors_for(phone=phone)["phone"]


@pytest.mark.parametrize("email", ["", None])
def test_email_is_optional(email):
    assert clean_for(email=email)["email"] is None


@pytest.mark.parametrize(
    "email", ["ana@gmail.com", "ANA.PEREZ+asamblea@unad.edu.co", "j_o@mi-dominio.org"]
)
def test_email_accepted_and_lower_cased(email):
    assert clean_for(email=email)["email"] == email.lower()


@pytest.mark.parametrize(
    "email", ["ana", "ana@", "@gmail.com", "ana@gmail", "ana @gmail.com", "ana@@gmail.com",
              "ana@gmail..com", "ana.@gmail.com", "ana@gmail.c"],
)  # fmt: skip
def test_email_rejected(email):
    assert errors_for(email=email)["email"] == (
        "Escriba un correo electrónico válido, como nombre@correo.com."
    )


def test_email_bounded():
    email = "a" * 190 + "@correo.com"
    assert errors_for(email=email)["email"] == "Máximo 200 caracteres."


# Place (DIVIPOLA) ------------------------------------------------------------------------


def test_place_codes_lose_leading_zeros_in_spreadsheets():
    clean = clean_for(department_code="5", municipality_code="5001")
    assert (clean["department_code"], clean["municipality_code"]) == ("05", "05001")
    clean = clean_for(department_code=5, municipality_code=5001.0)
    assert (clean["department_code"], clean["municipality_code"]) == ("05", "05001")


def test_the_municipality_must_belong_to_the_department():
    errors = errors_for(department_code="05", municipality_code="81794")
    assert errors == {
        "municipality_code": "El municipio no pertenece al departamento seleccionado."
    }


def test_unknown_department():
    assert errors_for(department_code="02")["department_code"] == (
        "Seleccione un departamento de la lista (DIVIPOLA)."
    )


def test_unknown_municipality():
    assert errors_for(municipality_code="81999")["municipality_code"] == (
        "Seleccione un municipio de la lista (DIVIPOLA)."
    )


def test_the_department_follows_from_the_municipality_code():
    assert clean_for(department_code="", municipality_code="52835")["department_code"] == "52"


# Organisation and theme -------------------------------------------------------------------


def test_organization_is_optional():
    clean = clean_for(organization_name="", organization_kind="", organization_role="")
    assert clean["organization_name"] is None and clean["organization_key"] is None
    assert clean["organization_kind"] is None and clean["organization_role"] is None


def test_organization_key_ignores_accents_case_and_punctuation():
    a = clean_for(organization_name="ASOCIACIÓN de Recicladores, Arauca")
    b = clean_for(organization_name="asociacion de recicladores arauca")
    assert a["organization_key"] == b["organization_key"] == "asociacion de recicladores arauca"


def test_organization_fields_are_bounded():
    assert errors_for(organization_name="x" * 201)["organization_name"] == (
        "Máximo 200 caracteres."
    )
    assert errors_for(organization_role="x" * 121)["organization_role"] == (
        "Máximo 120 caracteres."
    )


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (5, 5), ("", None), (None, None)])
def test_preferred_theme(value, expected):
    assert clean_for(preferred_theme_id=value)["preferred_theme_id"] == expected


@pytest.mark.parametrize("value", ["9", "0", "Crédito", "-1"])
def test_preferred_theme_must_belong_to_the_assembly(value):
    assert errors_for(preferred_theme_id=value)["preferred_theme_id"] == (
        "Seleccione uno de los ejes temáticos de esta asamblea."
    )


# Extra questions ---------------------------------------------------------------------------

QUESTIONS = (
    ExtraQuestion(7, "¿Cómo se enteró?", "choice", ("Radio", "Alcaldía", "Vecinos")),
    ExtraQuestion(8, "¿Necesita transporte?", "yesno", required=True),
    ExtraQuestion(9, "Comentarios", "text"),
)


def test_extra_answers_are_validated_and_keyed_by_question_id():
    clean, errors = validate(QUESTIONS, extra_7="alcaldia", extra_8="Sí", extra_9="  Hola  ")
    assert errors == {}
    assert clean["extra_answers"] == {"7": "Alcaldía", "8": True, "9": "Hola"}


def test_extra_answers_blank_when_optional():
    clean, errors = validate(QUESTIONS, extra_8="no")
    assert errors == {}
    assert clean["extra_answers"] == {"7": None, "8": False, "9": None}


def test_extra_answer_errors():
    errors = validate(QUESTIONS, extra_7="Televisión", extra_8="", extra_9="x" * 501)[1]
    assert errors["extra_7"] == "Elija una de estas opciones: Radio, Alcaldía, Vecinos."
    assert errors["extra_8"] == "Esta pregunta es obligatoria."
    assert errors["extra_9"] == "Máximo 500 caracteres."
    assert errors_for(extra_questions=QUESTIONS, extra_8="depende")["extra_8"] == (
        "Responda sí o no."
    )


# Robustness --------------------------------------------------------------------------------

_anything = st.one_of(
    st.none(), st.text(max_size=60), st.booleans(), st.integers(), st.floats(), st.dates()
)


@given(st.fixed_dictionaries({key: _anything for key in MODEL_KEYS}))
def test_validation_never_raises_and_only_reports_known_keys(raw):
    clean, errors = validate_registration(
        raw, theme_ids=THEMES, extra_questions=QUESTIONS, today=TODAY
    )
    assert set(errors) <= set(MODEL_KEYS) | {"extra_8"}
    assert all(isinstance(message, str) and message for message in errors.values())
    if not errors:
        assert clean["consent_data"] is True


def test_control_characters_are_removed():
    clean = clean_for(organization_name="Coop\x00 Arauca\x1b", organization_role="a\u200bb")
    assert clean["organization_name"] == "Coop Arauca"


# ------------------------------------------------------------------------------------------
# LGBTIQ+ and consent texts
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"gender_identity": "transgenero"}, True),
        ({"gender_identity": "no_binario"}, True),
        ({"gender_identity": "otra"}, True),
        ({"sexual_orientation": "lesbiana"}, True),
        ({"sexual_orientation": "gay"}, True),
        ({"sexual_orientation": "bisexual"}, True),
        ({"sexual_orientation": "otra"}, True),
        ({"sex": "intersexual"}, True),
        ({"gender_identity": "femenino", "sexual_orientation": "heterosexual"}, False),
        ({"gender_identity": NO_ANSWER, "sexual_orientation": NO_ANSWER}, False),
        ({}, False),
    ],
)
def test_is_lgbtiq(record, expected):
    assert is_lgbtiq(record) is expected
    assert is_lgbtiq(SimpleNamespace(**record)) is expected


def test_is_lgbtiq_on_a_clean_registration():
    assert is_lgbtiq(clean_for(sexual_orientation="Gay")) is True
    assert is_lgbtiq(clean_for()) is False


def test_habeas_data_text():
    text = HABEAS_DATA_TEXT.format(responsable="la Unidad Solidaria y la UNAD")
    assert "la Unidad Solidaria y la UNAD" in text and "{" not in text
    for fragment in (
        "Ley Estatutaria 1581 de 2012",
        "supervisores del convenio",
        "seguimiento a los compromisos",
        "Conocer, actualizar y rectificar",
        "supresión",
        "Superintendencia de Industria y Comercio",
        "diez (10) días hábiles",
        "Prefiero no responder",
    ):
        assert fragment in text, fragment


def test_photo_consent_text():
    text = PHOTO_CONSENT_TEXT.format(responsable="la UNAD")
    assert "la UNAD" in text and "no es condición para registrarme" in text


# ------------------------------------------------------------------------------------------
# DIVIPOLA
# ------------------------------------------------------------------------------------------


def test_departments_sorted_by_name_ignoring_accents():
    deps = divipola.departments()
    assert len(deps) == 33
    names = [name for _, name in deps]
    assert names == sorted(names, key=normalize_name)
    assert ("81", "Arauca") in deps and ("11", "Bogotá D.C.") in deps


def test_municipalities_of_a_department():
    arauca = divipola.municipalities("81")
    assert [name for _, name in arauca] == [
        "Arauca", "Arauquita", "Cravo Norte", "Fortul", "Puerto Rondón", "Saravena", "Tame",
    ]  # fmt: skip
    assert all(code.startswith("81") and len(code) == 5 for code, _ in arauca)
    assert divipola.municipalities("00") == []
    arauca.clear()  # callers get a copy
    assert len(divipola.municipalities("81")) == 7


def test_every_municipality_belongs_to_its_department():
    total = 0
    for dep_code, _ in divipola.departments():
        for mun_code, name in divipola.municipalities(dep_code):
            assert divipola.is_valid(dep_code, mun_code)
            assert divipola.municipality_name(mun_code) == name
            total += 1
    assert total == 1123


def test_names_and_validity():
    assert divipola.department_name("05") == "Antioquia"
    assert divipola.municipality_name("05001") == "Medellín"
    assert divipola.department_name("99999") is None
    assert divipola.municipality_name("") is None
    assert divipola.is_valid("05", "05001")
    assert not divipola.is_valid("81", "05001")
    assert not divipola.is_valid("05", "05999")
    assert not divipola.is_valid("00", "00001")


@pytest.mark.parametrize(
    ("text", "department", "expected"),
    [
        ("Medellín", None, "05001"),
        ("MEDELLIN", None, "05001"),
        ("  medellin ", "05", "05001"),
        ("Medellín", "81", None),
        ("Bogotá", None, "11001"),
        ("Bogota D.C.", None, "11001"),
        ("bogota dc", None, "11001"),
        ("Cúcuta", None, "54001"),
        ("San José de Cúcuta", None, "54001"),
        ("Tumaco", None, "52835"),
        ("La Unión", None, None),  # four departments have one
        ("La Union", "52", "52399"),
        ("San Andrés", None, None),
        ("San Andrés", "88", "88001"),
        ("Tame - Arauca", None, "81794"),
        ("Barbosa (Santander)", None, "68077"),
        ("Barbosa, Antioquia", None, "05079"),
        ("5001", None, "05001"),
        ("05001", "05", "05001"),
        ("05001", "81", None),
        ("99999", None, None),
        ("Gotham", None, None),
        ("", None, None),
    ],
)
def test_find_municipality(text, department, expected):
    assert divipola.find_municipality(text, department) == expected


def test_match_municipalities_lists_the_ambiguity():
    assert len(divipola.match_municipalities("La Unión")) == 4
    assert divipola.match_municipalities("La Unión", "76") == ["76400"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arauca", "81"),
        ("antioquia", "05"),
        ("5", "05"),
        ("Bogotá", "11"),
        ("Bogotá D.C.", "11"),
        ("San Andrés", "88"),
        ("Archipiélago de San Andrés, Providencia y Santa Catalina", "88"),
        ("Norte de Santander", "54"),
        ("Santander", "68"),
        ("Valle", "76"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_find_department(text, expected):
    assert divipola.find_department(text) == expected
