"""What every report shares: the reports and their sheets, variants, the header block, columns.

Pure logic: plain data in, plain data out (no Flask, no models, no spreadsheet library).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from assembly.core import divipola
from assembly.marks import N_
from assembly.registration import domain as registration

from . import venue

#: the zone of an assembly that names none (Colombia has one zone and no summer time)
DEFAULT_ZONE = ZoneInfo("America/Bogota")

#: COMPARISON is a sheet, not a report of its own: the follow-up and complete files of
#: several assemblies carry it (one row per assembly)
COMPARISON = "comparacion"
ATTENDANCE, PARTICIPATION, ROSTERS, AGENDA, COMMITMENTS, FOLLOWUP, SATISFACTION, ALL = (
    "asistencia",
    "participacion",
    "mesas",
    "agenda",
    "compromisos",
    "seguimiento",
    "satisfaccion",
    "completo",
)
#: report kind -> (title, what it holds), in the order the reports page lists them
REPORTS: dict[str, tuple[str, str]] = {
    ATTENDANCE: (
        N_("Asistencia"),
        N_(
            "Formato unificado: todos los campos del registro, preguntas adicionales, llegada y mesa."
        ),
    ),
    PARTICIPATION: (
        N_("Participación / enfoque diferencial"),
        N_(
            "Inscritas y asistentes por sexo, edad, etnia, discapacidad, víctimas, migrantes, LGBTIQ+, zona, organización, oficio y municipio, con gráficos."
        ),
    ),
    ROSTERS: (
        N_("Mesas y sub-mesas"),
        N_("Quién está en cada mesa y sub-mesa: facilitación, líderes y vocerías."),
    ),
    AGENDA: (
        N_("Agenda consolidada"),
        N_("Por eje: necesidad → solución → plan de trabajo, con el resultado de la aprobación."),
    ),
    COMMITMENTS: (
        N_("Compromisos"),
        N_(
            "Una fila por compromiso del plan de trabajo (quién, cuándo, estado) para el seguimiento."
        ),
    ),
    FOLLOWUP: (
        N_("Seguimiento de compromisos"),
        N_(
            "Los compromisos con su estado y avance, y el historial de cada reporte de avance; con varias asambleas, una comparación por asamblea (avance de los compromisos y satisfacción)."
        ),
    ),
    SATISFACTION: (
        N_("Encuesta de satisfacción"),
        N_(
            "Las respuestas por pregunta, por mesa y por enfoque diferencial (solo grupos de al menos k respuestas), con gráficos, y los comentarios."
        ),
    ),
    ALL: (
        N_("Informe completo"),
        N_("Todos los informes anteriores en un solo libro, una hoja por informe."),
    ),
}
#: the sheets each report file holds
SHEETS: dict[str, tuple[str, ...]] = {
    ATTENDANCE: (ATTENDANCE,),
    PARTICIPATION: (PARTICIPATION,),
    ROSTERS: (ROSTERS,),
    AGENDA: (AGENDA,),
    COMMITMENTS: (COMMITMENTS,),
    FOLLOWUP: (COMMITMENTS, FOLLOWUP, COMPARISON),
    SATISFACTION: (SATISFACTION,),
    ALL: (
        ATTENDANCE,
        PARTICIPATION,
        ROSTERS,
        AGENDA,
        COMMITMENTS,
        FOLLOWUP,
        SATISFACTION,
        COMPARISON,
    ),
}
#: sheet titles (Excel allows 31 characters and no "/")
SHEET_TITLES = {
    ATTENDANCE: "Asistencia",
    PARTICIPATION: "Participación",
    ROSTERS: "Mesas y sub-mesas",
    AGENDA: "Agenda consolidada",
    COMMITMENTS: "Compromisos",
    FOLLOWUP: "Historial de seguimiento",
    SATISFACTION: "Satisfacción",
    COMPARISON: "Comparación por asamblea",
}

FULL, PSEUDONYMISED = "completa", "seudonimizada"
VARIANTS = {
    FULL: N_("Datos completos (documento y contacto)"),
    PSEUDONYMISED: N_("Seudonimizada, para compartir (sin documento ni contacto)"),
}

YES, NO, NO_DATA = "Sí", "No", "Sin dato"


def yes_no(value: object) -> str | None:
    if value is None:
        return None
    return YES if value else NO


def slugify(text: str) -> str:
    """A file-system friendly name: "Asamblea PIT Arauca" -> "asamblea-pit-arauca"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "asamblea"


def pseudonym(secret: str, document_type: str, document_number: str) -> str:
    """A stable code for one person: the same document gives the same code in every export
    and every assembly (so people can be counted across regions), and nobody without the
    server's key can go back to the document."""
    message = f"{document_type}:{document_number}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest[:10]).decode()[:12]


@dataclass(frozen=True)
class AssemblyInfo:
    """The assembly data every report carries in its header block."""

    id: int
    name: str
    region: str
    venue: str
    date: date
    agreement_line: str
    municipality_code: str | None = None
    #: the venue's zone: every time the report shows is local time there
    zone: tzinfo = DEFAULT_ZONE

    @property
    def place(self) -> str:
        municipality = divipola.municipality_name(self.municipality_code or "") or ""
        return ", ".join(part for part in (self.venue, municipality) if part)


def header_lines(
    title: str, assemblies: Sequence[AssemblyInfo], generated_at: datetime, *, variant: str
) -> list[str]:
    """The lines above a report's table: agreement, report, assembly data, when (at the
    venue of the first assembly; ``generated_at`` is naive UTC or aware) and how, and the
    zone the sheet's times are in."""
    agreements = list(dict.fromkeys(a.agreement_line for a in assemblies if a.agreement_line))
    lines = [" · ".join(agreements)] if agreements else []
    if len(assemblies) == 1:
        only = assemblies[0]
        lines.append(f"{title} — {only.name}")
        details = [only.region, only.place, only.date.strftime("%d/%m/%Y")]
        lines.append(" · ".join(part for part in details if part))
    else:
        lines.append(f"{title} — consolidado de {len(assemblies)} asambleas")
        names = "; ".join(f"{a.name} ({a.date.strftime('%d/%m/%Y')})" for a in assemblies[:12])
        more = f"; y {len(assemblies) - 12} más" if len(assemblies) > 12 else ""
        lines.append(names + more)
    note = (
        " Versión seudonimizada: sin documentos ni datos de contacto."
        if variant == PSEUDONYMISED
        else ""
    )
    generated = venue.local(generated_at, assemblies[0].zone)
    zones = venue.zone_note((a.zone for a in assemblies), generated_at)
    lines.append(f"Generado el {generated.strftime('%d/%m/%Y %H:%M')}. {zones}{note}")
    return lines


#: what a column holds, for its width and number format
ColumnKind = str  # text, long, short, date, datetime, int


@dataclass(frozen=True)
class Column:
    header: str
    kind: ColumnKind = "text"


CHOICE_LABELS: dict[str, dict[str, str]] = {
    f.key: dict(f.choices) for f in registration.FIELDS if f.kind == "choice" and f.choices
}
BOOL_KEYS = frozenset(f.key for f in registration.FIELDS if f.kind == "bool")


def export_filename(kind: str, variant: str, when: datetime) -> str:
    """ "asistencia-seudonimizada-20260314-170502.xlsx" (``when`` as the venue reads it)."""
    suffix = f"-{variant}" if kind in (ATTENDANCE, ROSTERS, ALL) else ""
    return f"{kind}{suffix}-{when.strftime('%Y%m%d-%H%M%S')}.xlsx"
