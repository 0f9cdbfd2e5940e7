"""QR codes as PNG bytes (tickets, join cards) and inline SVG (badges and the poster, crisp in
print), both from the ``qrcode`` library."""

import io
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


def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG of the QR code of ``data`` (qrcode's Pillow image)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


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
