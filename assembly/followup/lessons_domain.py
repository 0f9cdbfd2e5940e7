"""Lessons-learned cards (seed 003), pure: the card's fields in the seed's order, the Global
Compact for Migration and the SDGs a card relates to, the code ("LA2_ISE"), checking a card
and an area, and the search filters. Plain data in, plain data out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

#: the card's texts in the seed's order: key -> (label, limit, long)
TEXT_FIELDS: dict[str, tuple[str, int, bool]] = {
    "finding": ("Hallazgo", 1000, True),
    "description": ("Descripción de la lección", 3000, True),
    "context": ("Contexto y condiciones previas relacionadas", 3000, True),
    "goals": ("Metas del proyecto", 2000, True),
    "beneficiaries": ("Beneficiarios", 1000, True),
    "sdg_note": ("Relación con ODS (comentario)", 1000, True),
    "success": ("Éxito / cuestiones positivas", 3000, True),
    "challenges": ("Desafíos, dificultades, problemas", 3000, True),
    "lesson": ("Lección aprendida", 2000, True),
    "not_learned": ("Lección no aprendida", 2000, True),
    "territory": ("Territorio", 300, False),
    "actors": ("Actores involucrados (ONG, Gobierno, Empresa)", 1000, True),
    "differentiators": ("Factores diferenciadores (valor agregado)", 2000, True),
    "effectiveness": ("Efectividad", 2000, True),
    "important": ("Importante", 2000, True),
    "useful": ("Útil", 2000, True),
    "equitable": ("Equitativo", 2000, True),
    "economic": ("Económico", 2000, True),
    "keywords": ("Palabras clave", 300, False),
}
#: the texts a card cannot do without
REQUIRED = ("finding", "lesson")
KINDS = {"positiva": "Lección positiva", "negativa": "Lección negativa"}

#: Pacto Mundial para la Migración Segura, Ordenada y Regular: guiding principles
GCM_PRINCIPLES = {
    "a": "Centrarse en las personas",
    "b": "Cooperación internacional",
    "c": "Soberanía nacional",
    "d": "Estado de derecho y garantías procesales",
    "e": "Desarrollo sostenible",
    "f": "Derechos humanos",
    "g": "Perspectiva de género",
    "h": "Perspectiva infantil",
    "i": "Enfoque pangubernamental",
    "j": "Enfoque pansocial",
}
#: … and its 23 objectives (short titles)
GCM_OBJECTIVES = {
    1: "Recopilar y utilizar datos exactos y desglosados",
    2: "Minimizar los factores adversos que obligan a abandonar el país de origen",
    3: "Proporcionar información exacta y oportuna en todas las etapas de la migración",
    4: "Velar por que los migrantes tengan pruebas de su identidad jurídica",
    5: "Aumentar la disponibilidad y flexibilidad de las vías de migración regular",
    6: "Facilitar la contratación equitativa y ética y el trabajo decente",
    7: "Abordar y reducir las vulnerabilidades en la migración",
    8: "Salvar vidas y coordinar iniciativas sobre los migrantes desaparecidos",
    9: "Reforzar la respuesta transnacional al tráfico ilícito de migrantes",
    10: "Prevenir, combatir y erradicar la trata de personas",
    11: "Gestionar las fronteras de manera integrada, segura y coordinada",
    12: "Aumentar la certidumbre y previsibilidad de los procedimientos migratorios",
    13: "Utilizar la detención de migrantes solo como último recurso",
    14: "Mejorar la protección, asistencia y cooperación consulares",
    15: "Proporcionar a los migrantes acceso a servicios básicos",
    16: "Empoderar a los migrantes y las sociedades para la plena inclusión y la cohesión social",
    17: "Eliminar la discriminación y promover un discurso público con base empírica",
    18: "Invertir en el desarrollo de aptitudes y su reconocimiento mutuo",
    19: "Crear condiciones para que migrantes y diásporas contribuyan al desarrollo sostenible",
    20: "Promover remesas más rápidas, seguras y económicas y la inclusión financiera",
    21: "Facilitar el regreso y la readmisión seguros y dignos y la reintegración sostenible",
    22: "Establecer mecanismos para la portabilidad de la seguridad social",
    23: "Fortalecer la cooperación internacional y las alianzas mundiales",
}
#: Objetivos de Desarrollo Sostenible
SDGS = {
    1: "Fin de la pobreza",
    2: "Hambre cero",
    3: "Salud y bienestar",
    4: "Educación de calidad",
    5: "Igualdad de género",
    6: "Agua limpia y saneamiento",
    7: "Energía asequible y no contaminante",
    8: "Trabajo decente y crecimiento económico",
    9: "Industria, innovación e infraestructura",
    10: "Reducción de las desigualdades",
    11: "Ciudades y comunidades sostenibles",
    12: "Producción y consumo responsables",
    13: "Acción por el clima",
    14: "Vida submarina",
    15: "Vida de ecosistemas terrestres",
    16: "Paz, justicia e instituciones sólidas",
    17: "Alianzas para lograr los objetivos",
}
#: the area → code table a new installation starts with (seed 003: Inclusión económica y
#: social → ISE); staff add their own
DEFAULT_AREAS = (
    ("Inclusión económica y social", "ISE"),
    ("Fortalecimiento organizativo", "FOR"),
    ("Articulación institucional", "ART"),
    ("Participación y metodología de la asamblea", "PMA"),
)


def code(number: int, area_code: str) -> str:
    """The card's code as the seed writes it: "LA2_ISE"."""
    return f"LA{number}_{area_code}"


def fold(text: object) -> str:
    """For searching: case and accents ignored, blanks collapsed."""
    value = unicodedata.normalize("NFKD", str(text or ""))
    value = "".join(c for c in value if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", value).strip().casefold()


def clean_area(raw: Mapping[str, object], taken_names: set[str], taken_codes: set[str]):
    """A new area: its name and a code of 2–6 capital letters or digits, both unused.
    Returns (clean, errors)."""
    name = str(raw.get("name") or "").strip()
    area_code = str(raw.get("code") or "").strip().upper()
    errors = {}
    if not name or len(name) > 120:
        errors["name"] = "Escriba el nombre del área (hasta 120 caracteres)."
    elif fold(name) in taken_names:
        errors["name"] = "Ya existe un área con ese nombre."
    if not re.fullmatch(r"[A-Z0-9]{2,6}", area_code):
        errors["code"] = "El código tiene de 2 a 6 letras mayúsculas o números, sin espacios."
    elif area_code in taken_codes:
        errors["code"] = "Ese código ya es de otra área."
    return {"name": name, "code": area_code}, errors


def _choices(values: list[str], allowed: Mapping, as_int: bool) -> tuple[list, bool]:
    chosen, bad = [], False
    for value in values:
        key: object = value.strip()
        if as_int:
            key = int(key) if str(key).isdigit() else None
        if key in allowed:
            if key not in chosen:
                chosen.append(key)
        else:
            bad = True
    return sorted(chosen, key=str if not as_int else int), bad


def clean_card(
    raw: Mapping[str, object],
    lists: Mapping[str, list[str]],
    *,
    area_ids: set[int],
    group_ids: set[int],
    commitment_ids: set[int],
) -> tuple[dict, dict]:
    """A card from the form: ``raw`` the single values, ``lists`` the multiple choices
    (gcm_principles, gcm_objectives, sdgs, commitment_ids). Returns (clean, errors); nothing
    is guessed."""
    errors: dict[str, str] = {}
    clean: dict[str, object] = {}
    for key, (_label, limit, _long) in TEXT_FIELDS.items():
        value = str(raw.get(key) or "").strip()
        if len(value) > limit:
            errors[key] = f"Máximo {limit} caracteres."
        clean[key] = value
    for key in REQUIRED:
        if not clean[key] and key not in errors:
            errors[key] = f"Falta: {TEXT_FIELDS[key][0].lower()}."
    area = str(raw.get("area_id") or "").strip()
    if not area.isdigit() or int(area) not in area_ids:
        errors["area_id"] = "Elija el área de la lista."
    else:
        clean["area_id"] = int(area)
    kind = str(raw.get("kind") or "").strip()
    if kind not in KINDS:
        errors["kind"] = "Elija lección positiva o negativa."
    clean["kind"] = kind
    group = str(raw.get("group_id") or "").strip()
    if group and (not group.isdigit() or int(group) not in group_ids):
        errors["group_id"] = "Elija una mesa de esta asamblea."
    clean["group_id"] = int(group) if group.isdigit() and int(group) in group_ids else None
    for key, allowed, as_int in (
        ("gcm_principles", GCM_PRINCIPLES, False),
        ("gcm_objectives", GCM_OBJECTIVES, True),
        ("sdgs", SDGS, True),
        ("commitment_ids", dict.fromkeys(commitment_ids), True),
    ):
        clean[key], bad = _choices(list(lists.get(key, [])), allowed, as_int)
        if bad:
            errors[key] = "Hay una opción que no está en la lista."
    return clean, errors


def clean_filters(raw: Mapping[str, object]) -> dict[str, str]:
    """Search filters: q (keyword, in every text), territory, kind, area (code)."""
    filters = {
        key: str(raw.get(key) or "").strip()[:120] for key in ("q", "territory", "kind", "area")
    }
    if filters["kind"] not in KINDS:
        filters["kind"] = ""
    return filters


def matches(texts: Mapping[str, str], filters: Mapping[str, str]) -> bool:
    """Whether a card's texts (its fields, its code and area) pass the keyword and territory
    filters: every word of the keyword somewhere in the card; the territory in its territory."""
    if filters.get("territory") and fold(filters["territory"]) not in fold(texts.get("territory")):
        return False
    words = fold(filters.get("q")).split()
    if not words:
        return True
    haystack = fold(" ".join(str(v) for v in texts.values()))
    return all(word in haystack for word in words)
