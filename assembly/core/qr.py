"""QR codes, encoded only by the ``qrcode`` library: PNG bytes (tickets, join cards) and SVG
(badges, the poster and the board, crisp in print and on a projector).

Medium error correction everywhere: it survives a creased badge or a glare on the screen.

Cost (issue 16: a page of 200 badges must stay cheap): left to itself, ``qrcode`` builds each
code nine times to score its eight masks, and its SVG factories draw one square per module;
together ~11 ms a badge here, 20–45 ms on a loaded laptop. So every code uses one fixed mask
(:data:`MASK_PATTERN`), the SVG is drawn from the module matrix as one path of horizontal runs,
and the last :data:`SVG_CACHE_SIZE` SVGs and :data:`PNG_CACHE_SIZE` PNGs are kept (a reprinted
page, the board's QR fetched by every screen): ~2 ms a new badge code, nothing for a known one.
"""

import functools
import io
import re
from html import escape

import qrcode
from flask import Response
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

_SVG_NS = "http://www.w3.org/2000/svg"
_DARK_RUN = re.compile(b"\x01+")  # a row of the matrix as bytes: 1 dark, 0 light
_GREY = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # those bytes as grey: white, black

#: The mask every code is drawn with (ISO/IEC 18004 §7.8). Any of the eight is a valid code:
#: the format bits tell the reader which one was used (tests decode them with zxing-cpp, the
#: desk reads them with jsQR). The mask search only lowers a penalty score (finder-like
#: patterns, large blocks); over 400 ticket URLs mask 4 had the lowest mean and worst score of
#: the eight (1,136 and 1,419, against 1,021 and 1,189 for the best mask of each code).
MASK_PATTERN = 4

#: How many SVGs are kept in each process (~5 KB each: ~5 MB): five pages of 200 badges.
SVG_CACHE_SIZE = 1024
#: How many PNGs (~1–2 KB each): two pages of 100 join cards.
PNG_CACHE_SIZE = 256


def _code(data: str, *, border: int = 4) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        border=border,
        mask_pattern=MASK_PATTERN,
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_matrix(data: str, *, border: int = 4) -> list[list[bool]]:
    """The QR modules of ``data`` (True = dark), quiet zone included."""
    return _code(data, border=border).get_matrix()


@functools.lru_cache(maxsize=PNG_CACHE_SIZE)
def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG of the QR code of ``data``, ``box_size`` pixels a module: the
    matrix as one pixel a module, scaled up (the same pixels as ``qrcode``'s Pillow factory,
    which draws every module as its own rectangle: a third of the time). A reprinted page of
    join cards asks for the same ones again; a rotated code is other data, never an old image."""
    matrix = qr_matrix(data, border=border)
    size = len(matrix)
    grey = b"".join(bytes(row) for row in matrix).translate(_GREY)
    image = Image.frombytes("L", (size, size), grey).resize(
        (size * box_size, size * box_size), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).save(buffer, format="PNG")
    return buffer.getvalue()


def png_response(data: str, *, cache_control: str, box_size: int = 10, border: int = 4):
    """The QR of ``data`` as a PNG response; ``cache_control`` says who may keep it (a join
    code can rotate: ``private, no-store``; a ticket's stays: a day)."""
    response = Response(qr_png(data, box_size=box_size, border=border), mimetype="image/png")
    response.headers["Cache-Control"] = cache_control
    return response


def _runs_path(matrix: list[list[bool]]) -> str:
    """The dark modules as SVG path data: one rectangle per horizontal run of dark modules
    (a third of the squares ``qrcode``'s path factory writes, one per module)."""
    parts = []
    for y, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(bytes(row)):
            start, end = run.span()
            parts.append(f"M{start} {y}h{end - start}v1h-{end - start}z")
    return "".join(parts)


@functools.lru_cache(maxsize=SVG_CACHE_SIZE)
def qr_svg(data: str, *, label: str = "", border: int = 4) -> str:
    """An SVG document of the QR code of ``data`` (white background, one path) that scales to
    its box: no fixed size, so CSS decides; ``label`` is what a screen reader says. Plain
    ``<svg>``/``<path>`` tags with the namespace as an attribute: HTML parses no prefix."""
    matrix = qr_matrix(data, border=border)
    size = len(matrix)
    return (
        f'<svg viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label or data)}"'
        f' shape-rendering="crispEdges" xmlns="{_SVG_NS}">'
        f'<rect fill="white" width="100%" height="100%"/>'
        f'<path fill="black" d="{_runs_path(matrix)}"/></svg>'
    )
