"""Reading the commitments and the survey of several assemblies into the «Comparación por
asamblea» sheet (issue 19.7: the cross-assembly report with commitments progress and
satisfaction)."""

from __future__ import annotations

from sqlalchemy import select

from assembly.extensions import db
from assembly.followup import survey
from assembly.followup import survey_domain as survey_rules
from assembly.followup.models import Commitment
from assembly.reports import domain, satisfaction_reading, workbooks


def commitments(assembly_ids: list[int]) -> list[domain.comparison.CommitmentInfo]:
    rows = db.session.execute(
        select(Commitment.assembly_id, Commitment.status, Commitment.progress, Commitment.due)
        .where(Commitment.assembly_id.in_(assembly_ids), Commitment.annulled.is_(False))
        .order_by(Commitment.id)
    ).all()
    return [domain.comparison.CommitmentInfo(*row) for row in rows]


def write(builder, workbook) -> int:
    """The comparison sheet of ``builder``'s assemblies (a report of several); its rows."""
    questions = domain.satisfaction.merged_questions(
        survey.questions_of(survey.survey_of(assembly_id)) for assembly_id in builder.ids
    )
    scale = domain.satisfaction.scale_questions(questions)
    first = scale[0] if scale else None
    found = satisfaction_reading.answers(builder.ids, builder.names)
    counts: dict[int, int] = {}
    for answer in found:
        counts[answer.assembly_id] = counts.get(answer.assembly_id, 0) + 1
    means = {
        int(item["label"]): item["means"][first["key"]]
        for item in survey_rules.means_by(
            questions, ((str(a.assembly_id), a.answers) for a in found), builder.k
        )
    } if first else {}  # fmt: skip
    satisfaction = {i: (counts.get(i, 0), means.get(i)) for i in builder.ids}
    today = {info.id: domain.venue.local(builder.now, info.zone).date() for info in builder.infos}
    rows = domain.comparison.comparison_rows(
        builder.infos, commitments(builder.ids), satisfaction, today
    )
    title = domain.SHEET_TITLES[domain.COMPARISON]
    return workbooks.write_comparison(
        workbook,
        title,
        builder.lines(domain.COMPARISON, title=title),
        domain.comparison.comparison_columns(first["label"] if first else None),
        rows,
        k=builder.k,
        marks=builder.marks(),
    )
