"""Pure rules of the plenary: the decision, the tally and the agenda tree.  No Flask, no DB."""

from collections import Counter
from dataclasses import dataclass, field

from assembly.puzzle.domain import PieceError, check_texts, clean_text

CHOICES = ("for", "against", "abstain")
MODES = ("live", "reveal", "whole")
REASON_MAX_LENGTH = 300


def clean_amendment(
    kind: str, raw: dict, plan_years: tuple[int, int]
) -> tuple[dict, dict[str, str]]:
    """A plenary amendment of a piece of ``kind``: the SAME rules as the phones'
    (:func:`assembly.puzzle.domain.check_texts`: length limits, a quarter of the plan period
    for "when"), plus the reason that goes into the acta. Returns (clean values, errors)."""
    errors: dict[str, str] = {}
    values: dict = {"text": None, "who": None, "due": None}
    try:
        values = check_texts(kind, raw, plan_years)
    except PieceError as error:
        errors[next(iter(error.fields), "text")] = error.message
    reason = clean_text(raw.get("reason"))
    if not reason:
        errors["reason"] = "Diga por qué se enmienda (queda en el acta)."
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"El motivo puede tener como máximo {REASON_MAX_LENGTH} caracteres."
    return {**values, "reason": reason}, errors


def decide(votes_for: int, votes_against: int) -> bool:
    """A mesa's agenda is approved by a simple majority of the votes cast for or against;
    abstentions count for quorum only, and a tie does not approve."""
    return votes_for > votes_against


def tally(choices) -> dict[str, int]:
    """{"for": n, "against": n, "abstain": n} from an iterable of choices."""
    counted = Counter(choices)
    return {choice: counted.get(choice, 0) for choice in CHOICES}


def clean_tally(raw: dict) -> tuple[dict[str, int], dict[str, str]]:
    """Three whole, non-negative counts from a show-of-hands form, and the errors."""
    clean, errors = {}, {}
    labels = {"for": "a favor", "against": "en contra", "abstain": "abstenciones"}
    for choice in CHOICES:
        value = raw.get(choice, 0)
        try:
            number = int(str(value).strip() or "0")
        except ValueError:
            errors[choice] = f"Escriba un número entero de votos {labels[choice]}."
            continue
        if number < 0 or number > 100_000:
            errors[choice] = f"El número de votos {labels[choice]} no es válido."
            continue
        clean[choice] = number
    if not errors and sum(clean.values()) == 0:
        errors["for"] = "Escriba al menos un voto."
    return clean, errors


@dataclass
class Node:
    """A piece in the agenda tree: a need with its solutions, a solution with its plans."""

    piece: dict
    children: list["Node"] = field(default_factory=list)


def agenda_tree(pieces: list[dict]) -> list[Node]:
    """Needs → solutions → plans from flat piece dicts (``id``, ``kind``, ``parent_id``), in
    the given order.  Hidden pieces are left out; a piece whose parent is missing becomes a
    root of its own, so nothing written is ever lost from the document."""
    visible = [p for p in pieces if not p.get("hidden")]
    nodes = {p["id"]: Node(p) for p in visible}
    expected_parent = {"solution": "need", "plan": "solution"}
    roots = []
    for p in visible:
        parent = nodes.get(p.get("parent_id") or "")
        if parent is not None and parent.piece["kind"] == expected_parent.get(p["kind"]):
            parent.children.append(nodes[p["id"]])
        else:
            roots.append(nodes[p["id"]])
    return roots


def agenda_rows(pieces: list[dict]) -> list[dict]:
    """One row per need → solution → plan chain, for the printable agenda:
    {"need": dict|None, "solution": dict|None, "plan": dict|None, "need_span": n, ...}.
    ``need_span`` / ``solution_span`` are the rows a cell covers (0 where it is covered)."""
    rows = []
    for root in agenda_tree(pieces):
        level = {"need": 0, "solution": 1, "plan": 2}[root.piece["kind"]]
        rows.extend(_rows_of(root, level))
    return rows


def _rows_of(node: Node, level: int) -> list[dict]:
    keys = ("need", "solution", "plan")
    if level == 2 or not node.children:
        below = [{key: None for key in keys}]
        for key in keys[level + 1 :]:
            below[0][f"{key}_span"] = 1
    else:
        below = [row for child in node.children for row in _rows_of(child, level + 1)]
    for index, row in enumerate(below):
        row[keys[level]] = node.piece if index == 0 else None
        row[f"{keys[level]}_span"] = len(below) if index == 0 else 0
    for row in below:
        for key in keys[:level]:
            row.setdefault(key, None)
            row.setdefault(f"{key}_span", 1)
    return below
