"""Normalisation: names, documents, choices, yes/no, dates and age ranges."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache, lru_cache

from assembly.registration.choices import (
    AGE_BOUNDS,
    CHOICE_ALIASES,
    Choices,
)

# --------------------------------------------------------------------------------------------
# Normalisation helpers
# --------------------------------------------------------------------------------------------

_APOSTROPHES = "'’´`"
_NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "van", "von"})


_APOSTROPHES_RE = re.compile(f"[{_APOSTROPHES}]")
_PUNCTUATION_RE = re.compile(r"[\W_]+")
_DOCUMENT_PUNCTUATION_RE = re.compile(r"[\s.,\-‐‑–—]+")
_NAME_PART_START_RE = re.compile(r"(^|[-'’])(.)")


def _strip_accents(text: str) -> str:
    if text.isascii():  # the common case, and an import calls this ~20 times per row
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_name(text: str) -> str:
    """Search key for names: no accents, case-folded, no punctuation, single spaces.

    "  María-José  O'Neil " -> "maria jose oneil". Apostrophes vanish (people type the name
    with or without them); other punctuation separates words.
    """
    text = _strip_accents(text or "").casefold()
    text = _APOSTROPHES_RE.sub("", text)
    return " ".join(_PUNCTUATION_RE.sub(" ", text).split())


def normalize_document(text: str) -> str:
    """The document number as stored: no dots, spaces or dashes ("1.234.567" -> "1234567").

    Commas go too: a spreadsheet formatted in English writes thousands as "1,234,567".
    """
    return _DOCUMENT_PUNCTUATION_RE.sub("", str(text or ""))


def _upper_match(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).upper()


def format_person_name(text: str) -> str:
    """Names as printed on badges: single spaces, each word capitalised, particles in lower case.

    "MARÍA  DE LOS ángeles" -> "María de los Ángeles"; "o'connor-díaz" -> "O'Connor-Díaz".
    """
    words = " ".join((text or "").split()).split(" ")
    out = []
    for position, word in enumerate(words):
        if position > 0 and word.casefold() in _NAME_PARTICLES:
            out.append(word.casefold())
        else:
            # Each part after a hyphen or an apostrophe starts a name: Pérez-Gómez, O'Connor.
            out.append(_NAME_PART_START_RE.sub(_upper_match, word.lower()))
    return " ".join(out)


#: distinct texts whose keys are kept: a list's closed columns repeat a few dozen values over
#: thousands of rows, so each is normalised once (about 100 bytes an entry at most)
_KEYS_KEPT = 4096


@lru_cache(maxsize=_KEYS_KEPT)
def _choice_key(text: str) -> str:
    return normalize_name(text).replace(" ", "")


@lru_cache(maxsize=_KEYS_KEPT)
def _answer_key(text: str) -> str:
    return normalize_name(text)


def _gender_variants(label: str) -> tuple[str, ...]:
    # "Obrero(a) de la construcción" is written "obrero de la construcción" or
    # "obrera de la construcción"; "Servidor(a) público(a)" -> "servidora pública".
    if "(a)" not in label:
        return (label,)
    masculine = label.replace("(a)", "")
    feminine = re.sub(r"o\(a\)", "a", label).replace("(a)", "a")
    return (label, masculine, feminine)


def match_choice(text: object, choices: Choices, field_key: str | None = None) -> str | None:
    """The stored value for a choice written as its value, its label or a known variant.

    Accents, case, spaces and punctuation are ignored ("Cédula de Ciudadanía", "cc", "C.C."
    all give "CC" for ``document_type``). None when nothing matches.
    """
    key = _choice_key(str(text or ""))
    return _choice_lookup(choices, field_key).get(key) if key else None


@cache
def _choice_lookup(choices: Choices, field_key: str | None) -> dict[str, str]:
    # Built once per list: an import validates up to 20,000 rows against the same lists.
    lookup: dict[str, str] = {}
    aliases = CHOICE_ALIASES.get(field_key or "", {})
    for value, _ in choices:  # aliases first, so that values and labels win a clash
        for alias in aliases.get(value, ()):
            lookup[_choice_key(alias)] = value
    for value, label in reversed(choices):  # the first choice wins a clash
        for written in (value, *_gender_variants(label)):
            lookup[_choice_key(written)] = value
    return lookup


_TRUE_WORDS = frozenset(
    {"true", "si", "s", "1", "on", "x", "yes", "y", "verdadero", "acepto", "autorizo", "autoriza"}
)
_FALSE_WORDS = frozenset(
    {"false", "no", "n", "0", "off", "falso", "no acepto", "no autorizo", "no autoriza",
     "ninguna", "ninguno", "no aplica", "na", "n a"}
)  # fmt: skip
#: how lists and people write "not answered": read as no answer (None), never as "no"
UNANSWERED_WORDS = frozenset(
    {"sin dato", "sin datos", "s d", "sd", "sin informacion", "sin info", "no sabe",
     "no responde", "no sabe no responde", "ns nr", "nsnr", "ns", "nr", "no informa",
     "no reporta", "desconocido", "sin responder", "prefiero no responder", "prefiere no responder"}
)  # fmt: skip


def parse_bool(value: object) -> bool | None:
    """True/False for the ways people answer yes/no ("sí", "x", "1", "on"...); None if blank
    or written as not answered ("sin dato", "NS/NR": :data:`UNANSWERED_WORDS`).

    Raises ValueError for anything else.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _answer_key(str(value if value is not None else ""))
    if not text or text in UNANSWERED_WORDS:
        return None
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    raise ValueError(text)


_TIME_OF_DAY_RE = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(value: object) -> date:
    """A date from a date, a datetime or text as AAAA-MM-DD or DD/MM/AAAA; ValueError otherwise.

    Colombian lists write the day first, so "03/04/1990" is 3 April.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    # Spreadsheets export datetimes; the time of a birth date is noise.
    text = _TIME_OF_DAY_RE.sub("", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def age_on(birth_date: date, on_date: date) -> int:
    """Age in whole years on ``on_date``."""
    had_birthday = (on_date.month, on_date.day) >= (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - (0 if had_birthday else 1)


def age_range_for_age(age: int) -> str:
    """The AGE_RANGES value holding ``age`` (negative ages raise ValueError)."""
    for value, _, low, high in AGE_BOUNDS:
        if low <= age <= high:
            return value
    raise ValueError(f"edad fuera de rango: {age}")


def age_range_for(birth_date: date, on_date: date) -> str:
    """The AGE_RANGES value for someone born on ``birth_date``, on ``on_date``."""
    return age_range_for_age(age_on(birth_date, on_date))
