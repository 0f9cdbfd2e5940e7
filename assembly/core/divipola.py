"""DANE DIVIPOLA: Colombia's departments and municipalities, read from the packaged CSV.

Pure module (stdlib only). The CSV ships inside the package (``assembly/data/divipola.csv``)
so that a laptop with no internet still has the full list; it is read once per process.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "divipola.csv"

# Names people write that are not the DIVIPOLA spelling. Keys and values are compared with
# _compact(), so accents, case, spaces and punctuation do not matter here.
_MUNICIPALITY_ALIASES = {
    "bogota": "11001",
    "santafe de bogota": "11001",
    "santa fe de bogota": "11001",
    "bogota distrito capital": "11001",
    "distrito capital": "11001",
    "san jose de cucuta": "54001",
    "cartagena de indias": "13001",
    "santa cruz de mompox": "13468",
    "mompox": "13468",
    "tumaco": "52835",
    "buga": "76111",
    "tolu": "70820",
    "ubate": "25843",
}
_DEPARTMENT_ALIASES = {
    "bogota": "11",
    "bogota dc": "11",
    "distrito capital": "11",
    "santafe de bogota": "11",
    "san andres": "88",
    "san andres y providencia": "88",
    "san andres providencia y santa catalina": "88",
    "archipielago de san andres": "88",
    "guajira": "44",
    "valle": "76",
    "norte santander": "54",
}


@dataclass(frozen=True)
class _Divipola:
    departments: dict[str, str]  # code -> name
    municipalities: dict[str, str]  # code -> name
    by_department: dict[str, list[tuple[str, str]]]  # department code -> [(code, name)] sorted
    municipality_keys: dict[str, list[str]]  # compact name -> municipality codes
    department_keys: dict[str, str]  # compact name -> department code


def _compact(text: str) -> str:
    """Comparison key for place names: no accents, no case, no spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", without_accents.casefold())


def _sort_key(name: str) -> str:
    # Sort "Ángel" with the A's, not after "Z".
    return _compact(name)


@cache
def _load() -> _Divipola:
    departments: dict[str, str] = {}
    municipalities: dict[str, str] = {}
    by_department: dict[str, list[tuple[str, str]]] = {}
    municipality_keys: dict[str, list[str]] = {}
    with CSV_PATH.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            dep_code, mun_code = row["department_code"].strip(), row["municipality_code"].strip()
            departments[dep_code] = row["department"].strip()
            municipalities[mun_code] = row["municipality"].strip()
            by_department.setdefault(dep_code, []).append((mun_code, municipalities[mun_code]))
            municipality_keys.setdefault(_compact(municipalities[mun_code]), []).append(mun_code)
    for entries in by_department.values():
        entries.sort(key=lambda entry: _sort_key(entry[1]))
    for alias, code in _MUNICIPALITY_ALIASES.items():
        codes = municipality_keys.setdefault(_compact(alias), [])
        if code not in codes:
            codes.append(code)
    department_keys = {_compact(name): code for code, name in departments.items()}
    for alias, code in _DEPARTMENT_ALIASES.items():
        department_keys.setdefault(_compact(alias), code)
    return _Divipola(departments, municipalities, by_department, municipality_keys, department_keys)


def departments() -> list[tuple[str, str]]:
    """All departments as ``(code, name)``, sorted by name (accent-insensitive)."""
    data = _load()
    return sorted(data.departments.items(), key=lambda item: _sort_key(item[1]))


def municipalities(department_code: str) -> list[tuple[str, str]]:
    """The municipalities of one department as ``(code, name)`` sorted by name; [] if unknown."""
    return list(_load().by_department.get(department_code, []))


def department_name(code: str) -> str | None:
    """The department's name for a two-digit code, or None."""
    return _load().departments.get(code)


def municipality_name(code: str) -> str | None:
    """The municipality's name for a five-digit code, or None."""
    return _load().municipalities.get(code)


def is_valid(department_code: str, municipality_code: str) -> bool:
    """True when both codes exist and the municipality belongs to the department."""
    data = _load()
    return (
        department_code in data.departments
        and municipality_code in data.municipalities
        and municipality_code[:2] == department_code
    )


def find_department(text: str) -> str | None:
    """The department code for a free-text name or code ("Bogotá", "5", "norte de santander")."""
    text = (text or "").strip()
    if not text:
        return None
    data = _load()
    if text.isdigit():
        code = text.zfill(2)
        return code if code in data.departments else None
    return data.department_keys.get(_compact(text))


def match_municipalities(text: str, department_code: str | None = None) -> list[str]:
    """Every municipality code a free-text name (or code) could mean; accent/case-insensitive.

    ``department_code`` narrows the search. A DIVIPOLA code, even without its leading zero
    ("5001"), matches itself. Names written as "Tame, Arauca" or "Tame (Arauca)" are tried by
    their first part, and the rest, when it names a department, narrows the search.
    """
    text = (text or "").strip()
    if not text:
        return []
    data = _load()
    if text.isdigit():
        code = text.zfill(5)
        known = code in data.municipalities
        return [code] if known and department_code in (None, code[:2]) else []
    candidates = data.municipality_keys.get(_compact(text))
    if candidates is None:
        parts = [part for part in re.split(r"[,;(/)\-]+", text) if part.strip()]
        if len(parts) < 2:
            return []
        if department_code is None:
            department_code = find_department(parts[1])
        candidates = data.municipality_keys.get(_compact(parts[0]), [])
    if department_code is not None:
        return [code for code in candidates if code[:2] == department_code]
    return list(candidates)


def find_municipality(text: str, department_code: str | None = None) -> str | None:
    """The municipality code for a free-text name, matched accent- and case-insensitively.

    ``department_code`` narrows the search; without it a name shared by several departments
    ("La Unión", "Barbosa") is ambiguous and gives None, as does an unknown name. See
    :func:`match_municipalities` for the accepted spellings.
    """
    candidates = match_municipalities(text, department_code)
    return candidates[0] if len(candidates) == 1 else None
