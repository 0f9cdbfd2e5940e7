"""Declared inputs (core/schemas.py): every bad payload is a Spanish refusal, never a crash."""

from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembly.core.schemas import (
    MAX_INT,
    AssemblyId,
    Id,
    OptionalId,
    Payload,
    Says,
    Text,
    as_id,
    parse,
)
from assembly.errors import InvalidInput, refusal


class Sample(Payload):
    assembly_id: AssemblyId
    group_id: Id
    name: Text[10] = ""
    attendee_id: OptionalId = None
    hidden: bool = True


def refused(data) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse(Sample, data)
    return caught.value


def test_a_good_payload_is_parsed_and_cleaned():
    data = parse(Sample, {"assembly_id": "3", "group_id": 4, "name": "  Mesa  ", "extra": 1})
    assert (data.assembly_id, data.group_id, data.name, data.attendee_id) == (3, 4, "Mesa", None)
    assert parse(Sample, {"assembly_id": 1, "group_id": 1, "attendee_id": ""}).attendee_id is None


@pytest.mark.parametrize("data", ["x", 7, [1, 2], [{"assembly_id": 1}], b"raw", 3.5])
def test_a_payload_that_is_not_an_object_is_refused(data):
    error = refused(data)
    assert error.code == "invalid" and error.retry is False
    assert "forma esperada" in error.message


def test_each_bad_field_gets_a_spanish_message():
    error = refused({"assembly_id": 1, "group_id": 10**40, "name": ["a"], "hidden": "tal vez"})
    assert error.fields == {
        "group_id": f"Debe ser {MAX_INT} o menos.",
        "name": "Debe ser un texto.",
        "hidden": "Debe ser sí o no.",
    }
    assert refusal(error)["fields"] == error.fields
    too_long = refused({"assembly_id": 1, "group_id": 1, "name": "x" * 11})
    assert too_long.fields == {"name": "Es demasiado largo: como máximo 10 caracteres."}


def test_true_and_false_are_not_ids():
    assert refused({"assembly_id": 1, "group_id": True}).fields == {
        "group_id": "Debe ser un número entero."
    }


def test_a_field_may_say_its_own_sentence():
    error = refused({"group_id": 1})
    assert error.message == "Falta la asamblea."
    assert error.fields == {"assembly_id": "Falta este dato."}

    class Named(Payload):
        code: Annotated[Text[6], Says("Escriba el código de su mesa.")]

    with pytest.raises(InvalidInput, match="Escriba el código de su mesa"):
        parse(Named, {"code": "X" * 7})


def test_several_bad_fields_are_named_in_the_message():
    error = refused({"group_id": "x"})
    assert "assembly_id" in error.message and "group_id" in error.message


def test_as_id_reads_single_values():
    assert as_id("12") == 12 and as_id(12) == 12
    assert as_id(True) is None and as_id("doce") is None and as_id(0) is None
    assert as_id(MAX_INT + 1) is None and as_id(None) is None


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
        ),
        max_leaves=12,
    )
)
def test_any_json_value_is_parsed_or_refused_cleanly(data):
    try:
        parsed = parse(Sample, data)
    except InvalidInput as error:
        assert error.code == "invalid" and error.message
        assert all(isinstance(m, str) and m for m in error.fields.values())
    else:
        assert 1 <= parsed.assembly_id <= MAX_INT and 1 <= parsed.group_id <= MAX_INT
