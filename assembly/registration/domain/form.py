"""The form being checked: raw values read as text, clean values and one message per field."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date

from assembly.marks import N_, Problem
from assembly.registration.choices import Choices
from assembly.registration.domain.fields import FIELDS_BY_KEY
from assembly.registration.domain.normalize import match_choice, parse_bool

#: what a blank required field says
REQUIRED_MESSAGES = {
    "document_type": Problem(N_("Seleccione el tipo de documento.")),
    "document_number": Problem(N_("Escriba el número de documento.")),
    "first_names": Problem(N_("Escriba los nombres.")),
    "last_names": Problem(N_("Escriba los apellidos.")),
    "sex": Problem(N_("Seleccione el sexo.")),
    "ethnicity": Problem(N_("Seleccione el autorreconocimiento étnico (o «Ninguno»).")),
    "department_code": Problem(N_("Seleccione el departamento de residencia.")),
    "municipality_code": Problem(N_("Seleccione el municipio de residencia.")),
    "disability_kind": Problem(N_("Seleccione el tipo de discapacidad.")),
}
NO_AGE_MESSAGE = Problem(N_("Indique la fecha de nacimiento o el rango de edad."))
YES_OR_NO_MESSAGE = Problem(N_("Responda sí o no."))


def as_text(value: object) -> str:
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
    single = " ".join(text.split())
    return text if single == text else single  # the same object: a list's shared cell text


def invalid_choice_message(choices: Choices) -> Problem:
    labels = [Problem(label) for _, label in choices]
    return Problem(N_("Opción no válida. Elija una de estas: %(labels)s."), labels=labels)


def too_long_message(limit: int) -> Problem:
    return Problem(N_("Máximo %(n)s caracteres."), n=limit)


class Form:
    """Collects clean values and error messages while the fields are checked one by one."""

    def __init__(self, raw: Mapping[str, object]):
        self.raw = raw
        self.clean: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        self._texts: dict[str, str] = {}

    def text(self, key: str) -> str:
        if key not in self._texts:
            self._texts[key] = as_text(self.raw.get(key))
        return self._texts[key]

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def check_length(self, key: str, value: str | None) -> str | None:
        limit = FIELDS_BY_KEY[key].max_length
        if value and limit and len(value) > limit:
            self.error(key, too_long_message(limit))
            return None
        return value

    def choice(self, key: str, choices: Choices, *, required: bool = False) -> str | None:
        text = self.text(key)
        value = match_choice(text, choices, key)
        if not text:
            if required:
                self.error(key, REQUIRED_MESSAGES[key])
        elif value is None:
            self.error(key, invalid_choice_message(choices))
        self.clean[key] = value
        return value

    def boolean(self, key: str, *, tri_state: bool = True) -> bool | None:
        """An answer to a yes/no question: True, False or None (not answered, never "no").

        ``tri_state=False`` for a consent box, where no tick means no authorisation."""
        try:
            value = parse_bool(self.raw.get(key))
        except ValueError:
            self.error(key, YES_OR_NO_MESSAGE)
            value = None
        self.clean[key] = value if tri_state else bool(value)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.check_length(key, self.text(key) or None)
        self.clean[key] = value
        return value
