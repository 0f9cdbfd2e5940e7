"""Validating one registration with the unified form's rules (the rules themselves are in
``checks``), and the import's reading of the same result: keep the person, flag the field."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from assembly.marks import N_, Problem
from assembly.registration.choices import (
    ETHNICITIES,
    GENDER_IDENTITIES,
    LINES_OF_WORK,
    ORGANIZATION_KINDS,
    SEXES,
    SEXUAL_ORIENTATIONS,
    ZONES,
)
from assembly.registration.domain.checks import (
    check_age,
    check_contact,
    check_disability,
    check_document,
    check_extra_answers,
    check_names,
    check_place,
    check_theme,
)
from assembly.registration.domain.fields import ExtraQuestion
from assembly.registration.domain.form import NO_AGE_MESSAGE, REQUIRED_MESSAGES, Form
from assembly.registration.domain.normalize import normalize_name, parse_bool

CONSENT_REQUIRED_MESSAGE = Problem(
    N_("Debe aceptar el tratamiento de datos personales (Ley 1581 de 2012) para registrarse.")
)


def validate_registration(
    raw: Mapping[str, object],
    *,
    theme_ids: Collection[int],
    extra_questions: Sequence[ExtraQuestion] = (),
    today: date,
) -> tuple[dict[str, object], dict[str, str]]:
    """Check one filled-in unified form; return ``(clean, errors)``.

    ``raw`` maps field keys (see :data:`FIELDS`) to what the person or the list wrote: text,
    or already typed values (bool, date, int). ``errors`` maps a field key (or
    ``extra_<id>``) to one Spanish message; the registration is valid when it is empty.
    ``clean`` always holds every field key, typed and normalised (None where blank or
    invalid), plus ``name_key``, ``organization_key`` and ``extra_answers``.
    """
    form = Form(raw)
    check_document(form)
    check_names(form)
    check_age(form, today)
    form.choice("sex", SEXES, required=True)
    form.choice("gender_identity", GENDER_IDENTITIES)
    form.choice("sexual_orientation", SEXUAL_ORIENTATIONS)
    form.choice("ethnicity", ETHNICITIES, required=True)
    check_disability(form)
    form.boolean("is_victim")
    form.boolean("is_migrant")
    form.choice("zone", ZONES)
    check_contact(form)
    check_place(form)
    organization = form.optional_text("organization_name")
    form.choice("organization_kind", ORGANIZATION_KINDS)
    form.optional_text("organization_role")
    form.choice("line_of_work", LINES_OF_WORK)
    form.boolean("knows_pit")
    form.boolean("took_part_before")
    check_theme(form, theme_ids)
    try:
        consent = parse_bool(form.raw.get("consent_data"))
    except ValueError:
        consent = None
    if consent is not True:
        form.error("consent_data", CONSENT_REQUIRED_MESSAGE)
    form.clean["consent_data"] = consent is True
    form.boolean("consent_photos", tri_state=False)
    form.clean["extra_answers"] = check_extra_answers(form, extra_questions)

    full_name = f"{form.clean['first_names'] or ''} {form.clean['last_names'] or ''}"
    form.clean["name_key"] = normalize_name(full_name)
    form.clean["organization_key"] = normalize_name(organization or "") or None
    return form.clean, form.errors


#: the fields without which an imported row is refused: who the person is, and consent
IDENTITY_FIELDS = frozenset(
    {"document_type", "document_number", "first_names", "last_names", "consent_data"}
)
_BLANK_MESSAGES = frozenset(REQUIRED_MESSAGES.values()) | {NO_AGE_MESSAGE}


def left_blank(problem: str) -> Problem:
    """A listed person's optional field that is dropped: the problem, and that it is left
    blank (the person is kept)."""
    return Problem(N_("%(problem)s (se deja en blanco)"), problem=problem)


def validate_listed_person(
    raw: Mapping[str, object],
    *,
    theme_ids: Collection[int],
    extra_questions: Sequence[ExtraQuestion] = (),
    today: date,
) -> tuple[dict[str, object], dict[str, str], dict[str, str]]:
    """Check one person of an imported list: keep the person, flag the field.

    Returns ``(clean, errors, warnings)``. Only a missing or invalid document, a missing name
    or no consent are ``errors`` (the row is refused). A blank closed field (sex, ethnicity,
    place, age...) is "sin dato": the person is kept as incompleto and the desk completes the
    form at check-in. An invalid optional value (a phone, an e-mail, an impossible age) is
    dropped with a warning. "Sí" to disability without its kind is kept as "sí, tipo sin
    dato".
    """
    clean, found = validate_registration(
        raw, theme_ids=theme_ids, extra_questions=extra_questions, today=today
    )
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for key, message in found.items():
        if key in IDENTITY_FIELDS:
            errors[key] = message
        elif message not in _BLANK_MESSAGES:
            warnings[key] = left_blank(message)
            if key in clean and key not in ("has_disability", "extra_answers"):
                clean[key] = None
            if key.startswith("extra_"):
                clean["extra_answers"][key.removeprefix("extra_")] = None
    return clean, errors, warnings


def missing_fields(record: Mapping[str, object] | object) -> list[str]:
    """The form's required fields a registration lacks (an imported "incompleto" person)."""

    def get(key: str) -> object:
        if isinstance(record, Mapping):
            return record.get(key)
        return getattr(record, key, None)

    missing = [key for key in ("sex", "ethnicity", "municipality_code") if not get(key)]
    if not get("birth_date") and not get("age_range"):
        missing.append("age_range")
    return missing
