"""Photo evidence: size-limited, re-encoded as JPEG without any metadata (EXIF, GPS, XMP)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

#: the upload as sent (a phone photo is 2–6 MB)
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
#: refused before decoding (a "decompression bomb" or a huge scan)
MAX_PIXELS = 50_000_000
#: the stored photo's longest side
MAX_SIDE = 1600


class PhotoError(ValueError):
    """An upload that is not a usable photo; the message is shown as is."""


def clean_photo(data: bytes) -> bytes:
    """The photo as a JPEG at most :data:`MAX_SIDE` px wide or high, turned upright as the
    camera held it, with no metadata. Raises :class:`PhotoError` with a Spanish message."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(
            f"La foto pesa más de {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Envíe una más liviana."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError("La foto es demasiado grande. Envíe una de menor resolución.")
            image.load()
            image = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise PhotoError("El archivo no es una foto (JPEG, PNG o WebP).") from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)  # only the pixels: nothing else is copied
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()
