"""Validating one registration with the unified form's rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from email_validator import EmailNotValidError, validate_email

from assembly.core import divipola
from assembly.registration.choices import (
    AGE_RANGES,
    DISABILITY_KINDS,
    DOCUMENT_TYPES,
    ETHNICITIES,
    GENDER_IDENTITIES,
    LINES_OF_WORK,
    MAX_AGE,
    MIN_AGE,
    ORGANIZATION_KINDS,
    SEXES,
    SEXUAL_ORIENTATIONS,
    ZONES,
    Choices,
)
from assembly.registration.domain.fields import (
    EXTRA_TEXT_MAX_LENGTH,
    FIELDS_BY_KEY,
    ExtraQuestion,
)
from assembly.registration.domain.normalize import (
    _APOSTROPHES,
    age_on,
    age_range_for,
    age_range_for_age,
    format_person_name,
    match_choice,
    normalize_document,
    normalize_name,
    parse_bool,
    parse_date,
)

# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

CONSENT_REQUIRED_MESSAGE = (
    "Debe aceptar el tratamiento de datos personales (Ley 1581 de 2012) para registrarse."
)
_REQUIRED_MESSAGES = {
    "document_type": "Seleccione el tipo de documento.",
    "document_number": "Escriba el número de documento.",
    "first_names": "Escriba los nombres.",
    "last_names": "Escriba los apellidos.",
    "sex": "Seleccione el sexo.",
    "ethnicity": "Seleccione el autorreconocimiento étnico (o «Ninguno»).",
    "department_code": "Seleccione el departamento de residencia.",
    "municipality_code": "Seleccione el municipio de residencia.",
    "disability_kind": "Seleccione el tipo de discapacidad.",
}
_DOCUMENT_RULES = {
    "CC": (r"\d{3,10}", "La cédula de ciudadanía debe tener entre 3 y 10 dígitos, solo números."),
    "TI": (r"\d{10,11}", "La tarjeta de identidad debe tener 10 u 11 dígitos, solo números."),
}
_DOCUMENT_DEFAULT_RULE = (
    r"[A-Z0-9]{3,20}",
    "El número de documento debe tener entre 3 y 20 letras o números.",
)


def normal_email(raw: str) -> str | None:
    """The address normalised by email-validator (syntax only: no DNS on the day, offline), or
    None when it is not an e-mail address. A one-letter top-level domain ("ana@gmail.c") is a
    typo, not an address anyone has."""
    try:
        checked = validate_email(raw, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized if len(checked.ascii_domain.rsplit(".", 1)[-1]) >= 2 else None


_AGE_LIMITS_MESSAGE = f"La edad debe estar entre {MIN_AGE} y {MAX_AGE} años."
_PHONE_MESSAGE = (
    "Escriba un celular de 10 dígitos que empiece por 3, un fijo de 7 a 10 dígitos "
    "o un número internacional que empiece por +."
)


def _as_text(value: object) -> str:
    """Any raw value as one line of text: trimmed, single spaces, no control characters."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 1234567.0 is the number 1234567
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    if not text.isprintable():  # control characters (NUL breaks PostgreSQL) become spaces
        text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(text.split())


def normalize_phone(text: str) -> str | None:
    """The phone as stored (digits; "+" kept for foreign numbers), or None if not a phone.

    Colombian numbers lose their +57: a mobile has 10 digits starting with 3, a landline 7 to
    10 digits (since 2021 landlines have 10 digits starting with 60). Foreign numbers matter
    because many migrants keep their Venezuelan line: "+" and 8-15 digits.
    """
    compact = re.sub(r"[\s\-.()/]", "", text)
    if compact.startswith("+57"):
        compact = compact[3:]
    elif compact.startswith("0057"):
        compact = compact[4:]
    elif len(compact) == 12 and compact.startswith("57"):
        compact = compact[2:]
    elif compact.startswith("+"):
        return compact if re.fullmatch(r"\+[1-9]\d{7,14}", compact) else None
    if not compact.isdigit():
        return None
    if len(compact) == 10:
        return compact if compact[0] == "3" or compact.startswith("60") else None
    return compact if 7 <= len(compact) <= 9 else None


def _invalid_choice_message(choices: Choices) -> str:
    labels = ", ".join(label for _, label in choices)
    return f"Opción no válida. Elija una de estas: {labels}."


class _Form:
    """Collects clean values and error messages while the fields are checked one by one."""

    def __init__(self, raw: Mapping[str, object]):
        self.raw = raw
        self.clean: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        self._texts: dict[str, str] = {}

    def text(self, key: str) -> str:
        if key not in self._texts:
            self._texts[key] = _as_text(self.raw.get(key))
        return self._texts[key]

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def check_length(self, key: str, value: str | None) -> str | None:
        limit = FIELDS_BY_KEY[key].max_length
        if value and limit and len(value) > limit:
            self.error(key, f"Máximo {limit} caracteres.")
            return None
        return value

    def choice(self, key: str, choices: Choices, *, required: bool = False) -> str | None:
        text = self.text(key)
        value = match_choice(text, choices, key)
        if not text:
            if required:
                self.error(key, _REQUIRED_MESSAGES[key])
        elif value is None:
            self.error(key, _invalid_choice_message(choices))
        self.clean[key] = value
        return value

    def boolean(self, key: str, *, tri_state: bool = True) -> bool | None:
        """An answer to a yes/no question: True, False or None (not answered, never "no").

        ``tri_state=False`` for a consent box, where no tick means no authorisation."""
        try:
            value = parse_bool(self.raw.get(key))
        except ValueError:
            self.error(key, "Responda sí o no.")
            value = None
        self.clean[key] = value if tri_state else bool(value)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.check_length(key, self.text(key) or None)
        self.clean[key] = value
        return value


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
    form = _Form(raw)
    _check_document(form)
    _check_names(form)
    _check_age(form, today)
    form.choice("sex", SEXES, required=True)
    form.choice("gender_identity", GENDER_IDENTITIES)
    form.choice("sexual_orientation", SEXUAL_ORIENTATIONS)
    form.choice("ethnicity", ETHNICITIES, required=True)
    _check_disability(form)
    form.boolean("is_victim")
    form.boolean("is_migrant")
    form.choice("zone", ZONES)
    _check_contact(form)
    _check_place(form)
    organization = form.optional_text("organization_name")
    form.choice("organization_kind", ORGANIZATION_KINDS)
    form.optional_text("organization_role")
    form.choice("line_of_work", LINES_OF_WORK)
    form.boolean("knows_pit")
    form.boolean("took_part_before")
    _check_theme(form, theme_ids)
    try:
        consent = parse_bool(form.raw.get("consent_data"))
    except ValueError:
        consent = None
    if consent is not True:
        form.error("consent_data", CONSENT_REQUIRED_MESSAGE)
    form.clean["consent_data"] = consent is True
    form.boolean("consent_photos", tri_state=False)
    form.clean["extra_answers"] = _check_extra_answers(form, extra_questions)

    full_name = f"{form.clean['first_names'] or ''} {form.clean['last_names'] or ''}"
    form.clean["name_key"] = normalize_name(full_name)
    form.clean["organization_key"] = normalize_name(organization or "") or None
    return form.clean, form.errors


#: the fields without which an imported row is refused: who the person is, and consent
IDENTITY_FIELDS = frozenset(
    {"document_type", "document_number", "first_names", "last_names", "consent_data"}
)
_BLANK_MESSAGES = frozenset(_REQUIRED_MESSAGES.values()) | {
    "Indique la fecha de nacimiento o el rango de edad."
}


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
            warnings[key] = f"{message} (se deja en blanco)"
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


def _check_document(form: _Form) -> None:
    doc_type = form.choice("document_type", DOCUMENT_TYPES, required=True)
    number = normalize_document(form.text("document_number")).upper()
    form.clean["document_number"] = None
    if not number:
        form.error("document_number", _REQUIRED_MESSAGES["document_number"])
        return
    pattern, message = _DOCUMENT_RULES.get(doc_type or "", _DOCUMENT_DEFAULT_RULE)
    if not re.fullmatch(pattern, number):
        form.error("document_number", message)
        return
    form.clean["document_number"] = number


def _check_names(form: _Form) -> None:
    for key in ("first_names", "last_names"):
        text = form.text(key)
        form.clean[key] = None
        if not text:
            form.error(key, _REQUIRED_MESSAGES[key])
        elif not all(c.isalpha() or c in " .-" + _APOSTROPHES for c in text):
            form.error(key, "Use solo letras, espacios, guiones o apóstrofos (sin números).")
        elif sum(c.isalpha() for c in text) < 2:
            what = "nombres" if key == "first_names" else "apellidos"
            form.error(key, f"Escriba los {what} completos, no solo una inicial.")
        else:
            form.clean[key] = form.check_length(key, format_person_name(text))


def _check_age(form: _Form, today: date) -> None:
    form.clean["birth_date"] = form.clean["age_range"] = None
    raw_birth = form.raw.get("birth_date")
    birth_text = form.text("birth_date")
    if birth_text:
        try:
            birth_date = parse_date(raw_birth if isinstance(raw_birth, date) else birth_text)
        except ValueError:
            form.error("birth_date", "Escriba la fecha de nacimiento como DD/MM/AAAA.")
            return
        if birth_date > today:
            form.error("birth_date", "La fecha de nacimiento no puede estar en el futuro.")
        elif not MIN_AGE <= age_on(birth_date, today) <= MAX_AGE:
            form.error(
                "birth_date",
                f"Revise la fecha de nacimiento: la edad debe estar entre {MIN_AGE} y {MAX_AGE} años.",
            )
        else:
            # The birth date is the better datum: the range always follows from it.
            form.clean["birth_date"] = birth_date
            form.clean["age_range"] = age_range_for(birth_date, today)
        return

    range_text = form.text("age_range")
    if not range_text:
        form.error("birth_date", "Indique la fecha de nacimiento o el rango de edad.")
        return
    value = match_choice(range_text, AGE_RANGES, "age_range")
    age_match = re.fullmatch(r"(\d{1,3})( anos?)?", normalize_name(range_text))
    if value is None and age_match:
        # Lists often carry the age ("Edad: 34") instead of a range.
        age = int(age_match.group(1))
        if MIN_AGE <= age <= MAX_AGE:
            value = age_range_for_age(age)
        else:
            form.error("age_range", _AGE_LIMITS_MESSAGE)
            return
    if value is None:
        labels = ", ".join(label for _, label in AGE_RANGES)
        form.error("age_range", f"Rango de edad no válido. Elija uno de estos: {labels}.")
    form.clean["age_range"] = value


def _means_no(text: str) -> bool:
    try:
        return parse_bool(text) is False
    except ValueError:
        return False


def _check_disability(form: _Form) -> None:
    kind_text = form.text("disability_kind")
    kind_says_none = _means_no(kind_text)
    if kind_says_none:
        kind_text = ""  # lists fill the kind column with "Ninguna" or "No aplica"
    # A list's "Discapacidad" column often holds the kind ("Visual") instead of sí/no.
    kind_in_has = match_choice(form.text("has_disability"), DISABILITY_KINDS, "disability_kind")
    if kind_in_has and not kind_text:
        form.clean["has_disability"] = True
        form.clean["disability_kind"] = kind_in_has
        return
    has = form.boolean("has_disability")
    if has is None and kind_says_none and not form.text("has_disability"):
        form.clean["has_disability"] = has = False  # "tipo: ninguna" answers the question
    kind = match_choice(kind_text, DISABILITY_KINDS, "disability_kind")
    form.clean["disability_kind"] = kind
    if kind_text and kind is None:
        form.error("disability_kind", _invalid_choice_message(DISABILITY_KINDS))
    elif has is None and kind:
        form.clean["has_disability"] = True  # choosing a kind answers the question
    elif has and not kind:
        form.error("disability_kind", _REQUIRED_MESSAGES["disability_kind"])
    elif has is False and kind:
        form.error(
            "disability_kind",
            "Indicó que no tiene discapacidad: deje el tipo de discapacidad en blanco.",
        )
        form.clean["disability_kind"] = None


def _check_contact(form: _Form) -> None:
    phone_text = form.text("phone")
    phone = normalize_phone(phone_text) if phone_text else None
    if phone_text and phone is None:
        # Lists often hold two numbers in one cell ("300 123 4567 / 311 222 3344"): keep the
        # first one that is a phone.
        parts = re.split(r"[/;,|]| y | - | o ", phone_text)
        phone = next(filter(None, (normalize_phone(part) for part in parts if part.strip())), None)
    if phone_text and phone is None:
        form.error("phone", _PHONE_MESSAGE)
    form.clean["phone"] = phone

    email = form.text("email").lower() or None
    if email:
        checked = normal_email(email)
        if checked is None:
            form.error("email", "Escriba un correo electrónico válido, como nombre@correo.com.")
        email = checked
    form.clean["email"] = form.check_length("email", email)


def _check_place(form: _Form) -> None:
    department = form.text("department_code")
    municipality = form.text("municipality_code")
    # Spreadsheets drop leading zeros: Antioquia's "05" arrives as 5 and Medellín as 5001.
    if department.isdigit():
        department = department.zfill(2)
    if municipality.isdigit():
        municipality = municipality.zfill(5)
    if not department and divipola.municipality_name(municipality):
        department = municipality[:2]  # the code contains its department
    form.clean["department_code"] = form.clean["municipality_code"] = None

    if not department:
        form.error("department_code", _REQUIRED_MESSAGES["department_code"])
    elif divipola.department_name(department) is None:
        form.error("department_code", "Seleccione un departamento de la lista (DIVIPOLA).")
    else:
        form.clean["department_code"] = department
    if not municipality:
        form.error("municipality_code", _REQUIRED_MESSAGES["municipality_code"])
    elif divipola.municipality_name(municipality) is None:
        form.error("municipality_code", "Seleccione un municipio de la lista (DIVIPOLA).")
    elif form.clean["department_code"] and not divipola.is_valid(department, municipality):
        form.error("municipality_code", "El municipio no pertenece al departamento seleccionado.")
    else:
        form.clean["municipality_code"] = municipality


def _check_theme(form: _Form, theme_ids: Collection[int]) -> None:
    text = form.text("preferred_theme_id")
    form.clean["preferred_theme_id"] = None
    if not text:
        return
    if text.isascii() and text.isdigit() and int(text) in theme_ids:
        form.clean["preferred_theme_id"] = int(text)
    else:
        form.error("preferred_theme_id", "Seleccione uno de los ejes temáticos de esta asamblea.")


def _check_extra_answers(form: _Form, questions: Sequence[ExtraQuestion]) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in questions:
        key = f"extra_{question.id}"
        text = form.text(key)
        answer: object = None
        if not text:
            if question.required:
                form.error(key, "Esta pregunta es obligatoria.")
        elif question.kind == "yesno":
            try:
                answer = parse_bool(text)
            except ValueError:
                form.error(key, "Responda sí o no.")
        elif question.kind == "choice":
            options = tuple((choice, choice) for choice in question.choices)
            answer = match_choice(text, options)
            if answer is None:
                form.error(key, f"Elija una de estas opciones: {', '.join(question.choices)}.")
        elif len(text) > EXTRA_TEXT_MAX_LENGTH:
            form.error(key, f"Máximo {EXTRA_TEXT_MAX_LENGTH} caracteres.")
        else:
            answer = text
        answers[str(question.id)] = answer
    return answers
