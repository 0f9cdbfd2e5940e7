"""The follow-up rules: pure functions over plain values (no Flask, no models).

A commitment's status is one of :data:`STATUSES` with a progress 0–100 %; a report (from the
responsible's link or from staff) is checked by :func:`clean_report`; :func:`flags` says
whether a commitment is overdue or at risk on a given day.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from assembly.assemblies import periods

STATUSES = {
    "pendiente": "Pendiente",
    "en_curso": "En curso",
    "cumplido": "Cumplido",
    "en_riesgo": "En riesgo",
    "cancelado": "Cancelado",
}
#: statuses that end the follow-up: never overdue
FINISHED = frozenset({"cumplido", "cancelado"})
WHO_KINDS = {"organizacion": "Organización", "persona": "Persona", "institucion": "Institución"}
NOTE_LIMIT = 1000
#: commitment fields staff may complete (seed 000: how, how much, indicator) and their limits
DETAIL_LIMITS = {
    "how": 1000,
    "money": 200,
    "people": 200,
    "alliances": 300,
    "indicator": 300,
}


def who_key(who: str | None) -> str:
    """A responsible's name folded for matching: case, accents and repeated blanks ignored."""
    text = unicodedata.normalize("NFKD", str(who or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()[:300]


def _progress(value: object) -> int | None:
    text = str(value if value is not None else "").strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,3}", text):
        return None
    number = int(text)
    return number if 0 <= number <= 100 else None


def clean_report(raw: dict) -> tuple[dict, dict]:
    """A progress report: ``status``, ``progress`` (0–100) and an optional ``note``.
    Returns (clean, errors); errors map field → Spanish message and nothing is guessed."""
    errors: dict[str, str] = {}
    status = str(raw.get("status") or "").strip()
    if status not in STATUSES:
        errors["status"] = "Elija un estado de la lista."
    progress = _progress(raw.get("progress"))
    if progress is None:
        errors["progress"] = "El avance es un número entero de 0 a 100."
    note = str(raw.get("note") or "").strip()
    if len(note) > NOTE_LIMIT:
        errors["note"] = f"La nota tiene más de {NOTE_LIMIT} caracteres."
    if not errors:
        if status == "cumplido" and progress != 100:
            errors["progress"] = "Un compromiso cumplido tiene un avance de 100 %."
        elif status == "pendiente" and progress:
            errors["status"] = "Con avance mayor que 0 el estado no puede ser «Pendiente»."
    return {"status": status, "progress": progress, "note": note}, errors


def clean_details(raw: dict) -> tuple[dict, dict]:
    """Staff's completion of a commitment: who's kind and the seed 000 fields."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    kind = str(raw.get("who_kind") or "").strip()
    if kind not in WHO_KINDS:
        errors["who_kind"] = "Elija organización, persona o institución."
    clean["who_kind"] = kind
    for field, limit in DETAIL_LIMITS.items():
        value = str(raw.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = f"Máximo {limit} caracteres."
        clean[field] = value
    return clean, errors


def deadline(due: str | None) -> date | None:
    """The last day of a commitment's quarter (or its ISO date)."""
    quarter = periods.parse(due)
    if quarter:
        return quarter.last_day
    try:
        return date.fromisoformat(str(due or "").strip())
    except ValueError:
        return None


def flags(status: str, due: str | None, today: date) -> dict[str, bool]:
    """``overdue``: its deadline passed and it is not finished; ``at_risk``: reported at risk."""
    end = deadline(due)
    return {
        "overdue": bool(end and end < today and status not in FINISHED),
        "at_risk": status == "en_riesgo",
    }
