"""The cross-assembly report gains commitments progress and satisfaction (issue 19.7): the
follow-up and complete files of several assemblies carry «Comparación por asamblea», one row
per assembly, with a native chart; a file of one assembly has no such sheet."""

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
from sqlalchemy import select

from assembly.extensions import db
from assembly.followup import survey
from assembly.followup.models import Commitment
from assembly.grouping.models import Group
from assembly.reports.domain import AssemblyInfo
from assembly.reports.domain.comparison import CommitmentInfo, comparison_rows

ARRIVED = datetime(2026, 3, 14, 8)


def _commit(assembly, status, progress, due="2026-T4", annulled=False):
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    db.session.add(
        Commitment(
            assembly_id=assembly.id, group_id=group.id, what="Fondo rotatorio", status=status,
            progress=progress, due=due, annulled=annulled,
        )
    )  # fmt: skip


def _answer(person, overall):
    survey.answer(
        person.ticket_token,
        {"overall": str(overall), "mesa": "4", "organization": "3", "again": "si"},
    )


def _export(client, report, assembly_ids):
    response = client.post(
        "/reports/export",
        data={"report": report, "assembly_ids": [str(i) for i in assembly_ids]},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_data()
    response.close()
    return data


def test_the_report_of_several_assemblies_compares_progress_and_satisfaction(
    make_assembly, make_attendee, client, auth
):
    arauca, meta = make_assembly(name="Asamblea Arauca"), make_assembly(name="Asamblea Meta")
    _commit(arauca, "cumplido", 100)
    _commit(arauca, "en_curso", 40, due="2024-T1")  # its quarter is past: overdue
    _commit(arauca, "cancelado", 0)  # not in the mean
    _commit(arauca, "pendiente", 0, annulled=True)  # annulled: not a commitment any more
    _commit(meta, "en_riesgo", 10)
    survey.open_survey(None, arauca.id)
    survey.open_survey(None, meta.id)
    for _ in range(5):
        _answer(make_attendee(arauca, checked_in_at=ARRIVED), 4)
    for _ in range(2):  # under k = 5: counted, never averaged
        _answer(make_attendee(meta, checked_in_at=ARRIVED), 1)
    db.session.commit()
    auth.login("supervisor")

    data = _export(client, "seguimiento", [arauca.id, meta.id])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Comparación por asamblea" in book.sheetnames
    rows = [list(r) for r in book["Comparación por asamblea"].iter_rows(values_only=True)]
    header = rows[2]
    assert header[:3] == ["Asamblea", "Fecha", "Compromisos"]
    assert header[3:8] == ["Pendiente", "En curso", "Cumplido", "En riesgo", "Cancelado"]
    assert header[8:] == [
        "Vencidos",
        "Avance promedio (%)",
        "Respuestas a la encuesta",
        "Satisfacción general con la asamblea (promedio 1 a 5)",
    ]
    by_name = {row[0]: row for row in rows[3:5]}
    assert by_name["Asamblea Arauca"][2:] == [3, 0, 1, 1, 0, 1, 1, 70, 5, 4]
    assert by_name["Asamblea Meta"][2:] == [1, 0, 0, 0, 1, 0, 0, 10, 2, None]
    assert any(row[0] and "al menos 5 respuestas" in str(row[0]) for row in rows[5:])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = archive.read("xl/workbook.xml").decode()
        assert "Comparación por asamblea" in sheets
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
        titles = " ".join(archive.read(n).decode() for n in charts)
    assert "Avance de los compromisos por asamblea" in titles

    complete = openpyxl.load_workbook(io.BytesIO(_export(client, "completo", [arauca.id, meta.id])))
    assert complete.sheetnames[-1] == "Comparación por asamblea"
    single = openpyxl.load_workbook(io.BytesIO(_export(client, "seguimiento", [arauca.id])))
    assert "Comparación por asamblea" not in single.sheetnames


def test_comparison_rows_on_plain_values():
    infos = [
        AssemblyInfo(1, "A", "Orinoquía", "Tame", date(2026, 3, 14), ""),
        AssemblyInfo(2, "B", "Orinoquía", "Yopal", date(2026, 4, 2), ""),
    ]
    items = [CommitmentInfo(1, "en_curso", 50, "2026-T1"), CommitmentInfo(1, "cumplido", 100, None)]
    rows = comparison_rows(infos, items, {1: (7, 4.25)}, {1: date(2026, 5, 1), 2: date(2026, 5, 1)})
    assert rows[0] == ["A", date(2026, 3, 14), 2, 0, 1, 1, 0, 0, 1, 75, 7, 4.25]
    assert rows[1] == ["B", date(2026, 4, 2), 0, 0, 0, 0, 0, 0, 0, None, 0, None]
