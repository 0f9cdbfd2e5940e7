"""The satisfaction survey (seed 004), pure: its questions, the window it stays open, checking
one answer and counting the answers. Plain data in, plain data out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from assembly.marks import N_

#: a question's kinds: 1–5 scale, yes/no, free text (how a line of the settings names them)
KINDS = {"escala": "scale", "sino": "yesno", "texto": "text"}
KIND_WORDS = {kind: word for word, kind in KINDS.items()}
SCALE = (1, 2, 3, 4, 5)
MAX_QUESTIONS = 12
MAX_LABEL = 200
MAX_COMMENT = 1000
#: hours the survey stays open once opened (issue 15: open for a set window after closing)
DEFAULT_WINDOW_HOURS = 48
MAX_WINDOW_HOURS = 24 * 30

#: the defaults of issue 19.4; their labels are marked for the catalog and translated where
#: shown (``is_builtin_label``): a question the staff write is shown as written, in every
#: language, and a default whose label was edited becomes such a question
DEFAULT_QUESTIONS: tuple[dict, ...] = (
    {"key": "overall", "kind": "scale", "label": N_("Satisfacción general con la asamblea")},
    {"key": "mesa", "kind": "scale", "label": N_("Utilidad del trabajo en su mesa")},
    {"key": "organization", "kind": "scale", "label": N_("Organización del evento")},
    {"key": "again", "kind": "yesno", "label": N_("¿Volvería a asistir?")},
    {"key": "comment", "kind": "text", "label": N_("Comentario libre")},
)
_BUILTIN_LABELS = frozenset(q["label"] for q in DEFAULT_QUESTIONS)


def is_builtin_label(label: str) -> bool:
    """True for a default question's own (Spanish) label: the screens translate it."""
    return label in _BUILTIN_LABELS


class SurveyError(ValueError):
    """A refused setting or answer: ``message`` in Spanish, ``fields`` per question key."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


def questions_text(questions: Iterable[Mapping]) -> str:
    """The questions as the settings form shows them: one ``kind | label`` per line."""
    return "\n".join(f"{KIND_WORDS[q['kind']]} | {q['label']}" for q in questions)


def parse_questions(text: str, previous: Iterable[Mapping] = DEFAULT_QUESTIONS) -> list[dict]:
    """Questions from the settings text. A line whose label and kind match an existing
    question keeps that question's key (so the defaults keep theirs); others get q1, q2…"""
    known = {(q["kind"], q["label"]): q["key"] for q in previous}
    questions, errors = [], []
    used: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        word, bar, label = line.partition("|")
        kind = KINDS.get(word.strip().lower().replace("í", "i").replace(" ", ""))
        label = label.strip()
        if not bar or kind is None:
            errors.append(f"Línea {number}: empiece con escala, sino o texto y una barra (|).")
            continue
        if not label:
            errors.append(f"Línea {number}: falta la pregunta después de la barra.")
            continue
        if len(label) > MAX_LABEL:
            errors.append(f"Línea {number}: la pregunta pasa de {MAX_LABEL} caracteres.")
            continue
        key = known.get((kind, label))
        if key is None or key in used:
            key = f"q{number}"
        used.add(key)
        questions.append({"key": key, "kind": kind, "label": label})
    if errors:
        raise SurveyError(" ".join(errors), {"questions": " ".join(errors)})
    if not questions:
        raise SurveyError("La encuesta necesita al menos una pregunta.", {"questions": "Vacía."})
    if len(questions) > MAX_QUESTIONS:
        message = f"La encuesta admite hasta {MAX_QUESTIONS} preguntas."
        raise SurveyError(message, {"questions": message})
    return questions


def parse_window(value: object) -> int:
    """The hours the survey stays open: a whole number from 1 to 720."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_WINDOW_HOURS:
        message = f"Las horas abierta deben ser un número entero de 1 a {MAX_WINDOW_HOURS}."
        raise SurveyError(message, {"window_hours": message})
    return int(text)


@dataclass(frozen=True)
class Window:
    opened_at: datetime | None
    closes_at: datetime | None

    def state(self, now: datetime) -> str:
        """borrador (never opened), abierta, cerrada."""
        if self.opened_at is None:
            return "borrador"
        if self.closes_at is not None and now >= self.closes_at:
            return "cerrada"
        return "abierta"


def opening(now: datetime, hours: int) -> Window:
    return Window(now, now + timedelta(hours=hours))


def clean_answer(questions: Iterable[Mapping], form: Mapping[str, object]) -> dict[str, object]:
    """One person's answers: every scale and yes/no question answered, texts trimmed."""
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for q in questions:
        raw = str(form.get(q["key"]) or "").strip()
        if q["kind"] == "scale":
            if raw not in {str(n) for n in SCALE}:
                errors[q["key"]] = "Elija un valor de 1 a 5."
            else:
                answers[q["key"]] = int(raw)
        elif q["kind"] == "yesno":
            if raw not in {"si", "no"}:
                errors[q["key"]] = "Elija sí o no."
            else:
                answers[q["key"]] = raw == "si"
        elif raw:
            if len(raw) > MAX_COMMENT:
                errors[q["key"]] = f"El comentario pasa de {MAX_COMMENT} caracteres."
            else:
                answers[q["key"]] = raw
    if errors:
        raise SurveyError("Revise las preguntas marcadas.", errors)
    return answers


def tally(questions: Iterable[Mapping], answers: Iterable[Mapping]) -> list[dict]:
    """Per question: scale → counts 1..5, n and mean; yes/no → yes, no, n; text → the texts."""
    answers = list(answers)
    result = []
    for q in questions:
        values = [a[q["key"]] for a in answers if q["key"] in a]
        item = {"key": q["key"], "kind": q["kind"], "label": q["label"], "n": len(values)}
        if q["kind"] == "scale":
            numbers = [v for v in values if isinstance(v, int) and v in SCALE]
            item["n"] = len(numbers)
            item["counts"] = [numbers.count(n) for n in SCALE]
            item["mean"] = round(sum(numbers) / len(numbers), 2) if numbers else None
        elif q["kind"] == "yesno":
            item["yes"] = sum(1 for v in values if v is True)
            item["no"] = sum(1 for v in values if v is False)
            item["n"] = item["yes"] + item["no"]
        else:
            item["texts"] = [str(v) for v in values]
        result.append(item)
    return result


def means_by(
    questions: Iterable[Mapping], rows: Iterable[tuple[str, Mapping]], k: int = 1
) -> list[dict]:
    """Per group label (a mesa, a differential-focus category): answers and each scale
    question's mean. A group with fewer than ``k`` answers is left out (never shown alone)."""
    scale = [q for q in questions if q["kind"] == "scale"]
    groups: dict[str, list[Mapping]] = {}
    for label, answer in rows:
        groups.setdefault(label, []).append(answer)
    result = []
    for label, members in groups.items():
        if len(members) < k:
            continue
        means = {}
        for q in scale:
            values = [a[q["key"]] for a in members if isinstance(a.get(q["key"]), int)]
            means[q["key"]] = round(sum(values) / len(values), 2) if values else None
        result.append({"label": label, "n": len(members), "means": means})
    return result
