"""Extra questions, as the admin writes them."""

from __future__ import annotations

from collections.abc import Mapping

from assembly.marks import N_
from assembly.registration.choices import (
    Choices,
)
from assembly.registration.domain.form import as_text
from assembly.registration.domain.normalize import _choice_key, parse_bool

# --------------------------------------------------------------------------------------------
# Extra questions, as the admin writes them
# --------------------------------------------------------------------------------------------

EXTRA_QUESTION_KINDS: Choices = (
    ("text", N_("Texto libre")),
    ("choice", N_("Una opción de una lista")),
    ("yesno", N_("Sí / No")),
)
EXTRA_LABEL_MAX_LENGTH = 300
EXTRA_CHOICE_MAX_LENGTH = 100
EXTRA_MAX_CHOICES = 30


def clean_extra_question(raw: Mapping[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """Check an extra question as typed by an admin; return ``(clean, errors)``.

    ``raw``: label, kind, required (checkbox) and choices (one per line; only for "choice").
    """
    errors: dict[str, str] = {}
    label = as_text(raw.get("label"))
    if not label:
        errors["label"] = "Escriba la pregunta."
    elif len(label) > EXTRA_LABEL_MAX_LENGTH:
        errors["label"] = f"Máximo {EXTRA_LABEL_MAX_LENGTH} caracteres."
    kind = as_text(raw.get("kind"))
    if kind not in {value for value, _ in EXTRA_QUESTION_KINDS}:
        errors["kind"] = "Elija el tipo de pregunta."
    try:
        required = bool(parse_bool(raw.get("required")))
    except ValueError:
        required = False
    choices: list[str] = []
    if kind == "choice":
        seen: set[str] = set()
        for line in str(raw.get("choices") or "").splitlines():
            text = as_text(line)
            if text and _choice_key(text) not in seen:
                seen.add(_choice_key(text))
                choices.append(text)
        if len(choices) < 2:
            errors["choices"] = "Escriba al menos dos opciones, una por línea."
        elif len(choices) > EXTRA_MAX_CHOICES:
            errors["choices"] = f"Máximo {EXTRA_MAX_CHOICES} opciones."
        elif any(len(choice) > EXTRA_CHOICE_MAX_LENGTH for choice in choices):
            errors["choices"] = (
                f"Cada opción puede tener máximo {EXTRA_CHOICE_MAX_LENGTH} caracteres."
            )
    return {"label": label, "kind": kind, "required": required, "choices": choices}, errors
