"""QR codes as PNG bytes (tickets) and inline SVG (badges and the poster, crisp in print).

The matrix comes from the ``qrcode`` library; the PNG is written here with zlib so that no
imaging library is needed on the venue laptop.
"""

import struct
import zlib
from html import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_matrix(data: str, *, border: int = 4) -> list[list[bool]]:
    """The QR modules of ``data`` (True = dark), quiet zone included. Medium error
    correction survives a creased badge."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG (1-bit grayscale) of the QR code of ``data``."""
    matrix = qr_matrix(data, border=border)
    size = len(matrix) * box_size
    lines = []
    for row in matrix:
        bits = "".join(("0" if dark else "1") * box_size for dark in row)
        bits += "1" * (-len(bits) % 8)
        line = b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")
        lines.extend([line] * box_size)
    header = struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(lines), 9))
        + _chunk(b"IEND", b"")
    )


def qr_svg(data: str, *, label: str = "") -> str:
    """An inline SVG of the QR code of ``data`` that scales to its box (one path)."""
    matrix = qr_matrix(data)
    size = len(matrix)
    path = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img" aria-label="{escape(label or data)}">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )
