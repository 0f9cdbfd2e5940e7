"""The app's QR codes read back by zxing-cpp (a decoder the project did not write): the fixed
mask gives valid codes of the right text, the SVG's path draws exactly the code's modules, and
a code is built once, without qrcode's mask search (issue 16: a page of 200 badges)."""

import io
import xml.etree.ElementTree as ET

import pytest
import qrcode
import qrcode.constants

from assembly.core import qr
from tests.support.qr_read import codes_made, decode_png, decode_svg, svg_image

DATA = (
    "http://192.168.50.10/t/" + "A" * 43,  # a ticket: the token is 43 URL-safe characters
    "http://10.0.0.7:5000/t/Zx-_9qLm3kPw0aB7cD1eF2gH4iJ5kL6mN7oP8qR9sT0",
    "https://asamblea-departamental.gobernacion.example.gov.co/tablero/Qm9hcmQtdG9rZW4tZm9yLXRlc3Q",
    "http://192.168.50.10/mesa/K7Q2",
    "M",  # the smallest version
    "https://example.org/encuesta/" + "x" * 400,  # a large version (several alignment patterns)
)


@pytest.fixture(autouse=True)
def fresh_cache():
    qr.qr_svg.cache_clear()
    qr.qr_png.cache_clear()
    yield
    qr.qr_svg.cache_clear()
    qr.qr_png.cache_clear()


@pytest.mark.parametrize("data", DATA)
def test_svg_and_png_decode_to_their_text_with_the_fixed_mask(data):
    for read in (decode_svg(qr.qr_svg(data, label="Código QR")), decode_png(qr.qr_png(data))):
        assert read.text == data
        assert read.extra["DataMask"] == qr.MASK_PATTERN and read.extra["ECLevel"] == "M"
    assert decode_svg(qr.qr_svg(data, border=2)).text == data  # the board's narrow quiet zone


@pytest.mark.parametrize("data", DATA[:3])
def test_the_svg_draws_exactly_the_modules_of_the_code_quiet_zone_included(data):
    matrix = qr.qr_matrix(data, border=2)
    image = svg_image(qr.qr_svg(data, border=2), scale=1)
    assert image.size == (len(matrix), len(matrix))
    pixels = image.load()
    drawn = [[pixels[x, y] == 0 for x in range(len(matrix))] for y in range(len(matrix))]
    assert drawn == matrix
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # the quiet zone is white


def test_the_svg_scales_to_its_box_and_says_its_label(data=DATA[0]):
    svg = qr.qr_svg(data, label='Código "QR" <de> Ana & Beto')
    root = ET.fromstring(svg)  # well formed, the label escaped
    assert root.get("aria-label") == 'Código "QR" <de> Ana & Beto' and root.get("role") == "img"
    assert root.get("width") is None and root.get("height") is None  # CSS decides its size
    assert svg.startswith("<svg ") and "<path " in svg and "ns0:" not in svg  # plain HTML tags
    assert [e.tag.rpartition("}")[2] for e in root] == ["rect", "path"]  # white, one path
    assert ET.fromstring(qr.qr_svg(data)).get("aria-label") == data  # no label: the text


def test_a_code_is_made_without_the_mask_search_and_a_known_one_is_not_made_again(monkeypatch):
    made = codes_made(monkeypatch)
    first = qr.qr_svg(DATA[0], label="Código QR")
    assert qr.qr_svg(DATA[0], label="Código QR") is first  # a reprint: kept, not made again
    qr.qr_svg(DATA[1], label="Código QR")
    assert qr.qr_png(DATA[0]) is qr.qr_png(DATA[0])  # a reprinted join card: kept too
    assert made == [qr.MASK_PATTERN] * 3
    assert qr.qr_svg.cache_info().maxsize == qr.SVG_CACHE_SIZE  # bounded
    assert qr.qr_png.cache_info().maxsize == qr.PNG_CACHE_SIZE


@pytest.mark.parametrize(("box_size", "border"), [(10, 4), (10, 2), (3, 1)])
def test_the_png_is_the_one_qrcodes_own_pillow_factory_writes(box_size, border):
    """The PNG is drawn from the matrix in one go: byte for byte what qrcode's factory (one
    rectangle a module) writes for the same code."""
    for data in DATA[:2] + DATA[-1:]:
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size,
            border=border, mask_pattern=qr.MASK_PATTERN,
        )  # fmt: skip
        code.add_data(data)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image().save(buffer, format="PNG")
        assert qr.qr_png(data, box_size=box_size, border=border) == buffer.getvalue()
