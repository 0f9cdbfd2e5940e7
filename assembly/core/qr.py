"""QR codes, only through the ``qrcode`` library: PNG bytes (tickets, join cards) and SVG (badges,
the poster and the board, crisp in print and on a projector).

Medium error correction everywhere: it survives a creased badge or a glare on the screen.
"""

import io
import xml.etree.ElementTree as ET

import qrcode
import qrcode.image.svg
from flask import Response
from qrcode.constants import ERROR_CORRECT_M

_SVG_NS = "http://www.w3.org/2000/svg"


def _code(data: str, *, box_size: int = 10, border: int = 4) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_matrix(data: str, *, border: int = 4) -> list[list[bool]]:
    """The QR modules of ``data`` (True = dark), quiet zone included."""
    return _code(data, border=border).get_matrix()


def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG of the QR code of ``data``."""
    buffer = io.BytesIO()
    _code(data, box_size=box_size, border=border).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def png_response(data: str, *, cache_control: str, box_size: int = 10, border: int = 4):
    """The QR of ``data`` as a PNG response; ``cache_control`` says who may keep it (a join
    code can rotate: ``private, no-store``; a ticket's stays: a day)."""
    response = Response(qr_png(data, box_size=box_size, border=border), mimetype="image/png")
    response.headers["Cache-Control"] = cache_control
    return response


def qr_svg(data: str, *, label: str = "", border: int = 4) -> str:
    """An SVG document of the QR code of ``data`` (white background, one path) that scales to
    its box: no fixed size, so CSS decides; ``label`` is what a screen reader says."""
    image = _code(data, border=border).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    root = ET.fromstring(image.to_string(encoding="unicode"))
    for fixed in ("width", "height"):
        root.attrib.pop(fixed, None)
    root.set("role", "img")
    root.set("aria-label", label or data)
    root.set("shape-rendering", "crispEdges")
    for element in root.iter():  # plain <svg>/<path> tags: HTML parses no namespace prefix
        element.tag = element.tag.rpartition("}")[2]
    root.set("xmlns", _SVG_NS)
    return ET.tostring(root, encoding="unicode")
