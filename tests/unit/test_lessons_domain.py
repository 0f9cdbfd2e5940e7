"""The lessons cards' pure rules: the code, an area, a card's choices, the search."""

from assembly.followup import lessons_domain as rules

CARD = {"finding": "Hallazgo", "lesson": "Lección", "kind": "negativa", "area_id": "3"}


def _clean(raw=CARD, lists=None):
    return rules.clean_card(raw, lists or {}, area_ids={3}, group_ids={7}, commitment_ids={11})


def test_the_code_is_the_seeds():
    assert rules.code(2, "ISE") == "LA2_ISE"


def test_an_area_needs_a_free_name_and_a_short_capital_code():
    clean, errors = rules.clean_area({"name": " Comercio ", "code": "com"}, set(), set())
    assert (clean, errors) == ({"name": "Comercio", "code": "COM"}, {})
    _, errors = rules.clean_area({"name": "Inclusión", "code": "ISE"}, {"inclusion"}, {"ISE"})
    assert set(errors) == {"name", "code"}


def test_choices_are_kept_once_in_order_and_unknown_ones_refused():
    clean, errors = _clean(lists={"sdgs": ["10", "8", "8"], "gcm_principles": ["j", "a"],
                                  "commitment_ids": ["11"]})  # fmt: skip
    assert errors == {}
    assert (clean["sdgs"], clean["gcm_principles"], clean["commitment_ids"]) == (
        [8, 10],
        ["a", "j"],
        [11],
    )
    assert clean["group_id"] is None and clean["area_id"] == 3
    _, errors = _clean(lists={"sdgs": ["18"], "gcm_principles": ["k"]})
    assert set(errors) == {"sdgs", "gcm_principles"}


def test_the_search_ignores_case_and_accents_and_needs_every_word():
    texts = {"finding": "Las redes de APOYO", "territory": "Arauca, Saravena", "code": "LA1_ISE"}
    assert rules.matches(texts, {"q": "redes apoyo"})
    assert rules.matches(texts, {"q": "la1_ise", "territory": "saravená"})
    assert not rules.matches(texts, {"q": "redes convocatoria"})
    assert not rules.matches(texts, {"territory": "Meta"})
