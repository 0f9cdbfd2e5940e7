"""One piece validator (issue 18.2): phones, facilitators and plenary amendments share
puzzle.domain.check_texts, so they accept and refuse the same texts, "who" and "when"."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from assembly.board.domain import clean_amendment
from assembly.puzzle import domain
from assembly.puzzle.domain import PieceError, PieceView

PLAN_YEARS = (2024, 2026)
KINDS = ("need", "solution", "plan")

texts = st.one_of(
    st.text(max_size=320),
    st.sampled_from(["", "   ", "Crédito blando", "x" * 280, "x" * 281, "a\r\n\r\n\r\nb"]),
)
dues = st.one_of(
    st.none(),
    st.sampled_from(
        ["2025-T2", "2025-t4", " 2024-T1 ", "2023-T4", "2027-T1", "2025-T5", "mañana!!",
         "2025-06-30", ""]
    ),
    st.text(max_size=12),
)  # fmt: skip


def phone_edit(kind: str, raw: dict) -> dict | None:
    """What a table's phone may store when it edits a piece of ``kind`` (None: refused)."""
    piece = PieceView(str(uuid.uuid4()), kind, None if kind == "need" else "parent")
    others = [piece, PieceView("parent", "need" if kind == "solution" else "solution")]
    try:
        clean = domain.check_piece(
            raw, others=others, open_kinds={kind}, plan_years=PLAN_YEARS, existing=piece
        )
    except PieceError:
        return None
    return {key: clean[key] for key in ("text", "who", "due")}


def amendment(kind: str, raw: dict) -> dict | None:
    clean, errors = clean_amendment(kind, {**raw, "reason": "Plenaria"}, PLAN_YEARS)
    if errors:
        return None
    return {key: clean[key] for key in ("text", "who", "due")}


@given(kind=st.sampled_from(KINDS), text=texts, who=st.one_of(st.none(), texts), due=dues)
def test_phones_and_amendments_accept_and_refuse_the_same_inputs(kind, text, who, due):
    raw = {"text": text, "who": who, "due": due}
    assert phone_edit(kind, raw) == amendment(kind, raw)


def test_the_limits_and_the_quarter_are_the_phones_ones():
    plan = {"text": "Crear el fondo", "who": "Cooperativa", "due": "mañana!!"}
    assert amendment("plan", plan) is None  # no free-text "when" (it used to be stored)
    assert amendment("plan", {**plan, "due": "2025-t2"})["due"] == "2025-T2"
    assert amendment("need", {"text": "x" * 281}) is None  # 600 used to pass in the plenary
    _clean, errors = clean_amendment("need", {"text": "Nuevo"}, PLAN_YEARS)
    assert errors == {"reason": "Diga por qué se enmienda (queda en el acta)."}
