"""Pure checks on assembly, theme and agenda input: raw strings in, clean values or messages out."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from zoneinfo import available_timezones

from assembly.assemblies.template import MOMENT_KINDS, STEP_KINDS
from assembly.config import DEFAULT_TIME_ZONE

Errors = dict[str, str]


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone, Colombia's first (the venue's zone is almost always it)."""
    others = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return (DEFAULT_TIME_ZONE, *(z for z in others if z != DEFAULT_TIME_ZONE))


def parse_time(text: str) -> time | None:
    """'8:00', '08:00', '14:45' → time; anything else → None."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return None


def parse_int(text: object, low: int, high: int) -> int | None:
    try:
        value = int(str(text).strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def clean_assembly(raw: Mapping[str, str]) -> tuple[dict, Errors]:
    """Validate the assembly's own fields (name, date, venue, sizes, plan period, agreement)."""
    clean: dict = {}
    errors: Errors = {}
    name = (raw.get("name") or "").strip()
    if not name:
        errors["name"] = "Escriba el nombre de la asamblea."
    elif len(name) > 200:
        errors["name"] = "El nombre no puede pasar de 200 caracteres."
    clean["name"] = name
    clean["region"] = (raw.get("region") or "").strip()[:120]
    clean["venue"] = (raw.get("venue") or "").strip()[:200]
    try:
        clean["date"] = date.fromisoformat((raw.get("date") or "").strip())
    except ValueError:
        errors["date"] = "Escriba la fecha como AAAA-MM-DD."
    agreement = (raw.get("agreement_line") or "").strip()
    if not agreement:
        errors["agreement_line"] = (
            "La línea del convenio es obligatoria: va en cada pieza impresa o proyectada."
        )
    clean["agreement_line"] = agreement[:300]
    for key, low, high, message in (
        ("capacity", 1, 100_000, "El aforo debe ser un número entre 1 y 100.000."),
        ("table_size", 3, 60, "El tamaño de sub-mesa debe estar entre 3 y 60 personas."),
        ("plan_start_year", 2000, 2100, "Año inicial no válido."),
        ("plan_end_year", 2000, 2100, "Año final no válido."),
    ):
        value = parse_int(raw.get(key, ""), low, high)
        if value is None:
            errors[key] = message
        clean[key] = value
    if (
        "plan_start_year" not in errors
        and "plan_end_year" not in errors
        and clean["plan_end_year"] < clean["plan_start_year"]
    ):
        errors["plan_end_year"] = "El año final del plan no puede ser anterior al inicial."
    zone = (raw.get("time_zone") or "").strip() or DEFAULT_TIME_ZONE
    if zone not in time_zones():
        errors["time_zone"] = "Elija la zona horaria de la lista."
    clean["time_zone"] = zone
    clean["department_code"] = (raw.get("department_code") or "").strip() or None
    clean["municipality_code"] = (raw.get("municipality_code") or "").strip() or None
    return clean, errors


def clean_theme(raw: Mapping[str, str]) -> tuple[dict, Errors]:
    title = (raw.get("title") or "").strip()
    errors = {}
    if not title:
        errors["title"] = "El eje necesita un título."
    elif len(title) > 200:
        errors["title"] = "El título no puede pasar de 200 caracteres."
    return {"title": title, "description": (raw.get("description") or "").strip()[:2000]}, errors


def clean_moment(raw: Mapping[str, str]) -> tuple[dict, Errors]:
    errors: Errors = {}
    title = (raw.get("title") or "").strip()
    if not title:
        errors["title"] = "El momento necesita un título."
    start = parse_time(raw.get("planned_start") or "")
    end = parse_time(raw.get("planned_end") or "")
    if start is None:
        errors["planned_start"] = "Hora de inicio no válida (HH:MM)."
    if end is None:
        errors["planned_end"] = "Hora de fin no válida (HH:MM)."
    if start and end and end <= start:
        errors["planned_end"] = "La hora de fin debe ser posterior a la de inicio."
    kind = raw.get("kind") or "momento"
    if kind not in MOMENT_KINDS:
        errors["kind"] = "Tipo de momento no válido."
    return {
        "title": title[:200],
        "planned_start": start,
        "planned_end": end,
        "kind": kind,
        "objective": (raw.get("objective") or "").strip()[:2000],
        "method": (raw.get("method") or "").strip()[:4000],
    }, errors


def clean_step(raw: Mapping[str, str]) -> tuple[dict, Errors]:
    errors: Errors = {}
    title = (raw.get("title") or "").strip()
    if not title:
        errors["title"] = "El paso necesita un título."
    minutes = parse_int(raw.get("minutes", ""), 1, 600)
    if minutes is None:
        errors["minutes"] = "La duración debe ser un número de minutos entre 1 y 600."
    kind = raw.get("kind") or "other"
    if kind not in STEP_KINDS:
        errors["kind"] = "Tipo de paso no válido."
    return {"title": title[:200], "minutes": minutes, "kind": kind}, errors


# --------------------------------------------------------------------------- the day's checklist

#: the steps of the day, in order (the assembly page shows them as a checklist)
DAY_STEPS = ("datos", "agenda", "inscripciones", "mesas", "dia", "plenaria", "informes")


@dataclass(frozen=True)
class DayStep:
    key: str
    #: "done", "now" (the first step not done) or "todo"
    state: str
    #: the numbers the step shows (e.g. {"registered": 480})
    figures: dict


def day_checklist(
    *, has_venue: bool, themes: int, moments: int, status: str, counts: dict
) -> list[DayStep]:
    """Each step of the day with its state, from the assembly and ``overview`` counts."""
    mesas = themes
    done = {
        "datos": has_venue,
        "agenda": themes > 0 and moments > 0,
        "inscripciones": counts.get("registered", 0) > 0,
        "mesas": counts.get("tables", 0) > 0,
        "dia": counts.get("clock") == "finished" or status == "closed",
        "plenaria": mesas > 0 and counts.get("decided", 0) >= mesas,
        "informes": status == "closed",
    }
    figures = {
        "datos": {},
        "agenda": {"themes": themes, "moments": moments},
        "inscripciones": {"registered": counts.get("registered", 0)},
        "mesas": {"tables": counts.get("tables", 0), "seated": counts.get("seated", 0)},
        "dia": {"checked_in": counts.get("checked_in", 0), "clock": counts.get("clock", "idle")},
        "plenaria": {
            "decided": counts.get("decided", 0),
            "mesas": mesas,
            "voting": counts.get("voting", 0),
        },
        "informes": {"acta": bool(counts.get("acta"))},
    }
    first_open = next((key for key in DAY_STEPS if not done[key]), None)
    return [
        DayStep(
            key, "done" if done[key] else ("now" if key == first_open else "todo"), figures[key]
        )
        for key in DAY_STEPS
    ]
