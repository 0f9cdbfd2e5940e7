"""Extra questions as an admin types them, and the QR PNG writer (no app)."""

import io

import pytest

from assembly.core.qr import qr_matrix, qr_png
from assembly.registration.domain import clean_extra_question


def test_a_choice_question_keeps_distinct_trimmed_options():
    clean, errors = clean_extra_question(
        {
            "label": "  Producto   principal ",
            "kind": "choice",
            "choices": "Cacao\n\n  plátano \nCACAO\nPlátano",
            "required": "si",
        }
    )
    assert errors == {}
    assert clean == {
        "label": "Producto principal",
        "kind": "choice",
        "required": True,
        "choices": ["Cacao", "plátano"],
    }


def test_options_are_ignored_for_other_kinds():
    clean, errors = clean_extra_question(
        {"label": "¿Viene en bus?", "kind": "yesno", "choices": "a\nb"}
    )
    assert errors == {} and clean["choices"] == [] and clean["required"] is False


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"label": "", "kind": "text"}, "label"),
        ({"label": "x" * 301, "kind": "text"}, "label"),
        ({"label": "Pregunta", "kind": "fecha"}, "kind"),
        ({"label": "Pregunta", "kind": "choice", "choices": "una sola"}, "choices"),
        (
            {
                "label": "Pregunta",
                "kind": "choice",
                "choices": "\n".join(str(n) for n in range(31)),
            },
            "choices",
        ),
        ({"label": "Pregunta", "kind": "choice", "choices": "a\n" + "b" * 101}, "choices"),
    ],
)
def test_bad_questions_say_what_to_fix(raw, field):
    _, errors = clean_extra_question(raw)
    assert list(errors) == [field]


def test_qr_png_is_a_png_of_the_matrix():
    from PIL import Image

    data = qr_png("http://192.168.1.10:5000/t/abc", box_size=3, border=4)
    matrix = qr_matrix("http://192.168.1.10:5000/t/abc")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (len(matrix) * 3, len(matrix) * 3)
    pixels = image.convert("1").load()
    read = [
        [pixels[x * 3 + 1, y * 3 + 1] == 0 for x in range(len(matrix))] for y in range(len(matrix))
    ]
    assert read == matrix
