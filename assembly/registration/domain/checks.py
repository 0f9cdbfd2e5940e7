"""The unified form's field rules: document, names, age, disability, contact, place, theme and
the extra questions. Each check reads the :class:`~.form.Form` and writes its clean value or
its one message."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date

from email_validator import EmailNotValidError, validate_email

from assembly.core import divipola
from assembly.marks import N_, Problem
from assembly.registration.choices import (
    AGE_RANGES,
    DISABILITY_KINDS,
    DOCUMENT_TYPES,
    MAX_AGE,
    MIN_AGE,
)
from assembly.registration.domain.fields import EXTRA_TEXT_MAX_LENGTH, ExtraQuestion
from assembly.registration.domain.form import (
    NO_AGE_MESSAGE,
    REQUIRED_MESSAGES,
    YES_OR_NO_MESSAGE,
    Form,
    invalid_choice_message,
    too_long_message,
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

# compiled once: every row of a list goes through these
_PHONE_PUNCTUATION_RE = re.compile(r"[\s\-.()/]")
_FOREIGN_PHONE_RE = re.compile(r"\+[1-9]\d{7,14}")
_PHONES_SEPARATOR_RE = re.compile(r"[/;,|]| y | - | o ")
_AGE_RE = re.compile(r"(\d{1,3})( anos?)?")

_DOCUMENT_RULES = {
    "CC": (
        re.compile(r"\d{3,10}"),
        Problem(N_("La cédula de ciudadanía debe tener entre 3 y 10 dígitos, solo números.")),
    ),
    "TI": (
        re.compile(r"\d{10,11}"),
        Problem(N_("La tarjeta de identidad debe tener 10 u 11 dígitos, solo números.")),
    ),
}
_DOCUMENT_DEFAULT_RULE = (
    re.compile(r"[A-Z0-9]{3,20}"),
    Problem(N_("El número de documento debe tener entre 3 y 20 letras o números.")),
)


_AGE_LIMITS_MESSAGE = Problem(
    N_("La edad debe estar entre %(min)s y %(max)s años."), min=MIN_AGE, max=MAX_AGE
)
_PHONE_MESSAGE = Problem(
    N_(
        "Escriba un celular de 10 dígitos que empiece por 3, un fijo de 7 a 10 dígitos "
        "o un número internacional que empiece por +."
    )
)


_INITIAL_ONLY = {
    "first_names": Problem(N_("Escriba los nombres completos, no solo una inicial.")),
    "last_names": Problem(N_("Escriba los apellidos completos, no solo una inicial.")),
}


def normal_email(raw: str) -> str | None:
    """The address normalised by email-validator (syntax only: no DNS on the day, offline), or
    None when it is not an e-mail address. A one-letter top-level domain ("ana@gmail.c") is a
    typo, not an address anyone has."""
    try:
        checked = validate_email(raw, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized if len(checked.ascii_domain.rsplit(".", 1)[-1]) >= 2 else None


def normalize_phone(text: str) -> str | None:
    """The phone as stored (digits; "+" kept for foreign numbers), or None if not a phone.

    Colombian numbers lose their +57: a mobile has 10 digits starting with 3, a landline 7 to
    10 digits (since 2021 landlines have 10 digits starting with 60). Foreign numbers matter
    because many migrants keep their Venezuelan line: "+" and 8-15 digits.
    """
    compact = _PHONE_PUNCTUATION_RE.sub("", text)
    if compact.startswith("+57"):
        compact = compact[3:]
    elif compact.startswith("0057"):
        compact = compact[4:]
    elif len(compact) == 12 and compact.startswith("57"):
        compact = compact[2:]
    elif compact.startswith("+"):
        return compact if _FOREIGN_PHONE_RE.fullmatch(compact) else None
    if not compact.isdigit():
        return None
    if len(compact) == 10:
        return compact if compact[0] == "3" or compact.startswith("60") else None
    return compact if 7 <= len(compact) <= 9 else None


def check_document(form: Form) -> None:
    doc_type = form.choice("document_type", DOCUMENT_TYPES, required=True)
    number = normalize_document(form.text("document_number")).upper()
    form.clean["document_number"] = None
    if not number:
        form.error("document_number", REQUIRED_MESSAGES["document_number"])
        return
    pattern, message = _DOCUMENT_RULES.get(doc_type or "", _DOCUMENT_DEFAULT_RULE)
    if not pattern.fullmatch(number):
        form.error("document_number", message)
        return
    form.clean["document_number"] = number


def check_names(form: Form) -> None:
    for key in ("first_names", "last_names"):
        text = form.text(key)
        form.clean[key] = None
        if not text:
            form.error(key, REQUIRED_MESSAGES[key])
        elif not all(c.isalpha() or c in " .-" + _APOSTROPHES for c in text):
            form.error(
                key, Problem(N_("Use solo letras, espacios, guiones o apóstrofos (sin números)."))
            )
        elif sum(c.isalpha() for c in text) < 2:
            form.error(key, _INITIAL_ONLY[key])
        else:
            form.clean[key] = form.check_length(key, format_person_name(text))


def check_age(form: Form, today: date) -> None:
    form.clean["birth_date"] = form.clean["age_range"] = None
    raw_birth = form.raw.get("birth_date")
    birth_text = form.text("birth_date")
    if birth_text:
        try:
            birth_date = parse_date(raw_birth if isinstance(raw_birth, date) else birth_text)
        except ValueError:
            form.error("birth_date", Problem(N_("Escriba la fecha de nacimiento como DD/MM/AAAA.")))
            return
        if birth_date > today:
            form.error(
                "birth_date", Problem(N_("La fecha de nacimiento no puede estar en el futuro."))
            )
        elif not MIN_AGE <= age_on(birth_date, today) <= MAX_AGE:
            form.error(
                "birth_date",
                Problem(
                    N_(
                        "Revise la fecha de nacimiento: la edad debe estar entre %(min)s y %(max)s años."
                    ),
                    min=MIN_AGE,
                    max=MAX_AGE,
                ),
            )
        else:
            # The birth date is the better datum: the range always follows from it.
            form.clean["birth_date"] = birth_date
            form.clean["age_range"] = age_range_for(birth_date, today)
        return

    range_text = form.text("age_range")
    if not range_text:
        form.error("birth_date", NO_AGE_MESSAGE)
        return
    value = match_choice(range_text, AGE_RANGES, "age_range")
    age_match = _AGE_RE.fullmatch(normalize_name(range_text))
    if value is None and age_match:
        # Lists often carry the age ("Edad: 34") instead of a range.
        age = int(age_match.group(1))
        if MIN_AGE <= age <= MAX_AGE:
            value = age_range_for_age(age)
        else:
            form.error("age_range", _AGE_LIMITS_MESSAGE)
            return
    if value is None:
        labels = [Problem(label) for _, label in AGE_RANGES]
        form.error(
            "age_range",
            Problem(N_("Rango de edad no válido. Elija uno de estos: %(labels)s."), labels=labels),
        )
    form.clean["age_range"] = value


def _means_no(text: str) -> bool:
    try:
        return parse_bool(text) is False
    except ValueError:
        return False


def check_disability(form: Form) -> None:
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
        form.error("disability_kind", invalid_choice_message(DISABILITY_KINDS))
    elif has is None and kind:
        form.clean["has_disability"] = True  # choosing a kind answers the question
    elif has and not kind:
        form.error("disability_kind", REQUIRED_MESSAGES["disability_kind"])
    elif has is False and kind:
        form.error(
            "disability_kind",
            Problem(
                N_("Indicó que no tiene discapacidad: deje el tipo de discapacidad en blanco.")
            ),
        )
        form.clean["disability_kind"] = None


def check_contact(form: Form) -> None:
    phone_text = form.text("phone")
    phone = normalize_phone(phone_text) if phone_text else None
    if phone_text and phone is None:
        # Lists often hold two numbers in one cell ("300 123 4567 / 311 222 3344"): keep the
        # first one that is a phone.
        parts = _PHONES_SEPARATOR_RE.split(phone_text)
        phone = next(filter(None, (normalize_phone(part) for part in parts if part.strip())), None)
    if phone_text and phone is None:
        form.error("phone", _PHONE_MESSAGE)
    form.clean["phone"] = phone

    email = form.text("email").lower() or None
    if email:
        checked = normal_email(email)
        if checked is None:
            form.error(
                "email",
                Problem(N_("Escriba un correo electrónico válido, como nombre@correo.com.")),
            )
        email = checked
    form.clean["email"] = form.check_length("email", email)


def check_place(form: Form) -> None:
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
        form.error("department_code", REQUIRED_MESSAGES["department_code"])
    elif divipola.department_name(department) is None:
        form.error(
            "department_code", Problem(N_("Seleccione un departamento de la lista (DIVIPOLA)."))
        )
    else:
        form.clean["department_code"] = department
    if not municipality:
        form.error("municipality_code", REQUIRED_MESSAGES["municipality_code"])
    elif divipola.municipality_name(municipality) is None:
        form.error(
            "municipality_code", Problem(N_("Seleccione un municipio de la lista (DIVIPOLA)."))
        )
    elif form.clean["department_code"] and not divipola.is_valid(department, municipality):
        form.error(
            "municipality_code",
            Problem(N_("El municipio no pertenece al departamento seleccionado.")),
        )
    else:
        form.clean["municipality_code"] = municipality


def check_theme(form: Form, theme_ids: Collection[int]) -> None:
    text = form.text("preferred_theme_id")
    form.clean["preferred_theme_id"] = None
    if not text:
        return
    if text.isascii() and text.isdigit() and int(text) in theme_ids:
        form.clean["preferred_theme_id"] = int(text)
    else:
        form.error(
            "preferred_theme_id",
            Problem(N_("Seleccione uno de los ejes temáticos de esta asamblea.")),
        )


def check_extra_answers(form: Form, questions: Sequence[ExtraQuestion]) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in questions:
        key = f"extra_{question.id}"
        text = form.text(key)
        answer: object = None
        if not text:
            if question.required:
                form.error(key, Problem(N_("Esta pregunta es obligatoria.")))
        elif question.kind == "yesno":
            try:
                answer = parse_bool(text)
            except ValueError:
                form.error(key, YES_OR_NO_MESSAGE)
        elif question.kind == "choice":
            options = tuple((choice, choice) for choice in question.choices)
            answer = match_choice(text, options)
            if answer is None:
                form.error(
                    key,
                    Problem(
                        N_("Elija una de estas opciones: %(choices)s."),
                        choices=list(question.choices),
                    ),
                )
        elif len(text) > EXTRA_TEXT_MAX_LENGTH:
            form.error(key, too_long_message(EXTRA_TEXT_MAX_LENGTH))
        else:
            answer = text
        answers[str(question.id)] = answer
    return answers
