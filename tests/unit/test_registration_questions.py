"""Extra questions as an admin types them, and the QR PNG writer (no app)."""

import struct
import zlib

import pytest

from assembly.registration.domain import clean_extra_question
from assembly.registration.qr import qr_matrix, qr_png


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


def test_qr_png_is_a_valid_one_bit_png_of_the_matrix():
    data = qr_png("http://192.168.1.10:5000/t/abc", box_size=3, border=4)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    (length,) = struct.unpack(">I", data[8:12])
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    matrix = qr_matrix("http://192.168.1.10:5000/t/abc")
    assert (width, height, depth, color) == (len(matrix) * 3, len(matrix) * 3, 1, 0)
    idat_start = 8 + 12 + length
    (idat_length,) = struct.unpack(">I", data[idat_start : idat_start + 4])
    body = data[idat_start + 8 : idat_start + 8 + idat_length]
    crc = struct.unpack(">I", data[idat_start + 8 + idat_length : idat_start + 12 + idat_length])[0]
    assert zlib.crc32(b"IDAT" + body) == crc
    assert len(zlib.decompress(body)) == height * (1 + (width + 7) // 8)
    assert data.endswith(b"IEND\xaeB`\x82")
