"""The Satisfacción sheet (issue 19.4): the survey by question, by mesa and by
differential-focus group, groups of fewer than k answers left out, native charts."""

import io
import re
import zipfile
from datetime import datetime

import openpyxl
from sqlalchemy import select

from assembly.extensions import db
from assembly.followup import survey
from assembly.grouping.models import Group

ARRIVED = datetime(2026, 3, 14, 8)


def _answer(person, overall, again="si", comment=""):
    survey.answer(
        person.ticket_token,
        {"overall": str(overall), "mesa": "4", "organization": "3", "again": again,
         "comment": comment},
    )  # fmt: skip


def _export(client, assembly_ids):
    response = client.post(
        "/reports/export",
        data={"report": "satisfaccion", "assembly_ids": [str(i) for i in assembly_ids]},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_data()
    response.close()
    return data


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _section(rows, title):
    """The data rows under the section ``title`` (after its header row, to the blank row)."""
    start = next(i for i, row in enumerate(rows) if row[0] == title)
    found = []
    for row in rows[start + 2 :]:
        if row[0] is None:
            break
        found.append(row)
    return found


def test_the_satisfaction_sheet_counts_by_question_mesa_and_group_of_k(
    make_assembly, make_attendee, client, auth
):
    assembly = make_assembly(name="Asamblea Regional PIT Arauca")
    groups = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    women = [make_attendee(assembly, checked_in_at=ARRIVED, group_id=groups[0].id, sex="mujer")
             for _ in range(5)]  # fmt: skip
    men = [make_attendee(assembly, checked_in_at=ARRIVED, group_id=groups[1].id, sex="hombre")
           for _ in range(2)]  # fmt: skip
    survey.open_survey(None, assembly.id)
    for person in women:
        _answer(person, 5)
    _answer(men[0], 2, again="no", comment="Faltó tiempo para la plenaria")
    _answer(men[1], 3, again="no")
    db.session.commit()

    auth.login("supervisor")
    data = _export(client, [assembly.id])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Satisfacción"]
    rows = _rows(book["Satisfacción"])
    assert "Encuesta de satisfacción — Asamblea Regional PIT Arauca" in rows[0][0]
    assert rows[2][:2] == ["Respuestas", 7]
    questions = {row[0]: row for row in _section(rows, "Por pregunta")}
    overall = questions["Satisfacción general con la asamblea"]
    assert overall[1:9] == ["Escala 1 a 5", 7, round(30 / 7, 2), 0, 1, 1, 0, 5]
    again = questions["¿Volvería a asistir?"]
    assert (again[2], again[9], again[10]) == (7, 5, 2)
    # k = 5: the mesa of two and the group of two men are not shown
    assert _section(rows, "Por mesa") == [[f"Mesa {groups[0].number}", 5, 5, 4, 3] + [None] * 6]
    by_sex = _section(rows, "Enfoque diferencial: Sexo")
    assert [row[:3] for row in by_sex] == [["Mujer", 5, 5]]
    assert ["Satisfacción general con la asamblea", 7] not in [r[:2] for r in by_sex]
    comments = _section(rows, "Comentarios")
    assert [row[:2] for row in comments] == [["Comentario libre", "Faltó tiempo para la plenaria"]]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 2  # means per question, per mesa


def test_an_assembly_without_survey_gives_an_empty_sheet_with_the_defaults(
    make_assembly, client, auth
):
    assembly = make_assembly()
    auth.login("supervisor")
    book = openpyxl.load_workbook(io.BytesIO(_export(client, [assembly.id])))
    rows = _rows(book["Satisfacción"])
    assert rows[2][:2] == ["Respuestas", 0]
    assert len(_section(rows, "Por pregunta")) == 5
    assert _section(rows, "Por mesa") == []


def test_the_national_file_compares_the_assemblies(make_assembly, make_attendee, client, auth):
    arauca, meta = make_assembly(name="Asamblea Arauca"), make_assembly(name="Asamblea Meta")
    for assembly, score in ((arauca, 5), (meta, 3)):
        survey.open_survey(None, assembly.id)
        for _ in range(5):
            _answer(make_attendee(assembly, checked_in_at=ARRIVED), score)
    db.session.commit()
    auth.login("supervisor")
    data = _export(client, [arauca.id, meta.id])
    rows = _rows(openpyxl.load_workbook(io.BytesIO(data))["Satisfacción"])
    assert [row[:3] for row in _section(rows, "Por asamblea")] == [
        ["Asamblea Arauca", 5, 5], ["Asamblea Meta", 5, 3],
    ]  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 3  # per question, per assembly, per mesa («Sin mesa» of each)
