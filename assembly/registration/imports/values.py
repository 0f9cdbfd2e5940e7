"""Step 2b of an import: the values of every closed-list column, mapped to the form's values.

For each mapped column whose field has a closed list (sex, document type, ethnicity, yes/no
questions, municipality...), the distinct raw values are counted and each is classified:

- ``exact``: the value or the label itself (case and spaces aside);
- ``fuzzy``: a known variant, or the same after a normalising rule (accents, punctuation,
  gender forms "obrera construccion", plural/singular, abbreviations "C.C.", a close spelling);
- ``ambiguous``: it could mean two things ("M" in a sex column that also holds "H" or
  "Hombre"; "La Unión" with no department) — never decided silently;
- ``unmatched``: nothing fits.

Ambiguous and unmatched values need a hand choice (a value, or "sin dato") before the
import can be confirmed. Pure: a :class:`Sheet`, a column mapping and choices in, rows out.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from assembly.core import divipola
from assembly.registration.domain import (
    DISABILITY_KINDS,
    DOCUMENT_TYPES,
    ETHNICITIES,
    GENDER_IDENTITIES,
    LINES_OF_WORK,
    ORGANIZATION_KINDS,
    SEXES,
    SEXUAL_ORIENTATIONS,
    ZONES,
    Choices,
    match_choice,
    normalize_name,
    parse_bool,
)
from assembly.registration.imports.parse import Sheet

#: what the operator picks for "leave this field empty" (stored as no answer)
NO_DATA = ""
NO_DATA_LABEL = "Sin dato (dejar vacío)"

YES_NO: Choices = (("si", "Sí"), ("no", "No"))
BOOLEAN_FIELDS = (
    "is_victim",
    "is_migrant",
    "knows_pit",
    "took_part_before",
    "consent_data",
    "consent_photos",
)
_CHOICE_FIELDS: dict[str, Choices] = {
    "document_type": DOCUMENT_TYPES,
    "sex": SEXES,
    "gender_identity": GENDER_IDENTITIES,
    "sexual_orientation": SEXUAL_ORIENTATIONS,
    "ethnicity": ETHNICITIES,
    "disability_kind": DISABILITY_KINDS,
    "zone": ZONES,
    "organization_kind": ORGANIZATION_KINDS,
    "line_of_work": LINES_OF_WORK,
    # the "Discapacidad" column often holds the kind ("Visual") instead of sí/no
    "has_disability": YES_NO + DISABILITY_KINDS,
    **dict.fromkeys(BOOLEAN_FIELDS, YES_NO),
}
MUNICIPALITY = "municipality_code"
THEME = "preferred_theme_id"
_STOPWORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "e", "o", "en", "a"})
_CLOSE_CUTOFF = 0.84


@dataclass
class ValueRow:
    """One distinct raw value of a column and what it becomes."""

    raw: str
    count: int
    #: exact, fuzzy, ambiguous, unmatched
    status: str
    #: the canonical value it becomes (None while ambiguous or unmatched)
    value: str | None
    #: (value, label) the operator may choose from; the likely ones first
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def needs_choice(self) -> bool:
        return self.status in ("ambiguous", "unmatched")


def closed_fields(theme_titles: Mapping[int, str] | None = None) -> dict[str, Choices]:
    """Every field with a closed list, with its (value, label) choices."""
    fields = dict(_CHOICE_FIELDS)
    if theme_titles:
        fields[THEME] = tuple((str(i), title) for i, title in theme_titles.items())
    return fields


def distinct_values(table: Sheet, mapping: Mapping[str, str | None]) -> dict[str, Counter]:
    """{field: Counter(raw value: rows)} for every mapped closed-list column; one pass."""
    wanted = set(_CHOICE_FIELDS) | {MUNICIPALITY, THEME}
    columns = [
        (index, mapping[header])
        for index, header in enumerate(table.headers)
        if mapping.get(header) in wanted
    ]
    counts: dict[str, Counter] = {key: Counter() for _, key in columns}
    for cells in table.rows:
        for index, key in columns:
            value = cells[index].strip() if index < len(cells) else ""
            if value:
                counts[key][value] += 1
    return counts


def _key(text: str) -> str:
    return normalize_name(text).replace(" ", "")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def _loose_key(text: str) -> str:
    """Key that ignores gender endings, plurals and small words: "Obreras de construcción"
    and "Obrero(a) de la construcción" both give "obrerconstruccion"."""
    text = normalize_name(text.replace("(a)", "").replace("(as)", "").replace("(es)", ""))
    words = [_singular(word) for word in text.split() if word not in _STOPWORDS]
    return "".join(re.sub(r"[oa]$", "", word) if len(word) > 3 else word for word in words)


@cache
def _loose_lookup(choices: Choices) -> dict[str, set[str]]:
    lookup: dict[str, set[str]] = {}
    for value, label in choices:
        for written in (value, label):
            lookup.setdefault(_loose_key(written), set()).add(value)
    return lookup


def _classify_choice(raw: str, field_key: str, choices: Choices) -> tuple[str, str | None, list]:
    labels = dict(choices)
    text = raw.strip().casefold()
    for value, label in choices:
        if text in (value.casefold(), label.casefold()):
            return "exact", value, []
    if field_key in BOOLEAN_FIELDS or field_key == "has_disability":
        try:
            answer = parse_bool(raw)
        except ValueError:
            pass
        else:  # "sin dato", "NS/NR": not answered, which is not "no"
            return "fuzzy", NO_DATA if answer is None else ("si" if answer else "no"), []
    value = match_choice(raw, choices, field_key)
    if value is not None:
        return "fuzzy", value, []
    loose = _loose_lookup(choices).get(_loose_key(raw), set())
    if len(loose) == 1:
        return "fuzzy", next(iter(loose)), []
    if len(loose) > 1:
        return "ambiguous", None, [(v, labels[v]) for v in sorted(loose)]
    keys = {_loose_key(label): value for value, label in choices}
    close = difflib.get_close_matches(_loose_key(raw), list(keys), n=3, cutoff=_CLOSE_CUTOFF)
    values = list(dict.fromkeys(keys[k] for k in close))
    if len(values) == 1:
        return "fuzzy", values[0], []
    if len(values) > 1:
        return "ambiguous", None, [(v, labels[v]) for v in values]
    return "unmatched", None, []


def _sex_letter_conflicts(rows: list[ValueRow]) -> None:
    """ "M" means "masculino" in an M/F list but "mujer" in an M/H one: when the column also
    holds "H" or "Hombre", "M" is ambiguous."""
    letter = next((row for row in rows if _key(row.raw) == "m"), None)
    if letter is None:
        return
    other_men = any(row is not letter and row.value == "hombre" for row in rows)
    if other_men:
        letter.status, letter.value = "ambiguous", None
        letter.options = [("mujer", "Mujer"), ("hombre", "Hombre")]


@cache
def _municipality_names() -> tuple[dict[str, list[str]], dict[str, str]]:
    by_key: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for department_code, department in divipola.departments():
        for code, name in divipola.municipalities(department_code):
            by_key.setdefault(_key(name), []).append(code)
            labels[code] = f"{name} ({department})"
    return by_key, labels


def _classify_municipality(raw: str, department_code: str | None) -> tuple[str, str | None, list]:
    by_key, labels = _municipality_names()
    if raw.strip().isdigit():
        found = divipola.match_municipalities(raw)
        return ("exact", found[0], []) if found else ("unmatched", None, [])
    for department in ([department_code] if department_code else []) + [None]:
        found = divipola.match_municipalities(raw, department)
        if len(found) == 1:
            exact = raw.strip().casefold() == divipola.municipality_name(found[0]).casefold()
            return ("exact" if exact else "fuzzy"), found[0], []
        if len(found) > 1:
            return "ambiguous", None, [(code, labels[code]) for code in found]
    # a sloppy spelling ("Sarabena"): the closest names, the assembly's department first
    close = difflib.get_close_matches(_key(raw), list(by_key), n=4, cutoff=0.8)
    codes = [code for key in close for code in by_key[key]]
    if department_code:
        local = [code for code in codes if code[:2] == department_code]
        if len(local) == 1:
            return "fuzzy", local[0], []
    if len(codes) == 1:
        return "fuzzy", codes[0], []
    return ("ambiguous" if codes else "unmatched"), None, [(c, labels[c]) for c in codes]


def classify(
    counts: Mapping[str, Counter],
    *,
    theme_titles: Mapping[int, str] | None = None,
    department_code: str | None = None,
    chosen: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, list[ValueRow]]:
    """Every distinct value of every closed column, classified; ``chosen`` ({field: {raw:
    value}}) holds the operator's choices, which win over any rule (and resolve the
    ambiguous and unmatched ones). Rows are sorted by count, most frequent first."""
    fields = closed_fields(theme_titles)
    chosen = chosen or {}
    result: dict[str, list[ValueRow]] = {}
    for key, counter in counts.items():
        rows = []
        for raw, count in counter.most_common():
            if key == MUNICIPALITY:
                status, value, options = _classify_municipality(raw, department_code)
            else:
                status, value, options = _classify_choice(raw, key, fields.get(key, ()))
            rows.append(ValueRow(raw, count, status, value, options))
        if key == "sex":
            _sex_letter_conflicts(rows)
        for row in rows:
            if raw_choice := chosen.get(key, {}).get(row.raw):
                row.status, row.value = "chosen", raw_choice
            elif row.raw in chosen.get(key, {}):  # mapped to "sin dato"
                row.status, row.value = "chosen", NO_DATA
        result[key] = rows
    return result


def unresolved(classified: Mapping[str, list[ValueRow]]) -> dict[str, dict[str, int]]:
    """{field: {raw value: rows}} of the values that still need a hand choice."""
    pending: dict[str, dict[str, int]] = {}
    for key, rows in classified.items():
        for row in rows:
            if row.needs_choice:
                pending.setdefault(key, {})[row.raw] = row.count
    return pending


def value_map(classified: Mapping[str, list[ValueRow]]) -> dict[str, dict[str, str]]:
    """{field: {raw: canonical value}} for the values that changed or were chosen."""
    return {
        key: {row.raw: row.value for row in rows if row.value is not None and row.value != row.raw}
        for key, rows in classified.items()
    }
