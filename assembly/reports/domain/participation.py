"""Participación (enfoque diferencial): every person counted once per dimension."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assembly.registration import domain as registration

from .attendance import place_names
from .common import CHOICE_LABELS, NO, NO_DATA, YES


@dataclass(frozen=True)
class Dimension:
    """One way of counting people: every person falls in exactly one category."""

    key: str
    title: str
    categorize: Callable[[Mapping[str, object]], str]
    #: the categories always listed (the same table shape for every assembly), in order
    fixed: tuple[str, ...] = ()
    #: list categories by count, largest first (municipalities), instead of in fixed order
    by_count: bool = False


def _choice_dimension(key: str, title: str, *, optional: bool) -> Dimension:
    labels = CHOICE_LABELS[key]

    def categorize(record: Mapping[str, object]) -> str:
        value = record.get(key)
        return labels.get(value, str(value)) if value else NO_DATA

    fixed = tuple(labels.values()) + ((NO_DATA,) if optional else ())
    return Dimension(key, title, categorize, fixed)


def _yes_no_dimension(
    key: str, title: str, test: Callable[[Mapping], bool | None] | None = None
) -> Dimension:
    """Sí / No / Sin dato: an unanswered question (None) is counted apart, never as "No".
    ``test`` derives the answer (None = unknown); by default it is the stored answer."""
    answer = test or (lambda record: record.get(key))

    def categorize(record: Mapping[str, object]) -> str:
        value = answer(record)
        return NO_DATA if value is None else (YES if value else NO)

    return Dimension(key, title, categorize, (YES, NO, NO_DATA))


def _lgbtiq(record: Mapping[str, object]) -> bool | None:
    """Yes when any answer says so; unknown when neither gender identity nor orientation was
    answered (so "No" counts only people who said something that is not LGBTIQ+)."""
    if registration.is_lgbtiq(record):
        return True
    unanswered = (None, "", registration.NO_ANSWER)
    if (
        record.get("gender_identity") in unanswered
        and record.get("sexual_orientation") in unanswered
    ):
        return None
    return False


_DISABILITY_LABELS = CHOICE_LABELS["disability_kind"]
NO_DISABILITY = "Sin discapacidad"
DISABILITY_UNKNOWN_KIND = "Con discapacidad (tipo sin dato)"


def _disability(record: Mapping[str, object]) -> str:
    has = record.get("has_disability")
    if has is None:
        return NO_DATA
    if not has:
        return NO_DISABILITY
    kind = record.get("disability_kind")
    return (
        f"Con discapacidad: {_DISABILITY_LABELS[kind]}"
        if kind in _DISABILITY_LABELS
        else DISABILITY_UNKNOWN_KIND
    )


def _municipality(record: Mapping[str, object]) -> str:
    department, municipality = place_names(
        record.get("department_code"), record.get("municipality_code")
    )
    if not municipality:
        return NO_DATA
    return f"{municipality} ({department})" if department else municipality


DIMENSIONS: tuple[Dimension, ...] = (
    _choice_dimension("sex", "Sexo", optional=True),
    _choice_dimension("gender_identity", "Identidad de género", optional=True),
    _choice_dimension("age_range", "Rango de edad", optional=True),
    _choice_dimension("ethnicity", "Autorreconocimiento étnico", optional=True),
    Dimension(
        "disability",
        "Discapacidad",
        _disability,
        (NO_DISABILITY, *(f"Con discapacidad: {label}" for label in _DISABILITY_LABELS.values()),
         DISABILITY_UNKNOWN_KIND, NO_DATA),
    ),
    _yes_no_dimension("is_victim", "Víctimas del conflicto armado"),
    _yes_no_dimension("is_migrant", "Población migrante"),
    _yes_no_dimension("lgbtiq", "Población LGBTIQ+", _lgbtiq),
    _choice_dimension("zone", "Zona de residencia (rural / urbana)", optional=True),
    _choice_dimension("organization_kind", "Tipo de organización", optional=True),
    _choice_dimension("line_of_work", "Oficio o actividad económica", optional=True),
    Dimension("municipality", "Municipio de residencia", _municipality, by_count=True),
)  # fmt: skip

_ETHNIC_GROUPS = registration.ETHNIC_GROUPS

#: the populations the programmes exist to reach: (label, test)
KEY_POPULATIONS: tuple[tuple[str, Callable[[Mapping[str, object]], bool]], ...] = (
    ("Mujeres", lambda r: r.get("sex") == "mujer"),
    ("Jóvenes (14 a 28 años)", lambda r: r.get("age_range") in registration.YOUTH_AGE_RANGES),
    ("Personas mayores (60 años o más)", lambda r: r.get("age_range") in registration.OLDER_ADULT_AGE_RANGES),
    ("Pertenencia étnica", lambda r: r.get("ethnicity") in _ETHNIC_GROUPS),
    ("Población NARP (negra, afrocolombiana, raizal, palenquera)",
     lambda r: r.get("ethnicity") in registration.NARP_ETHNICITIES),
    ("Personas con discapacidad", lambda r: bool(r.get("has_disability"))),
    ("Víctimas del conflicto armado", lambda r: bool(r.get("is_victim"))),
    ("Población migrante", lambda r: bool(r.get("is_migrant"))),
    ("Población LGBTIQ+", registration.is_lgbtiq),
    ("Zona rural", lambda r: r.get("zone") == "rural"),
)  # fmt: skip


@dataclass
class Counts:
    registered: int = 0
    attended: int = 0


class Tally:
    """Counts people as the attendance rows stream past, registered and attended apart."""

    def __init__(self) -> None:
        self.total = Counts()
        self.dimensions: dict[str, tuple[Counter, Counter]] = {
            d.key: (Counter(), Counter()) for d in DIMENSIONS
        }
        self.populations: tuple[Counter, Counter] = (Counter(), Counter())

    def add(self, record: Mapping[str, object]) -> None:
        attended = record.get("checked_in_at") is not None
        self.total.registered += 1
        self.total.attended += attended
        for dimension in DIMENSIONS:
            category = dimension.categorize(record)
            registered, present = self.dimensions[dimension.key]
            registered[category] += 1
            if attended:
                present[category] += 1
        for label, test in KEY_POPULATIONS:
            if test(record):
                self.populations[0][label] += 1
                if attended:
                    self.populations[1][label] += 1

    def rows(self, dimension: Dimension) -> list[tuple[str, int, int]]:
        """(category, registered, attended) for one dimension; every person counted once."""
        registered, attended = self.dimensions[dimension.key]
        if dimension.by_count:
            categories = sorted(registered, key=lambda c: (-registered[c], c))
        else:
            extra = sorted(c for c in registered if c not in dimension.fixed)
            categories = [*dimension.fixed, *extra]
        return [(c, registered[c], attended[c]) for c in categories]

    def population_rows(self) -> list[tuple[str, int, int]]:
        registered, attended = self.populations
        return [(label, registered[label], attended[label]) for label, _ in KEY_POPULATIONS]
