"""The value step of an import: every distinct value of a closed-list column, classified
(exact, fuzzy, ambiguous, unmatched), with DANE's vocabulary understood natively."""

from collections import Counter

import pytest

from assembly.registration.domain import DOCUMENT_TYPES, ETHNICITIES, ZONES, match_choice
from assembly.registration.imports.parse import Sheet
from assembly.registration.imports.values import (
    NO_DATA,
    classify,
    distinct_values,
    unresolved,
    value_map,
)


def rows_of(field, *values, **kwargs):
    counts = {field: Counter(values)}
    return {row.raw: row for row in classify(counts, **kwargs)[field]}


def test_distinct_values_are_counted_per_mapped_closed_column():
    table = Sheet(
        ["Doc", "Sexo", "Notas"],
        [["1", "F", "x"], ["2", "F ", "y"], ["3", "", "z"], ["4", "Hombre", "x"]],
    )
    counts = distinct_values(table, {"Doc": "document_number", "Sexo": "sex", "Notas": None})
    assert counts == {"sex": Counter({"F": 2, "Hombre": 1})}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Negro", "negro_afrocolombiano"),
        ("mulato", "negro_afrocolombiano"),
        ("Afrodescendiente", "negro_afrocolombiano"),
        ("AFROCOLOMBIANA", "negro_afrocolombiano"),
        ("Raizal", "raizal"),
        ("Palenquera", "palenquero"),
        ("NARP", "narp"),
        ("Rrom", "rrom"),
        ("Gitano", "rrom"),
        ("Indígena", "indigena"),
        ("indigenas", "indigena"),
        ("Ninguna", "ninguno"),
        ("ninguno", "ninguno"),
    ],
)
def test_dane_ethnic_vocabulary(written, stored):
    assert match_choice(written, ETHNICITIES, "ethnicity") == stored
    row = rows_of("ethnicity", written)[written]
    assert (row.status in ("exact", "fuzzy"), row.value) == (True, stored)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Urbano", "urbana"),
        ("ZONA URBANA", "urbana"),
        ("Cabecera municipal", "urbana"),
        ("rural", "rural"),
        ("Rural disperso", "rural"),
        ("Centro poblado", "rural"),
        ("Zona Rural", "rural"),
    ],
)
def test_zone_in_any_form(written, stored):
    assert match_choice(written, ZONES, "zone") == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("C.C.", "CC"),
        ("C.C", "CC"),
        ("cc", "CC"),
        ("Cédula de ciudadanía", "CC"),
        ("T.I.", "TI"),
        ("C.E.", "CE"),
        ("Cédula de extranjería", "CE"),
        ("P.P.T.", "PPT"),
        ("Permiso por protección temporal", "PPT"),
        ("PEP", "PEP"),
        ("Pasaporte", "PA"),
        ("PAS", "PA"),
    ],
)
def test_document_types_with_their_usual_spellings(written, stored):
    assert match_choice(written, DOCUMENT_TYPES, "document_type") == stored


def test_exact_and_fuzzy_are_told_apart():
    rows = rows_of(
        "line_of_work", "Obrero(a) de la construcción", "obrera construccion", "Campesinas"
    )
    assert (
        rows["Obrero(a) de la construcción"].status,
        rows["Obrero(a) de la construcción"].value,
    ) == (
        "exact",
        "obrero_construccion",
    )
    assert (rows["obrera construccion"].status, rows["obrera construccion"].value) == (
        "fuzzy",
        "obrero_construccion",
    )
    assert (rows["Campesinas"].status, rows["Campesinas"].value) == ("fuzzy", "campesino")


def test_a_close_spelling_is_fuzzy_and_nonsense_is_unmatched():
    rows = rows_of("ethnicity", "Indijena", "Marciano")
    assert (rows["Indijena"].status, rows["Indijena"].value) == ("fuzzy", "indigena")
    assert (rows["Marciano"].status, rows["Marciano"].value) == ("unmatched", None)
    assert rows["Marciano"].needs_choice


def test_m_in_a_column_with_f_and_h_is_ambiguous():
    rows = rows_of("sex", "M", "F", "H")
    assert rows["M"].status == "ambiguous" and rows["M"].value is None
    assert {value for value, _ in rows["M"].options} == {"mujer", "hombre"}
    assert rows["H"].value == "hombre" and rows["F"].value == "mujer"


def test_m_next_to_hombre_and_mujer_is_ambiguous_too():
    rows = rows_of("sex", "M", "Hombre", "Mujer")
    assert rows["M"].status == "ambiguous"


def test_m_in_an_m_f_column_is_masculino():
    rows = rows_of("sex", "M", "F")
    assert (rows["M"].status, rows["M"].value) == ("fuzzy", "hombre")


def test_unresolved_values_and_the_hand_choice():
    counts = {"sex": Counter({"M": 4, "F": 3, "H": 2}), "ethnicity": Counter({"Marciano": 1})}
    classified = classify(counts)
    assert unresolved(classified) == {"sex": {"M": 4}, "ethnicity": {"Marciano": 1}}
    classified = classify(counts, chosen={"sex": {"M": "mujer"}, "ethnicity": {"Marciano": ""}})
    assert unresolved(classified) == {}
    mapping = value_map(classified)
    assert mapping["sex"] == {"M": "mujer", "F": "mujer", "H": "hombre"}
    assert mapping["ethnicity"] == {"Marciano": ""}  # "sin dato"


def test_yes_no_columns_are_closed_lists_too():
    rows = rows_of("is_victim", "Sí", "NO", "x", "tal vez")
    assert rows["Sí"].value == "si" and rows["NO"].value == "no" and rows["x"].value == "si"
    assert rows["tal vez"].status == "unmatched"


def test_unanswered_in_a_yes_no_column_becomes_sin_dato_not_no():
    rows = rows_of("is_migrant", "No", "Sin dato", "NS/NR", "S/D")
    assert rows["No"].value == "no"
    for written in ("Sin dato", "NS/NR", "S/D"):
        assert (rows[written].status, rows[written].value) == ("fuzzy", NO_DATA), written


def test_municipalities_sloppy_spellings_and_the_assembly_department():
    # Arauca (81) holds Saravena (81736) and Tame (81794); "La Unión" exists in several
    # departments but none in Arauca; Nariño (52) has one.
    rows = rows_of(
        "municipality_code", "Sarabena", "tame", "La Unión", "Xyzzy", department_code="81"
    )
    assert (rows["Sarabena"].status, rows["Sarabena"].value) == ("fuzzy", "81736")
    assert rows["tame"].value == "81794"
    assert rows["La Unión"].status == "ambiguous" and len(rows["La Unión"].options) > 1
    assert rows["Xyzzy"].status == "unmatched"
    in_narino = rows_of("municipality_code", "La Unión", department_code="52")["La Unión"]
    assert (in_narino.status, in_narino.value) == ("exact", "52399")
    assert rows["tame"].status == "exact"  # case aside
