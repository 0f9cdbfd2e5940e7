"""The voting rules (issue 15.1/15.2): quorum of the people present, majorities, the tally
checked against the room. Pure: board.domain."""

import pytest

from assembly.board.domain import Rules, clean_rules, clean_tally, outcome, quorum_needed

HALF = Rules()


@pytest.mark.parametrize(
    ("present", "needed"), [(0, 1), (1, 1), (2, 2), (3, 2), (280, 141), (281, 141)]
)
def test_the_default_quorum_is_more_than_half_of_those_present(present, needed):
    assert quorum_needed(HALF, present) == needed


def test_four_of_280_cannot_pass_a_vote():
    assert outcome(HALF, {"for": 4, "against": 0, "abstain": 0}, 280) == "no_quorum"
    assert outcome(HALF, {"for": 140, "against": 0, "abstain": 0}, 280) == "no_quorum"
    assert outcome(HALF, {"for": 100, "against": 40, "abstain": 1}, 280) == "approved"


def test_abstentions_count_for_quorum_not_for_a_simple_majority():
    assert outcome(HALF, {"for": 3, "against": 2, "abstain": 136}, 280) == "approved"
    assert outcome(HALF, {"for": 2, "against": 2, "abstain": 137}, 280) == "rejected"  # a tie


def test_absolute_and_two_thirds_majorities():
    absolute = Rules(majority="absolute")
    assert outcome(absolute, {"for": 140, "against": 1, "abstain": 0}, 280) == "rejected"
    assert outcome(absolute, {"for": 141, "against": 100, "abstain": 0}, 280) == "approved"
    thirds = Rules(majority="two_thirds")
    assert outcome(thirds, {"for": 100, "against": 50, "abstain": 0}, 280) == "approved"
    assert outcome(thirds, {"for": 100, "against": 49, "abstain": 2}, 280) == "rejected"


def test_a_quorum_as_a_number_or_another_share():
    assert quorum_needed(Rules("number", 50), 280) == 50
    assert outcome(Rules("number", 50), {"for": 49}, 280) == "no_quorum"
    assert quorum_needed(Rules("share", 2 / 3), 300) == 201


def test_the_rules_form_reads_percentages_and_refuses_nonsense():
    assert clean_rules({"quorum_kind": "share", "quorum_value": "60 %"})[0].quorum_value == 0.6
    assert clean_rules({"quorum_kind": "share", "quorum_value": "0,5"})[0].quorum_value == 0.5
    assert clean_rules({"quorum_kind": "number", "quorum_value": "80"})[0] == Rules("number", 80)
    for raw in (
        {"quorum_kind": "share", "quorum_value": "0"},
        {"quorum_kind": "share", "quorum_value": "150"},
        {"quorum_kind": "number", "quorum_value": "2.5"},
        {"quorum_kind": "todos"},
        {"majority": "unanimidad"},
        {"quorum_value": "mitad"},
    ):
        assert clean_rules(raw)[1], raw


def test_a_tally_cannot_exceed_the_people_present():
    _, errors = clean_tally({"for": 900, "against": 0}, 280)
    assert "solo hay 280 personas presentes" in errors["for"]
    assert clean_tally({"for": 200, "against": 80}, 280)[1] == {}


def test_a_declared_total_must_match_the_three_counts():
    _, errors = clean_tally({"for": 100, "against": 20, "abstain": 5, "total": "130"}, 280)
    assert "suman 125, no los 130" in errors["total"]
    assert clean_tally({"for": 100, "against": 20, "abstain": 5, "total": 125}, 280)[1] == {}
