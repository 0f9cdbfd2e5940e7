"""The projector's idle slideshow: images the organizers upload, kept in the instance folder.

Every function flushes; the caller commits.  Files are written before the row is flushed
and removed by the route only after the deletion is committed, so a failed transaction
never leaves a row without its file.
"""

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from assembly.agenda.models import Slide
from assembly.assemblies.models import Assembly
from assembly.core.ordering import moved, renumber
from assembly.errors import InvalidInput, NotFound
from assembly.extensions import db

#: largest image accepted, in bytes
MAX_SLIDE_BYTES = 8 * 1024 * 1024
MAX_SLIDES = 60
#: Pillow format -> (content type, file extension)
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}


def slide_dir(assembly_id: int) -> Path:
    base = current_app.config.get("SLIDES_DIR") or Path(current_app.instance_path) / "slides"
    return Path(base) / str(int(assembly_id))


def list_slides(assembly_id: int) -> list[Slide]:
    return db.session.scalars(
        select(Slide).where(Slide.assembly_id == assembly_id).order_by(Slide.position)
    ).all()


def _image_format(data: bytes) -> str | None:
    """The real format of an image by its signature (never by its name), or None.

    Pillow is not a dependency: the signature plus a sane header is enough to refuse what
    the browser could not show anyway (a renamed document, a truncated file)."""
    if data.startswith(b"\xff\xd8\xff") and len(data) > 4:
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def check_upload(name: str, data: bytes) -> tuple[str | None, str | None]:
    """(Pillow format, None) for a good image, or (None, a Spanish reason)."""
    if not data:
        return None, f"«{name}» está vacío."
    if len(data) > MAX_SLIDE_BYTES:
        size = len(data) / (1024 * 1024)
        return None, (
            f"«{name}» pesa {size:.1f} MB; el máximo es {MAX_SLIDE_BYTES // (1024 * 1024)} MB."
        )
    image_format = _image_format(data)
    if image_format not in FORMATS:
        return None, f"«{name}» no es una imagen JPG, PNG, WebP o GIF."
    return image_format, None


def add_slides(actor, assembly_id: int, uploads: list[tuple[str, bytes]]) -> list[Slide]:
    """Store every upload at the end of the slideshow; one bad file stores none of them."""
    if db.session.get(Assembly, assembly_id) is None:
        raise NotFound(_("La asamblea no existe."))
    uploads = [(name or "imagen", data) for name, data in uploads]
    if not uploads:
        raise InvalidInput(_("Elija al menos una imagen."), fields={"images": "Elija una imagen."})
    existing = list_slides(assembly_id)
    if len(existing) + len(uploads) > MAX_SLIDES:
        raise InvalidInput(_("La presentación admite hasta %(n)s imágenes.", n=MAX_SLIDES))
    checked, problems = [], []
    for name, data in uploads:
        image_format, problem = check_upload(name, data)
        if problem:
            problems.append(problem)
        checked.append((name, data, image_format))
    if problems:
        raise InvalidInput(" ".join(problems), fields={"images": " ".join(problems)})
    folder = slide_dir(assembly_id)
    folder.mkdir(parents=True, exist_ok=True)
    created = []
    position = max((s.position for s in existing), default=0)
    for name, data, image_format in checked:
        content_type, extension = FORMATS[image_format]
        stored = f"{secrets.token_hex(12)}.{extension}"
        (folder / stored).write_bytes(data)
        position += 1
        slide = Slide(
            assembly_id=assembly_id,
            position=position,
            stored_name=stored,
            original_name=Path(name).name[:200],
            content_type=content_type,
            size=len(data),
        )
        db.session.add(slide)
        created.append(slide)
    db.session.flush()
    return created


def get_slide(assembly_id: int, slide_id: int) -> Slide:
    slide = db.session.get(Slide, slide_id)
    if slide is None or slide.assembly_id != assembly_id:
        raise NotFound(_("La imagen no existe."))
    return slide


def slide_path(slide: Slide) -> Path:
    return slide_dir(slide.assembly_id) / slide.stored_name


def delete_slide(actor, assembly_id: int, slide_id: int) -> Path:
    """Remove the row; returns the file to delete once the caller has committed."""
    slide = get_slide(assembly_id, slide_id)
    path = slide_path(slide)
    db.session.delete(slide)
    db.session.flush()
    renumber(list_slides(assembly_id))
    return path


def move_slide(actor, assembly_id: int, slide_id: int, delta: int) -> None:
    slide = get_slide(assembly_id, slide_id)
    slides = list_slides(assembly_id)
    renumber(moved(slides, slides.index(slide), delta))
