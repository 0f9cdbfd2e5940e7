"""The plenary's pure rules: the decision, tallies, and the need → solution → plan rows."""

import pytest

from assembly.board.domain import agenda_rows, agenda_tree, clean_tally, decide, tally


def test_simple_majority_of_votes_cast_and_a_tie_does_not_approve():
    assert decide(10, 9) is True
    assert decide(9, 9) is False
    assert decide(0, 1) is False


def test_tally_counts_every_choice():
    assert tally(["for", "for", "abstain"]) == {"for": 2, "against": 0, "abstain": 1}


@pytest.mark.parametrize(
    ("raw", "field"),
    [({"for": "-2"}, "for"), ({"against": "x"}, "against"), ({"for": "0", "against": ""}, "for")],
)
def test_bad_tallies_name_the_field(raw, field):
    _, errors = clean_tally(raw)
    assert field in errors


def test_clean_tally_defaults_missing_counts_to_zero():
    assert clean_tally({"for": " 12 ", "against": "3"}) == (
        {"for": 12, "against": 3, "abstain": 0},
        {},
    )


def piece(id, kind, parent=None, hidden=False):
    return {"id": id, "kind": kind, "parent_id": parent, "hidden": hidden, "text": id}


def test_rows_span_a_need_over_its_solutions_and_plans():
    pieces = [
        piece("n1", "need"),
        piece("s1", "solution", "n1"),
        piece("p1", "plan", "s1"),
        piece("p2", "plan", "s1"),
        piece("s2", "solution", "n1"),
        piece("n2", "need"),
    ]
    rows = agenda_rows(pieces)
    assert [(r["need"] and r["need"]["id"], r["need_span"]) for r in rows] == [
        ("n1", 3), (None, 0), (None, 0), ("n2", 1),
    ]  # fmt: skip
    assert [(r["solution"] and r["solution"]["id"], r["solution_span"]) for r in rows] == [
        ("s1", 2), (None, 0), ("s2", 1), (None, 1),
    ]  # fmt: skip
    assert [r["plan"] and r["plan"]["id"] for r in rows] == ["p1", "p2", None, None]


def test_orphans_and_hidden_pieces():
    pieces = [
        piece("n1", "need", hidden=True),
        piece("s1", "solution", "n1"),  # its need is hidden: it goes with it (issue 14.4)
        piece("p1", "plan", "s1"),
        piece("s9", "solution", "gone"),  # its need is not there: it stands alone
        piece("p2", "plan", "s9"),
        piece("p3", "plan", "s9", hidden=True),
    ]
    roots = agenda_tree(pieces)
    assert [r.piece["id"] for r in roots] == ["s9"]
    rows = agenda_rows(pieces)
    assert [(r["need"], r["solution"]["id"], r["plan"]["id"]) for r in rows] == [(None, "s9", "p2")]
    pieces[0]["hidden"] = False  # shown again: what hangs from it comes back
    assert [r.piece["id"] for r in agenda_tree(pieces)] == ["n1", "s9"]
