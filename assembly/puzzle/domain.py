"""The puzzle's rules: pure functions over plain data (no Flask, no models).

A sub-table writes, step by step, 1–2 needs; one solution per need; one work-plan
commitment (what, who, when) per solution.  :func:`check_piece` validates one submission
or edit against the table's other pieces and the kinds the moderator has open now, and
returns the cleaned values or raises :class:`PieceError` with a Spanish message.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from assembly.assemblies import periods

KINDS = ("need", "solution", "plan")
#: the kind a piece's parent must have
PARENT_KIND = {"need": None, "solution": "need", "plan": "solution"}
MAX_NEEDS = 2
LIMITS = {"need": 280, "solution": 280, "plan": 280, "who": 200, "nudge": 160}
#: plural nouns for messages ("ya no se pueden agregar ni editar necesidades")
PLURALS = {"need": "necesidades", "solution": "soluciones", "plan": "planes de trabajo"}
LABELS = {"need": "Necesidad", "solution": "Solución", "plan": "Plan de trabajo"}


class PieceError(Exception):
    """A submission that breaks a rule; ``message`` is shown on the phone as is."""

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


@dataclass(frozen=True)
class PieceView:
    """What the rules need to know about a stored piece of the same table."""

    id: str
    kind: str
    parent_id: str | None = None
    hidden: bool = False


def clean_id(value: object) -> str:
    """The canonical text of a client UUID, or PieceError."""
    try:
        return str(uuid.UUID(str(value or "").strip()))
    except ValueError:
        raise PieceError("La pieza no tiene un identificador válido; recargue la página.") from None


def clean_text(value: object) -> str:
    """Trim, unify line ends, drop control characters, squeeze runs of blank space."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_due(value: object, start_year: int, end_year: int) -> str:
    """A quarter of the plan period, as stored ("2025-T2"); else PieceError. Only quarters:
    the phones, the facilitators and the plenary offer the same list (assemblies.periods)."""
    if not str(value or "").strip():
        raise PieceError("Indique cuándo: elija un trimestre.", fields={"due": "Indique cuándo."})
    quarter = periods.parse(value)
    if quarter is None:
        raise PieceError(
            "La fecha no es válida: elija un trimestre de la lista.",
            fields={"due": "Elija un trimestre."},
        )
    if not start_year <= quarter.year <= end_year:
        period = f"{start_year}–{end_year}"
        raise PieceError(
            f"El trimestre debe estar dentro del periodo del plan ({period}).",
            fields={"due": f"Fuera del periodo {period}."},
        )
    return quarter.value


def step_message(kind: str, open_kinds: set[str]) -> str:
    """Why ``kind`` cannot be written now: its step has not begun, or it was closed."""
    plural = PLURALS.get(kind, "piezas")
    earlier = [k for k in open_kinds if k in KINDS and KINDS.index(k) < KINDS.index(kind)]
    if earlier:
        return f"El paso de {plural} aún no ha comenzado: esperen a que la moderación lo abra."
    return f"La moderación cerró este paso: ya no se pueden agregar ni editar {plural}."


def check_open(kind: str, open_kinds: set[str]) -> None:
    if kind not in open_kinds:
        raise PieceError(step_message(kind, open_kinds))


def _limited(name: str, text: str, limit: int, label: str) -> None:
    if len(text) > limit:
        raise PieceError(
            f"{label} puede tener como máximo {limit} caracteres (tiene {len(text)}).",
            fields={name: f"Máximo {limit} caracteres."},
        )


def check_texts(kind: str, raw: dict, plan_years: tuple[int, int]) -> dict:
    """Text, who and due of a piece of ``kind``, cleaned and checked for length and period."""
    text = clean_text(raw.get("text"))
    if not text:
        what = {"need": "la necesidad", "solution": "la solución", "plan": "qué se hará"}[kind]
        raise PieceError(f"Escriba {what} antes de enviar.", fields={"text": "Falta el texto."})
    _limited("text", text, LIMITS[kind], "El texto")
    values = {"text": text, "who": None, "due": None}
    if kind == "plan":
        who = clean_text(raw.get("who"))
        if not who:
            raise PieceError(
                "Indique quién: las organizaciones o personas responsables.",
                fields={"who": "Indique quién."},
            )
        _limited("who", who, LIMITS["who"], "«Quién»")
        values["who"] = who
        values["due"] = clean_due(raw.get("due"), *plan_years)
    return values


def check_piece(
    raw: dict,
    *,
    others: list[PieceView],
    open_kinds: set[str],
    plan_years: tuple[int, int],
    existing: PieceView | None = None,
) -> dict:
    """Validate a new piece (``existing`` None) or an edit of ``existing``.

    ``others`` are the table's stored pieces (the piece itself may be among them: it is
    skipped). Returns ``{"id", "kind", "parent_id", "text", "who", "due"}``.
    """
    piece_id = existing.id if existing else clean_id(raw.get("id"))
    kind = existing.kind if existing else str(raw.get("kind") or "")
    if kind not in KINDS:
        raise PieceError("Tipo de pieza desconocido.")
    check_open(kind, open_kinds)
    values = check_texts(kind, raw, plan_years)
    rest = [p for p in others if p.id != piece_id and not p.hidden]
    parent_id = existing.parent_id if existing else (raw.get("parent_id") or None)
    parent_kind = PARENT_KIND[kind]
    if parent_kind is None:
        parent_id = None
        if existing is None and sum(p.kind == "need" for p in rest) >= MAX_NEEDS:
            raise PieceError(
                "Cada mesa escribe una o, como máximo, dos necesidades. "
                "Edite una de las que ya tienen."
            )
    else:
        parent = next((p for p in rest if p.id == str(parent_id)), None)
        if parent is None or parent.kind != parent_kind:
            noun = "necesidad" if parent_kind == "need" else "solución"
            raise PieceError(f"Elija la {noun} de su mesa a la que responde esta pieza.")
        parent_id = parent.id
        if any(p.kind == kind and p.parent_id == parent_id for p in rest):
            raise PieceError(
                "Esa necesidad ya tiene su solución: edítela en lugar de escribir otra."
                if kind == "solution"
                else "Esa solución ya tiene su plan de trabajo: edítelo en lugar de escribir otro."
            )
    return {"id": piece_id, "kind": kind, "parent_id": parent_id, **values}


def same_content(stored: dict, clean: dict) -> bool:
    """A resend that changes nothing (the acknowledgement was lost on the way back)."""
    return all(stored.get(k) == clean.get(k) for k in ("kind", "parent_id", "text", "who", "due"))


def progress(pieces: list[PieceView]) -> dict:
    """Per-step progress of one table: needs n/2, solutions per need, plans per solution."""
    visible = [p for p in pieces if not p.hidden]
    needs = [p for p in visible if p.kind == "need"]
    solutions = [p for p in visible if p.kind == "solution"]
    plans = [p for p in visible if p.kind == "plan"]
    return {
        "needs": len(needs),
        "needs_max": MAX_NEEDS,
        "solutions": len(solutions),
        "solutions_max": len(needs),
        "plans": len(plans),
        "plans_max": len(solutions),
    }


def name_key(name: str) -> str:
    """Lower-case, accent-free, single-spaced: how a typed name is matched to a person."""
    plain = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def clean_nudge(value: object) -> str:
    text = clean_text(value) or "La facilitación les pide avanzar con el paso actual."
    _limited("message", text, LIMITS["nudge"], "El mensaje")
    return text


# --- what the plenary sees ------------------------------------------------------------------


def _field(piece, name: str):
    return piece.get(name) if isinstance(piece, dict) else getattr(piece, name)


def shown_pieces(pieces):
    """The pieces the plenary sees, in the given order: a piece is shown when neither it nor
    a piece above it (its solution, its need) is hidden. Hiding a need hides its solutions
    and plans; showing it again brings back every one not hidden on its own.

    THE rule for the board, the consolidated agenda, the acta, the workbooks and the
    commitments. ``pieces`` are dicts or objects with ``id``, ``parent_id`` and ``hidden``
    (a piece whose parent is not among them counts as a top piece)."""
    by_id = {_field(p, "id"): p for p in pieces}
    verdict: dict[str, bool] = {}

    def shown(piece) -> bool:
        key = _field(piece, "id")
        if key not in verdict:
            verdict[key] = False  # a parent loop hides its pieces instead of recursing forever
            parent = by_id.get(_field(piece, "parent_id") or "")
            verdict[key] = not _field(piece, "hidden") and (parent is None or shown(parent))
        return verdict[key]

    return [p for p in pieces if shown(p)]
