"""The satisfaction survey's pure rules: questions from the settings text, the window,
one answer checked, the counts."""

from datetime import datetime, timedelta

import pytest

from assembly.followup import survey_domain as rules


def test_the_default_questions_round_trip_through_the_settings_text_with_their_keys():
    text = rules.questions_text(rules.DEFAULT_QUESTIONS)
    assert text.splitlines()[0] == "escala | Satisfacción general con la asamblea"
    assert rules.parse_questions(text) == list(rules.DEFAULT_QUESTIONS)


def test_a_new_line_gets_its_own_key_and_kind():
    text = rules.questions_text(rules.DEFAULT_QUESTIONS) + "\nsino | ¿Recibió el refrigerio?"
    parsed = rules.parse_questions(text)
    assert parsed[-1] == {"key": "q6", "kind": "yesno", "label": "¿Recibió el refrigerio?"}
    assert [q["key"] for q in parsed[:5]] == [q["key"] for q in rules.DEFAULT_QUESTIONS]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "al menos una pregunta"),
        ("pregunta sin tipo", "Línea 1: empiece con escala, sino o texto"),
        ("escala |  ", "Línea 1: falta la pregunta"),
        ("escala | " + "x" * 201, "pasa de 200 caracteres"),
        ("\n".join(f"escala | P{n}" for n in range(13)), "hasta 12 preguntas"),
    ],
)
def test_bad_settings_are_refused_with_the_line_and_why(text, says):
    with pytest.raises(rules.SurveyError) as refused:
        rules.parse_questions(text)
    assert says in refused.value.message
    assert "questions" in refused.value.fields


@pytest.mark.parametrize("value", ["0", "721", "dos", "", "1.5", None])
def test_the_window_is_a_whole_number_of_hours(value):
    with pytest.raises(rules.SurveyError, match="de 1 a 720"):
        rules.parse_window(value)


def test_the_window_opens_for_its_hours_and_closes_at_its_end():
    now = datetime(2026, 3, 14, 16, 30)
    assert rules.Window(None, None).state(now) == "borrador"
    window = rules.opening(now, 48)
    assert window.state(now) == "abierta"
    assert window.state(now + timedelta(hours=47, minutes=59)) == "abierta"
    assert window.state(now + timedelta(hours=48)) == "cerrada"


def test_an_answer_needs_every_scale_and_yes_no_question_and_keeps_the_comment():
    good = {"overall": "5", "mesa": "4", "organization": "3", "again": "si", "comment": " Bien "}
    assert rules.clean_answer(rules.DEFAULT_QUESTIONS, good) == {
        "overall": 5, "mesa": 4, "organization": 3, "again": True, "comment": "Bien",
    }  # fmt: skip
    with pytest.raises(rules.SurveyError) as refused:
        rules.clean_answer(rules.DEFAULT_QUESTIONS, {"overall": "6", "again": "tal vez"})
    assert refused.value.fields == {
        "overall": "Elija un valor de 1 a 5.",
        "mesa": "Elija un valor de 1 a 5.",
        "organization": "Elija un valor de 1 a 5.",
        "again": "Elija sí o no.",
    }


def test_tally_counts_each_question_and_means_by_group_hide_small_groups():
    answers = [
        {"overall": 5, "mesa": 4, "organization": 3, "again": True, "comment": "Muy útil"},
        {"overall": 3, "mesa": 2, "organization": 5, "again": False},
        {"overall": 4, "mesa": 5, "organization": 4, "again": True},
    ]
    tally = {item["key"]: item for item in rules.tally(rules.DEFAULT_QUESTIONS, answers)}
    assert tally["overall"]["counts"] == [0, 0, 1, 1, 1] and tally["overall"]["mean"] == 4.0
    assert (tally["again"]["yes"], tally["again"]["no"]) == (2, 1)
    assert tally["comment"]["texts"] == ["Muy útil"]
    rows = [("Mesa 1", answers[0]), ("Mesa 1", answers[1]), ("Mesa 2", answers[2])]
    by_mesa = rules.means_by(rules.DEFAULT_QUESTIONS, rows, k=2)
    assert by_mesa == [{"label": "Mesa 1", "n": 2, "means": {"overall": 4.0, "mesa": 3.0,
                                                            "organization": 4.0}}]  # fmt: skip
