"""The Planilla de asistencia: the attendance list in the unified format, made to be printed
and signed (no., name, document, organisation, municipality, arrival, signature).

It goes with the full Asistencia data (never with the pseudonymised copy, which has neither
names nor documents to sign against), on its own sheet right after it, so that the data
sheet stays the first one and imports back as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import venue
from .attendance import Context, place_names
from .common import Column

SIGN_IN_TITLE = "Planilla de asistencia"
#: the columns, with the width (Excel characters) each prints at
SIGN_IN_COLUMNS: tuple[tuple[Column, float], ...] = (
    (Column("No.", "int"), 5),
    (Column("Nombre completo", "long"), 30),
    (Column("Documento"), 15),
    (Column("Organización", "long"), 34),
    (Column("Municipio"), 16),
    (Column("Llegada", "time"), 8),
    (Column("Firma", "long"), 26),
)
SIGNATURE_ROW_POINTS = 26  # room for a signature and two lines of a long name


def sign_in_row(number: int, record: Mapping[str, object], context: Context) -> list[object]:
    """One person's line: running number, full name, "CC 52123456", organisation,
    municipality, arrival time at the venue (blank until they arrive) and a blank to sign."""
    _, municipality = place_names(record.get("department_code"), record.get("municipality_code"))
    document = " ".join(
        str(part) for part in (record.get("document_type"), record.get("document_number")) if part
    )
    return [
        number,
        f"{record.get('first_names') or ''} {record.get('last_names') or ''}".strip(),
        document,
        record.get("organization_name"),
        municipality or None,
        venue.local(record.get("checked_in_at"), context.zone(record.get("assembly_id"))),
        None,
    ]
