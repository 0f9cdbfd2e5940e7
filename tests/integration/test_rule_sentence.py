"""The rule a vote was decided under reads in the reader's language (issue 20.8): each vote
stores the rule's parameters, and its sentence is written when shown (the acta on the server,
the console and the board in the browser), so an English reader of an acta made in Spanish
reads English, and a sentence stored as finished text by an earlier version stays readable."""

import json
from datetime import datetime
from pathlib import Path

import flask_babel
import pytest

from assembly.assemblies import services as assemblies
from assembly.board import domain, services
from assembly.board.services.rules import rules_text
from assembly.core.js_modules import catalog
from assembly.extensions import db
from tests.support.board_seed import seed_pieces
from tests.support.services import node_module_json

ROOT = Path(__file__).resolve().parents[2]
SPANISH_RULE = "Quórum: más de la mitad de las 3 personas presentes (2)"
ENGLISH_RULE = "Quorum: more than half of the 3 people present (2)"


@pytest.fixture
def closed(make_assembly, make_attendee):
    """An assembly closed in Spanish (the services' language): one mesa decided by hands."""
    assembly = make_assembly()
    seed_pieces(assembly, 2, per_group=1)
    groups = services.board_groups(assembly.id)
    for _ in range(3):
        make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8))
    services.record_hands(None, assembly.id, groups[0].id, {"for": 2, "against": 1})
    db.session.commit()
    assemblies.close_assembly(None, assembly, reason="Se acabó el tiempo")
    db.session.commit()
    return assembly


def _acta(client, assembly, language: str) -> str:
    # the requests share the test's app context, where Flask-Babel keeps the locale it chose
    flask_babel.refresh()
    return client.get(f"/assemblies/{assembly.id}/acta?lang={language}").get_data(as_text=True)


def test_an_acta_made_in_spanish_gives_its_rule_in_the_readers_language(closed, auth, client):
    stored = services.latest_acta(closed.id).snapshot["agenda"][0]["approval"]["rule"]
    assert "text" not in stored and stored["quorum_needed"] == 2  # parameters, no sentence
    auth.login("moderator")
    english = _acta(client, closed, "en")
    assert ENGLISH_RULE in english and "Quórum" not in english
    assert SPANISH_RULE in _acta(client, closed, "es")


def test_a_sentence_stored_as_text_by_an_earlier_version_stays_readable(closed, auth, client):
    acta = services.latest_acta(closed.id)
    snapshot = json.loads(json.dumps(acta.snapshot))
    first, second = snapshot["agenda"][0], snapshot["agenda"][1]
    # as the earlier version stored it: the parameters and the sentence in Spanish
    first["approval"]["rule"]["text"] = f"{SPANISH_RULE}; mayoría simple."
    # a rule without its parameters: only its stored sentence is left to show
    second["approval"] = {**first["approval"], "rule": {"text": "Regla anterior, tal cual"}}
    acta.snapshot = snapshot
    db.session.commit()
    auth.login("moderator")
    english = _acta(client, closed, "en")
    assert ENGLISH_RULE in english and SPANISH_RULE not in english
    assert "Regla anterior, tal cual" in english


RULES = [
    domain.Rules("share", 0.5, "simple"),
    domain.Rules("share", 0.6, "absolute"),
    domain.Rules("number", 25, "two_thirds"),
]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_screens_write_the_same_sentence_as_the_server(app, language):
    present = 41
    rules = [{**r.as_dict(), "quorum_needed": domain.quorum_needed(r, present)} for r in RULES]
    with flask_babel.force_locale(language):
        expected = [rules_text(r, present) for r in RULES]
    messages = catalog(language, ("plenary", "board")) if language != "es" else {}
    script = (
        'import { setCatalog } from "./static/js/shared/i18n.js";\n'
        'import { approvalRuleSentence, ruleSentence } from "./static/js/lib/vote_rule.js";\n'
        f"setCatalog({json.dumps(messages)}, {json.dumps(language)});\n"
        f"const rules = {json.dumps(rules)};\n"
        f"const shown = rules.map((rule) => ruleSentence(rule, {present}));\n"
        "shown.push(approvalRuleSentence({ rule: rules[0], present_open: 50,"
        f" present_close: {present} }}));\n"
        "console.log(JSON.stringify(shown));\n"
    )
    assert node_module_json(script) == [*expected, expected[0]]
    assert len(set(expected)) == len(RULES)
