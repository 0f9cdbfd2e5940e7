"""Pure rules of the plenary: the decision, the tally and the agenda tree.  No Flask, no DB."""

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from assembly.marks import N_
from assembly.puzzle.domain import PieceError, check_texts, clean_text, shown_pieces

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


QUORUM_KINDS = ("share", "number")
MAJORITIES = ("simple", "absolute", "two_thirds")
#: how a mesa's agenda was put to the plenary, and how its vote ended (the catalog's Spanish
#: source: the screens translate it, the Excel reports keep it)
APPROVAL_METHODS = {"manos": N_("A mano alzada"), "telefono": N_("Votación por teléfono")}
OUTCOME_LABELS = {
    "approved": N_("Aprobada"),
    "rejected": N_("No aprobada"),
    "no_quorum": N_("Sin quórum"),
}
OUTCOMES = tuple(OUTCOME_LABELS)


def outcome_label(approval: Mapping) -> str:
    """The decision of a closed vote: its stored outcome; a vote stored before outcomes were
    kept reads from whether it was approved."""
    outcome = approval.get("outcome")
    if outcome not in OUTCOME_LABELS:
        outcome = "approved" if approval.get("approved") else "rejected"
    return OUTCOME_LABELS[outcome]


@dataclass(frozen=True)
class Rules:
    """An assembly's voting rules. Quorum: ``share`` = MORE than that share of the people
    present (default 0.5: more than half), ``number`` = at least that many. The people who
    take part (for + against + abstentions: phone votes cast, or the show-of-hands count)
    must reach it, else the vote ends "sin quórum". Majority: ``simple`` = more for than
    against (abstentions do not count); ``absolute`` = more for than half of the people
    present; ``two_thirds`` = for at least two thirds of the votes cast, abstentions
    included (an abstention weighs as not in favour)."""

    quorum_kind: str = "share"
    quorum_value: float = 0.5
    majority: str = "simple"

    def as_dict(self) -> dict:
        return {
            "quorum_kind": self.quorum_kind,
            "quorum_value": self.quorum_value,
            "majority": self.majority,
        }

    @classmethod
    def from_dict(cls, raw: dict | None) -> "Rules":
        raw = raw or {}
        return cls(
            quorum_kind=raw.get("quorum_kind", "share"),
            quorum_value=float(raw.get("quorum_value", 0.5)),
            majority=raw.get("majority", "simple"),
        )


def quorum_needed(rules: Rules, present: int) -> int:
    """How many people must take part for the vote to count."""
    if rules.quorum_kind == "number":
        return max(1, int(rules.quorum_value))
    return math.floor(max(present, 0) * rules.quorum_value + 1e-9) + 1


def outcome(rules: Rules, counts: dict[str, int], present: int) -> str:
    """approved, rejected or no_quorum for these counts with ``present`` people in the room."""
    cast = sum(counts.get(choice, 0) for choice in CHOICES)
    if cast < quorum_needed(rules, present):
        return "no_quorum"
    yes, no = counts.get("for", 0), counts.get("against", 0)
    if rules.majority == "absolute":
        passed = 2 * yes > present
    elif rules.majority == "two_thirds":
        passed = 3 * yes >= 2 * cast
    else:
        passed = yes > no
    return "approved" if passed else "rejected"


def decide(votes_for: int, votes_against: int) -> bool:
    """The simple majority alone (kept for callers without a room): more for than against."""
    return votes_for > votes_against


def clean_rules(raw: dict) -> tuple[Rules, dict[str, str]]:
    """The rules form: quorum kind and value, majority. Returns (rules, errors)."""
    errors: dict[str, str] = {}
    kind = str(raw.get("quorum_kind") or "share").strip()
    if kind not in QUORUM_KINDS:
        errors["quorum_kind"] = "Elija el quórum como proporción o como número."
        kind = "share"
    text = str(raw.get("quorum_value") if raw.get("quorum_value") is not None else "").strip()
    value = 0.5
    try:
        value = float(text.replace(",", ".").rstrip("%").strip()) if text else 0.5
    except ValueError:
        errors["quorum_value"] = "Escriba el quórum como un número."
    else:
        if kind == "share":
            if value > 1:
                value = value / 100
            if not 0 < value < 1:
                errors["quorum_value"] = "La proporción debe estar entre 0 y 100 %."
        elif value != int(value) or not 1 <= value <= 100_000:
            errors["quorum_value"] = "El quórum debe ser un número entero de personas."
    majority = str(raw.get("majority") or "simple").strip()
    if majority not in MAJORITIES:
        errors["majority"] = "Elija mayoría simple, absoluta o dos tercios."
        majority = "simple"
    return Rules(kind, value, majority), errors


def tally(choices) -> dict[str, int]:
    """{"for": n, "against": n, "abstain": n} from an iterable of choices."""
    counted = Counter(choices)
    return {choice: counted.get(choice, 0) for choice in CHOICES}


def clean_tally(raw: dict, present: int | None = None) -> tuple[dict[str, int], dict[str, str]]:
    """Three whole, non-negative counts from a show-of-hands form, and the errors. Checked
    against the room: the three together cannot exceed the ``present`` people, and when the
    form gives the ``total`` of hands counted, for + against + abstentions must equal it."""
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
    if errors:
        return clean, errors
    total = sum(clean.values())
    if total == 0:
        errors["for"] = "Escriba al menos un voto."
    elif present is not None and total > present:
        errors["for"] = (
            f"El conteo suma {total} votos y solo hay {present} personas presentes. "
            "Cuente de nuevo o corrija las personas presentes."
        )
    declared = str(raw.get("total") if raw.get("total") is not None else "").strip()
    if declared and not errors:
        if not declared.isdigit():
            errors["total"] = "Escriba el total de manos como un número entero."
        elif int(declared) != total:
            errors["total"] = (
                f"A favor + en contra + abstenciones suman {total}, "
                f"no los {int(declared)} contados."
            )
    return clean, errors


@dataclass
class Node:
    """A piece in the agenda tree: a need with its solutions, a solution with its plans."""

    piece: dict
    children: list["Node"] = field(default_factory=list)


def agenda_tree(pieces: list[dict]) -> list[Node]:
    """Needs → solutions → plans from flat piece dicts (``id``, ``kind``, ``parent_id``), in
    the given order.  What the plenary does not see is left out (``shown_pieces``: a hidden
    piece and everything under it); a piece whose parent is missing becomes a root of its own,
    so nothing written is ever lost from the document."""
    visible = shown_pieces(pieces)
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


def table_label(piece: dict) -> str:
    """A piece's sub-mesa as the room names it: mesa.sub-mesa («1.3»)."""
    return f"{piece['group_number']}.{piece['table_number']}"


def merged_sources(pieces: list[dict]) -> dict[str, list[str]]:
    """For each piece that duplicates were merged into (``merged_into_id``, followed through
    chains: a duplicate of a duplicate), the other sub-mesas those came from, in order
    («1.3»); the kept piece's own sub-mesa is not repeated."""
    by_id = {p["id"]: p for p in pieces}

    def kept_of(piece: dict) -> dict | None:
        current, seen = piece, set()
        while current.get("merged_into_id") and current["id"] not in seen:
            seen.add(current["id"])
            following = by_id.get(current["merged_into_id"])
            if following is None:
                break
            current = following
        return None if current is piece else current

    sources: dict[str, list[str]] = {}
    for piece in pieces:
        kept = kept_of(piece)
        if kept is None:
            continue
        label = table_label(piece)
        found = sources.setdefault(kept["id"], [])
        if label != table_label(kept) and label not in found:
            found.append(label)
    return {key: sorted(labels, key=_label_order) for key, labels in sources.items() if labels}


def _label_order(label: str) -> tuple[int, ...]:
    return tuple(int(part) for part in label.split("."))


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


# --- erasure: what a redacted acta keeps -----------------------------------------------------

#: what stands where an erased person was mentioned
SUPPRESSED = "[dato suprimido]"
#: names in a public role stay in the acta (the consent text says so): the mesas'
#: spokespersons, the commitments' responsibles («quién»), who spoke in Moments 2 and 3
PUBLIC_ROLE_KEYS = frozenset({"spokesperson", "who"})


def redact(snapshot: dict, names: list[str]) -> tuple[dict, int]:
    """A copy of an acta's snapshot with every mention of ``names`` (case ignored) replaced by
    :data:`SUPPRESSED`, except under a public-role key; and how many were replaced."""
    patterns = [
        re.compile(re.escape(name.strip()), re.IGNORECASE)
        for name in names
        if name and len(name.strip()) >= 3
    ]
    count = 0

    def walk(value, public: bool):
        nonlocal count
        if isinstance(value, dict):
            return {k: walk(v, public or k in PUBLIC_ROLE_KEYS) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, public) for v in value]
        if isinstance(value, str) and not public:
            for pattern in patterns:
                value, n = pattern.subn(SUPPRESSED, value)
                count += n
        return value

    return walk(snapshot, False), count
