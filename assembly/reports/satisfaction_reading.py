"""Reading the satisfaction survey (followup) into the Satisfacción sheet."""

from __future__ import annotations

from sqlalchemy import select

from assembly.extensions import db
from assembly.followup import survey
from assembly.followup.models import SurveyAnswer
from assembly.grouping.models import Group
from assembly.registration.models import Attendee
from assembly.reports import domain, workbooks

#: the registration fields the differential-focus groups read (nothing that names a person)
PERSON_FIELDS = ("sex", "gender_identity", "sexual_orientation", "age_range", "ethnicity",
                 "has_disability", "disability_kind", "is_victim", "is_migrant", "zone",
                 "organization_kind", "line_of_work", "department_code", "municipality_code")  # fmt: skip


def answers(assembly_ids: list[int], names: dict[int, str]) -> list[domain.satisfaction.AnswerInfo]:
    """Every answer of the assemblies with its mesa ("Mesa 3", or "<asamblea> · Mesa 3"
    for several) and the person's differential-focus fields."""
    multi = len(assembly_ids) > 1
    person_columns = [Attendee.__table__.c[name] for name in PERSON_FIELDS]
    rows = db.session.execute(
        select(
            SurveyAnswer.assembly_id,
            SurveyAnswer.answers,
            Group.number,
            Attendee.id.label("person_id"),
            *person_columns,
        )
        .outerjoin(Group, Group.id == SurveyAnswer.group_id)
        .outerjoin(Attendee, Attendee.id == SurveyAnswer.attendee_id)
        .where(SurveyAnswer.assembly_id.in_(assembly_ids))
        .order_by(SurveyAnswer.assembly_id, SurveyAnswer.id)
    ).mappings()
    found = []
    for row in rows:
        mesa = f"Mesa {row['number']}" if row["number"] is not None else "Sin mesa"
        if multi:
            mesa = f"{names.get(row['assembly_id'], row['assembly_id'])} · {mesa}"
        person = {name: row[name] for name in PERSON_FIELDS} if row["person_id"] else None
        found.append(
            domain.satisfaction.AnswerInfo(row["assembly_id"], mesa, person, row["answers"])
        )
    return found


def write(builder, workbook) -> int:
    """The Satisfacción sheet of ``builder``'s assemblies; returns the number of answers."""
    questions = domain.satisfaction.merged_questions(
        survey.questions_of(survey.survey_of(assembly_id)) for assembly_id in builder.ids
    )
    found = answers(builder.ids, builder.names)
    k = builder.k
    workbooks.write_satisfaction(
        workbook,
        domain.SHEET_TITLES[domain.SATISFACTION],
        builder.lines(domain.SATISFACTION),
        answers=len(found),
        questions=domain.satisfaction.question_rows(questions, found),
        scale_labels=[q["label"] for q in domain.satisfaction.scale_questions(questions)],
        mesas=domain.satisfaction.mesa_rows(questions, found, k),
        dimensions=domain.satisfaction.dimension_tables(questions, found, k),
        comments=domain.satisfaction.comments(questions, found),
        k=k,
        assemblies=(
            domain.satisfaction.assembly_rows(questions, found, builder.names, k)
            if builder.multi
            else ()
        ),
        marks=builder.marks(),
    )
    return len(found)
