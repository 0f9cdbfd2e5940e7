"""Reading the app's QR codes back with a decoder the project did not write (zxing-cpp, a dev
dependency): a PNG as it is, an SVG drawn first into an image (its viewBox, white, and the
filled paths: SVG path data with M/L/H/V/Z commands, absolute or relative, as any
axis-aligned drawing of modules writes it)."""

import io
import re
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image, ImageDraw

_TOKEN = re.compile(r"[MmLlHhVvZz]|-?\d+(?:\.\d+)?")


def _polygons(d: str) -> list[list[tuple[float, float]]]:
    """The closed outlines of SVG path data ``d``."""
    polygons, current, x, y, command = [], [], 0.0, 0.0, "M"
    tokens = _TOKEN.findall(d)
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                polygons.append(current)
                x, y = current[0] if current else (x, y)
                current = []
                continue
        relative = command.islower()
        op = command.upper()
        if op in "ML":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            if op == "M" and current:
                polygons.append(current)
                current = []
            current.append((x, y))
            command = "l" if relative else "L"  # coordinates after a moveto are linetos
        elif op == "H":
            x = x + float(tokens[i]) if relative else float(tokens[i])
            i += 1
            current.append((x, y))
        elif op == "V":
            y = y + float(tokens[i]) if relative else float(tokens[i])
            i += 1
            current.append((x, y))
        else:
            raise ValueError(f"unexpected path command {command!r}")
    if current:
        polygons.append(current)
    return polygons


def svg_image(svg: str, scale: int = 8) -> Image.Image:
    """A greyscale image of a QR SVG, ``scale`` pixels a viewBox unit."""
    root = ET.fromstring(svg)
    left, top, width, height = (float(v) for v in root.get("viewBox").split())
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for element in root.iter():
        if element.tag.rpartition("}")[2] != "path":
            continue
        fill = 0 if element.get("fill", "black") in ("black", "#000", "#000000") else 255
        for polygon in _polygons(element.get("d", "")):
            points = [((px - left) * scale, (py - top) * scale) for px, py in polygon]
            # pixel-exact squares: PIL fills a polygon up to and including its right edge
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            if len(set(xs)) == 2 and len(set(ys)) == 2:
                draw.rectangle((min(xs), min(ys), max(xs) - 1, max(ys) - 1), fill=fill)
            else:
                draw.polygon(points, fill=fill)
    return image


def decode_image(image: Image.Image):
    """The one QR code zxing-cpp finds in ``image`` (fails if it finds none or several)."""
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{len(found)} QR codes found"
    assert found[0].valid
    return found[0]


def decode_svg(svg: str):
    return decode_image(svg_image(svg))


def decode_png(data: bytes):
    return decode_image(Image.open(io.BytesIO(data)))


def codes_made(monkeypatch) -> list[int]:
    """A list that grows by the mask of every QR code ``qrcode`` makes from now on; qrcode's
    mask search (eight trial codes scored, ~5 ms a code) fails the test if it runs."""
    import qrcode

    made, real_make = [], qrcode.QRCode.make

    def make(self, fit=True):
        made.append(self.mask_pattern)
        return real_make(self, fit)

    def no_search(self):
        raise AssertionError("qrcode's mask search ran")

    monkeypatch.setattr(qrcode.QRCode, "make", make)
    monkeypatch.setattr(qrcode.QRCode, "best_mask_pattern", no_search)
    return made
