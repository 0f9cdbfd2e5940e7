"""The Satisfacción sheet (issue 19.4): the survey's answers by question, by mesa and by
differential-focus group. A mesa or a group with fewer than k answers is not shown (its
people could be recognised); the sheet says so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assembly.followup import survey_domain as survey

from .participation import DIMENSIONS

QUESTION_HEADERS = ("Pregunta", "Tipo", "Respuestas", "Promedio (1 a 5)", "1", "2", "3", "4",
                    "5", "Sí", "No")  # fmt: skip
KIND_LABELS = {"scale": "Escala 1 a 5", "yesno": "Sí / no", "text": "Texto"}


@dataclass(frozen=True)
class AnswerInfo:
    """One answer as the report reads it: where it comes from, the person's registration
    fields (for the differential-focus groups; None if the person was erased) and the answers."""

    assembly_id: int
    mesa: str
    person: Mapping[str, object] | None
    answers: Mapping[str, object]


def merged_questions(per_assembly: Iterable[Sequence[Mapping]]) -> list[dict]:
    """The questions of several assemblies, once each (by key, first label), in order."""
    seen: dict[str, dict] = {}
    for questions in per_assembly:
        for q in questions:
            seen.setdefault(q["key"], dict(q))
    return list(seen.values())


def question_rows(questions: Sequence[Mapping], answers: Sequence[AnswerInfo]) -> list[list]:
    """One row per question: kind, answers, mean and the counts of each value."""
    rows = []
    for item in survey.tally(questions, [a.answers for a in answers]):
        counts = item.get("counts") or [None] * 5
        rows.append(
            [item["label"], KIND_LABELS[item["kind"]], item["n"], item.get("mean"), *counts,
             item.get("yes"), item.get("no")]
        )  # fmt: skip
    return rows


def scale_questions(questions: Sequence[Mapping]) -> list[Mapping]:
    return [q for q in questions if q["kind"] == "scale"]


def group_rows(
    questions: Sequence[Mapping], labelled: Iterable[tuple[str, Mapping]], k: int
) -> list[list]:
    """[label, answers, mean of each scale question] for each group with at least k answers."""
    scale = scale_questions(questions)
    rows = []
    for item in survey.means_by(questions, labelled, k):
        rows.append([item["label"], item["n"], *(item["means"][q["key"]] for q in scale)])
    return rows


def assembly_rows(
    questions, answers: Sequence[AnswerInfo], names: Mapping[int, str], k: int
) -> list[list]:
    """The national file's comparison: one row per assembly (at least k answers)."""
    order = {assembly_id: i for i, assembly_id in enumerate(names)}
    labelled = sorted(answers, key=lambda a: order.get(a.assembly_id, len(order)))
    return group_rows(questions, ((names.get(a.assembly_id, "?"), a.answers) for a in labelled), k)


def mesa_rows(questions, answers: Sequence[AnswerInfo], k: int) -> list[list]:
    rows = group_rows(questions, ((a.mesa, a.answers) for a in answers), k)
    return sorted(rows, key=lambda row: (len(row[0]), row[0]))


def dimension_tables(questions, answers: Sequence[AnswerInfo], k: int) -> list[tuple[str, list]]:
    """(dimension title, rows) for each differential-focus dimension with a group of k."""
    known = [a for a in answers if a.person is not None]
    tables = []
    for dimension in DIMENSIONS:
        labelled = [(dimension.categorize(a.person), a.answers) for a in known]
        rows = group_rows(questions, labelled, k)
        order = {label: i for i, label in enumerate(dimension.fixed)}
        rows.sort(key=lambda row: (order.get(row[0], len(order)), -row[1], row[0]))
        if rows:
            tables.append((dimension.title, rows))
    return tables


def comments(questions, answers: Sequence[AnswerInfo]) -> list[list]:
    """[question, text] of every free comment (no name, no mesa)."""
    texts = [q for q in questions if q["kind"] == "text"]
    return [
        [q["label"], str(a.answers[q["key"]])]
        for q in texts
        for a in answers
        if a.answers.get(q["key"])
    ]
