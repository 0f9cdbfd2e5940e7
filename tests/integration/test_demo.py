import random
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from assembly import demo
from assembly.agenda import services as agenda
from assembly.assemblies.models import Assembly
from assembly.auth.models import User
from assembly.board import services as board
from assembly.demo import room
from assembly.followup import lessons, survey
from assembly.grouping.models import Group, Table
from assembly.puzzle import services as puzzle
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from assembly.reports import domain as report_kinds
from assembly.reports.models import ExportLog
from tests.integration.test_reports import table_rows


def test_demo_seeds_the_arauca_day_once(app, db):
    assert demo.seed_if_empty(people=120) is True
    assembly = db.session.scalars(select(Assembly)).one()
    assert (
        "PIT Arauca" in assembly.name and len(assembly.themes) == 5 and len(assembly.moments) == 11
    )
    count = db.session.scalar(select(func.count(Attendee.id)))
    assert 110 <= count <= 120
    assert (
        db.session.scalar(select(func.count(Attendee.id)).where(Attendee.consent_data.is_(False)))
        == 0
    )
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "organizer", "moderator", "supervisor", "facilitator"}
    assert (
        db.session.scalar(select(func.count(Group.id)).where(Group.facilitator_id.is_not(None)))
        == 5
    )
    assert demo.seed_if_empty(people=120) is False
    assert db.session.scalar(select(func.count(Assembly.id))) == 1


def test_demo_people_pass_the_unified_form(app):
    rows = demo.fake_registrations(300, [1, 2, 3, 4, 5])
    assert len({r["document_number"] for r in rows}) == len(rows) > 280
    assert {r["sex"] for r in rows} == {"mujer", "hombre"}


# --- the demo's moments of the day (issue 20) -------------------------------------------------


def _pieces(db, assembly_id, kind=None):
    query = (
        select(func.count(Piece.id))
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly_id)
    )
    if kind:
        query = query.where(Piece.kind == kind)
    return db.session.scalar(query)


def test_the_day_in_progress_is_split_with_moment_4_running_and_the_room_writing(app, db):
    assert demo.seed_if_empty(people=120, state="dia") is True
    assembly = db.session.scalars(select(Assembly)).one()
    checked_in = db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.checked_in_at.is_not(None))
    )
    seated = db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.checked_in_at.is_not(None), Attendee.table_id.is_not(None)
        )
    )
    assert 80 <= checked_in < 120 and seated == checked_in  # late arrivals seated too
    tables = db.session.scalar(select(func.count(Table.id)))
    assert tables >= 5
    clock = agenda.clock_snapshot(assembly.id)
    assert clock["status"] == "running"
    assert puzzle.open_piece_kinds(assembly.id) == {"solution"}
    needs, solutions = _pieces(db, assembly.id, "need"), _pieces(db, assembly.id, "solution")
    assert tables <= needs <= 2 * tables and 0 < solutions < needs
    assert _pieces(db, assembly.id, "plan") == 0

    rng = random.Random(1)
    assert room.write_one(rng) == 1  # the simulated room answers a need with a solution
    assert _pieces(db, assembly.id, "solution") == solutions + 1
    written = room.run(app, 0, rounds=needs)  # until every need has its solution
    assert _pieces(db, assembly.id, "solution") == needs
    assert written == needs - solutions - 1
    assert room.write_one(rng) == 0  # nothing left to write in this step
    assert _pieces(db, assembly.id, "need") == needs  # needs are closed while solutions run


def test_the_plenary_has_every_puzzle_one_approval_and_an_open_vote(app, db):
    assert demo.seed_if_empty(people=100, state="plenaria") is True
    assembly = db.session.scalars(select(Assembly)).one()
    assert _pieces(db, assembly.id, "plan") == _pieces(db, assembly.id, "solution") > 0
    assert puzzle.open_piece_kinds(assembly.id) == set()
    results = board.approval_results(assembly.id, live=True)
    assert sorted(r["status"] for r in results.values()) == ["closed", "open"]
    open_vote = next(r for r in results.values() if r["status"] == "open")
    electorate = board.checked_in_count(assembly.id)
    cast = open_vote["for"] + open_vote["against"] + open_vote["abstain"]
    assert 0.5 * electorate < cast < electorate
    assert board.plenary_state(assembly.id)["mode"] == "reveal"
    assert room.write_one(random.Random(1)) == 0  # no piece step: the room is quiet


def test_the_closed_day_has_every_agenda_decided_the_acta_and_every_report(app, db):
    assert demo.seed_if_empty(people=80, state="cierre") is True
    assembly = db.session.scalars(select(Assembly)).one()
    assert assembly.status == "closed"
    results = board.approval_results(assembly.id)
    assert len(results) == 5 and {r["status"] for r in results.values()} == {"closed"}
    acta = board.latest_acta(assembly.id)
    assert [n["kind"] for n in acta.snapshot["moment_notes"]] == ["oferta", "experiencia"]
    answers = survey.answer_count(assembly.id)
    assert 0.4 * board.checked_in_count(assembly.id) < answers < board.checked_in_count(assembly.id)
    assert [card.code for card in lessons.cards_of(assembly.id)] == ["LA1_ISE"]
    exported = set(db.session.scalars(select(ExportLog.report)))
    assert exported == set(report_kinds.REPORTS)
    # its pseudonyms come from the export's own key (issue 17.8), not the session key
    path = db.session.scalar(
        select(ExportLog.path).where(ExportLog.report == report_kinds.ATTENDANCE)
    )
    sheet = openpyxl.load_workbook(Path(app.config["EXPORTS_DIR"]) / path)["Asistencia"]
    headers, rows = table_rows(sheet)
    shown = {row[headers.index("Seudónimo")] for row in rows} - {None}
    people = db.session.scalars(select(Attendee).where(Attendee.assembly_id == assembly.id))
    documents = [(p.document_type, p.document_number) for p in people]

    def codes(key):
        return {report_kinds.pseudonym(key, *document) for document in documents}

    assert app.config["PSEUDONYM_KEY"] != app.config["SECRET_KEY"]
    assert shown and shown <= codes(app.config["PSEUDONYM_KEY"])
    assert not shown & codes(app.config["SECRET_KEY"])
    assert room.write_one(random.Random(1)) == 0  # closed: the room never writes


def test_an_unknown_demo_state_is_refused(app, db):
    with pytest.raises(ValueError, match="inicio"):
        demo.seed_if_empty(people=10, state="mañana")
    assert db.session.scalar(select(func.count(Assembly.id))) == 0


def test_the_assembly_page_is_the_checklist_of_the_day_in_order(app, db, client, auth):
    assert demo.seed_if_empty(people=60, state="dia") is True
    assembly = db.session.scalars(select(Assembly)).one()
    auth.login("admin")  # a second admin (national): sees every assembly
    html = client.get(f"/assemblies/{assembly.id}").get_data(as_text=True)
    order = [html.index(f'data-step="{key}"') for key in demo_steps()]
    assert order == sorted(order)
    current = html[html.index('aria-current="step"') - 60 : html.index('aria-current="step"')]
    assert 'data-step="dia"' in current  # the room is split and the clock runs
    assert "El reloj está en marcha." in html and "sub-mesas," in html
    assert html.count('class="day-step is-done"') == 4


def demo_steps():
    from assembly.assemblies.domain import DAY_STEPS

    return DAY_STEPS


def test_the_walk_in_form_is_preset_to_the_assembly_department_and_a_cedula(
    client, auth, make_assembly
):
    auth.login("organizer")
    assembly = make_assembly(department_code="81", municipality_code="81001")
    html = client.get(f"/assemblies/{assembly.id}/attendees/new?desk=Mesa+1").get_data(as_text=True)
    import re

    department = re.search(r'<select[^>]*name="department_code".*?</select>', html, re.S).group(0)
    assert re.search(
        r'<option[^>]*value="81"[^>]*selected|<option[^>]*selected[^>]*value="81"', department
    )
    document = re.search(r'<select[^>]*name="document_type".*?</select>', html, re.S).group(0)
    assert re.search(
        r'<option[^>]*value="CC"[^>]*selected|<option[^>]*selected[^>]*value="CC"', document
    )
