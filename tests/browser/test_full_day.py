"""The dress rehearsal (issue 20.1): the day of methodology.md end to end against the real
server, on a test clock that runs the agenda ASSEMBLY_TEST_CLOCK_SPEED times faster.

Real pages where a person acts (the admin, one desk, the moderator, five table phones, the
board); scripted HTTP and Socket.IO clients for the crowd (three more desks, the other tables,
the ticket votes). Every figure is checked against what the test itself did. CI runs it on
SQLite and again on PostgreSQL (.ci/run); each phase prints its time.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import func, select

from assembly.agenda.services import load_agenda
from assembly.assemblies.models import Assembly
from assembly.extensions import db as _db
from assembly.followup import survey as surveys
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, log_in, watch_csp
from tests.conftest import TEST_PASSWORD
from tests.support import rehearsal
from tests.support import rehearsal_day as day
from tests.support import rehearsal_morning as morning
from tests.support import rehearsal_plenary as plenary
from tests.support import rehearsal_reports as reports
from tests.support.live_server import start_server

pytestmark = pytest.mark.slow

#: agenda seconds per real second: Moment 4's 15-minute steps last 45 s (room for a loaded
#: machine: 30 s once left an offline phone's solution after the step's time), the time-up's
#: grace (30 s) 1.5 s, the moderator's +5 min 15 s
SPEED = 20
PRE_REGISTERED = 480
ON_TIME = 430  # checked in before the split, of the pre-registered
LATE = 20  # pre-registered people who arrive after the split
WALK_INS = 20
DESKS = morning.DESKS


@pytest.fixture(scope="module")
def day_server(app, database_url, tmp_path_factory):
    server = start_server(
        database_url,
        secret_key=secrets.token_hex(16),
        log_dir=tmp_path_factory.mktemp("rehearsal"),
        # the reports it saves go to a folder of the test's, not the project's exports/
        extra_env={
            "ASSEMBLY_TEST_CLOCK_SPEED": str(SPEED),
            "ASSEMBLY_EXPORTS_DIR": str(tmp_path_factory.mktemp("exports")),
        },
    )
    yield server
    server.stop()


@pytest.fixture
def open_page(browser, day_server):
    """Pages on the rehearsal's server, each in its own context; no page may break the CSP."""
    contexts, violations = [], []

    def make(viewport=LAPTOP, **kwargs):
        kwargs.setdefault("service_workers", "block")  # as phones on the LAN's plain HTTP
        context = browser.new_context(
            viewport=viewport, base_url=day_server.url, locale="es-CO", **kwargs
        )
        context.set_default_timeout(20_000)
        watch_csp(context, violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):
                page.evaluate("0")
        context.close()
    assert violations == [], "Content-Security-Policy violations"


@pytest.fixture
def patient_expect():
    """A busy machine (two cores, PostgreSQL) may take more than expect's 5 s to show what
    the server did; the other browser tests keep the default."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


class Laps:
    """Each phase's time, printed as the test goes (the run must stay within 6 minutes)."""

    def __init__(self, capsys):
        self.capsys = capsys
        self.started = self.last = time.monotonic()

    def __call__(self, phase: str) -> None:
        now = time.monotonic()
        with self.capsys.disabled():
            print(f"\n[rehearsal] {phase}: {now - self.last:.1f} s ({now - self.started:.1f} s)")
        self.last = now


def test_the_whole_day(app, day_server, open_page, make_user, tmp_path, capsys, patient_expect):
    laps = Laps(capsys)
    shots = rehearsal.Shots(os.environ.get("REHEARSAL_SCREENSHOTS"))
    admin = make_user("admin", display_name="Administración del ensayo")
    desk_staff = [make_user("organizer", display_name=f"Registro {n}") for n in range(1, 5)]
    _db.session.rollback()

    assembly_id = morning.admin_prepares_the_assembly(open_page, admin)
    laps("assembly created, theme adjusted, opened")
    form = open_page(PHONE)  # the public form, as a phone opens it from the poster's QR
    form.goto(f"/inscripcion/{assembly_id}")
    expect(form.get_by_role("button", name="Inscribirme")).to_be_visible()
    shots(form, "form-phone")
    form.context.close()

    listed = rehearsal.people(PRE_REGISTERED)
    morning.import_the_list(
        open_page,
        admin,
        assembly_id,
        rehearsal.write_list(tmp_path / "l.xlsx", listed),
        PRE_REGISTERED,
    )
    laps(f"{PRE_REGISTERED} pre-registrations imported")

    rows = morning.read(
        lambda: _db.session.execute(
            select(Attendee.ticket_token, Attendee.document_number)
            .where(Attendee.assembly_id == assembly_id)
            .order_by(Attendee.id)
        ).all()
    )
    tickets = [token for token, _ in rows]
    person_of = {p.document_digits: p for p in listed}
    listed = [person_of[document] for _, document in rows]  # in the tickets' order
    assert len(tickets) == PRE_REGISTERED
    desk_page = morning.desk_page(open_page, desk_staff[0], assembly_id)
    crowd = [rehearsal.Staff(day_server.url, u.username, TEST_PASSWORD) for u in desk_staff[1:]]
    on_time, late = tickets[:ON_TIME], tickets[ON_TIME : ON_TIME + LATE]
    # two late arrivals are found by name at the desk page: people no other name matches
    findable = {p.number for p in rehearsal.unique_names(listed)}
    by_name = [
        t
        for t, p in zip(late, listed[ON_TIME : ON_TIME + LATE], strict=True)
        if p.number in findable
    ][:2]
    late = [t for t in late if t not in by_name]
    by_page = on_time[:3]
    queues = [on_time[3 + n :: 3] for n in range(3)]
    desks = [
        lambda staff=staff, desk=desk, queue=queue: rehearsal.check_in_all(
            staff, assembly_id, desk, queue
        )
        for staff, desk, queue in zip(crowd, DESKS[1:], queues, strict=True)
    ]
    results = rehearsal.in_parallel(
        desks, main=lambda: morning.scan_at_the_desk_page(desk_page, day_server.url, by_page)
    )
    assert sum(results, start=rehearsal.Counter())["ok"] == ON_TIME - 3
    walk_ins = [
        rehearsal.walk_in(crowd[n % 3], assembly_id, DESKS[1 + n % 3], n) for n in range(15)
    ]
    laps(f"{ON_TIME} checked in at 4 desks, {len(walk_ins)} walk-ins")

    morning.search_and_check_in_by_name(desk_page, listed, tickets, by_name)
    expect(desk_page.locator("[data-count-in]")).to_have_text(str(ON_TIME + 15 + 2))
    laps("name search at the desk page")

    morning.split_the_room(open_page, admin, assembly_id, expected=ON_TIME + 15 + 2)
    laps("room split")

    # late arrivals: the desks seat them at a table with room
    late_results = rehearsal.in_parallel(
        [
            lambda: rehearsal.check_in_all(crowd[0], assembly_id, DESKS[1], late[:9]),
            lambda: rehearsal.check_in_all(crowd[1], assembly_id, DESKS[2], late[9:]),
        ]
    )
    assert sum((r for r in late_results), start=rehearsal.Counter())["ok"] == LATE - 2
    walk_ins += [rehearsal.walk_in(crowd[2], assembly_id, DESKS[3], 15 + n) for n in range(5)]
    checked_in = ON_TIME + LATE + WALK_INS
    expect(desk_page.locator("[data-count-in]")).to_have_text(str(checked_in))
    seated = morning.read(
        lambda: _db.session.scalar(
            select(func.count(Attendee.id)).where(
                Attendee.assembly_id == assembly_id, Attendee.table_id.is_not(None)
            )
        )
    )
    assert seated == checked_in  # every late arrival got a seat at the desk
    morning.manual_move(crowd[0], assembly_id)
    laps(f"late arrivals seated ({checked_in} in the room), one manual move")
    shots(desk_page, "desk-laptop")
    desk_page.context.close()

    # the afternoon: the moderator's console walks the agenda while the tables write
    moderator = make_user("moderator", display_name="Moderación del ensayo")
    _db.session.rollback()
    console_page = open_page(LAPTOP)
    log_in(console_page, moderator)
    slots = morning.read(lambda: load_agenda(_db.session.get(Assembly, assembly_id)).slots)
    console = day.Console(console_page, assembly_id, slots)
    console.start()
    console.until(lambda slot: slot.moment_kind == "momento")
    console.pause_and_resume()
    laps("the clock from Registro to Momento 1, one pause")

    seats = morning.read(lambda: morning.seats(assembly_id))
    assert len(seats) == 25
    first_of_each_mesa = [s for s in seats if s.number == 1]
    phones = [day.Phone(open_page(PHONE), seat) for seat in first_of_each_mesa]
    # the projector's board from the start of Momento 4, and mesa 1's facilitator's phone
    projector = open_page(PROJECTOR)
    log_in(projector, moderator)
    projector.goto(f"/assemblies/{assembly_id}/board")
    plenary.board_shows(projector, 0)
    shots(projector, "board-empty-projector")
    facilitator = open_page(PHONE)
    log_in(facilitator, admin)
    mesa_one = morning.read(lambda: morning.group_id(assembly_id, 1))
    facilitator.goto(f"/assemblies/{assembly_id}/groups/{mesa_one}/facilitate")
    scripted = []
    for seat in seats:
        if seat not in first_of_each_mesa:
            table = rehearsal.ScriptedTable(day_server.url, seat.code)
            table.seat = seat
            scripted.append(table)
    board_token, quarters = morning.read(lambda: morning.board_and_quarters(assembly_id))
    board = rehearsal.BoardListener(day_server.url, assembly_id, board_token)
    try:

        def on_board(kind: str) -> None:
            if not shots.folder:
                return
            shown = sum(board.count(k) for k in ("need", "solution", "plan"))
            plenary.board_shows(projector, shown)  # the picture holds every piece so far
            if kind == "need":
                shots(console_page, "console-laptop")
            elif kind == "solution":
                shots(projector, "board-mid-projector", settle_ms=900)
                shots(phones[2].page, "table-phone")
            else:
                expect(facilitator.locator(".fac-table .piece-plan").first).to_be_visible()
                shots(facilitator, "facilitator-phone")

        written = day.write_the_puzzle(console, phones, scripted, board, quarters, on_board)
        laps(f"25 sub-mesas wrote {sum(written.values())} pieces (Momento 4), time-up, +5 min")
        stored = morning.read(lambda: morning.piece_counts(assembly_id))
        assert stored == written
        assert set(board.saved.values()) == {1}  # every piece reached the wall exactly once
        spokes = morning.read(lambda: morning.spokespeople(assembly_id))
        assert spokes == {s.table_id: s.people[0] for s in seats}
        console.until(lambda slot: slot.moment_kind == "plenaria")
        laps("Vocería, Receso, Momento 5 running")
    finally:
        board.close()
        for table in scripted:
            table.close()
    for phone in phones:
        phone.page.context.close()
    facilitator.context.close()

    # Momento 5: the plenary on the projector, the moderator's console and the room's phones
    pieces = sum(written.values())
    projector.reload()  # the plenary starts from the board's snapshot
    plenary.board_shows(projector, pieces)
    plenary_page = open_page(LAPTOP)
    log_in(plenary_page, moderator)
    plenary_page.goto(f"/assemblies/{assembly_id}/plenaria")
    plenary.set_rules(plenary_page)
    voters = on_time[: len(plenary.PHONE_VOTES[1])]
    vote_phones = []
    for ticket in voters[:3]:
        phone = open_page(PHONE)
        phone.goto(f"/t/{ticket}/votar")
        vote_phones.append(phone)
    decided = plenary.run_the_plenary(
        plenary_page,
        projector,
        vote_phones,
        day_server.url,
        voters,
        checked_in,
        lambda: morning.read(lambda: morning.open_vote_choices(assembly_id)),
        shots,
    )
    laps("five mesas revealed and approved: three by hands, two by 100 phones each")

    survey_page = open_page(LAPTOP)
    log_in(survey_page, moderator)
    plenary.open_the_survey(survey_page, assembly_id)
    answering = on_time[100:160]
    rehearsal.in_parallel(
        [
            lambda part=part: [plenary.answer_over_http(day_server.url, t, n) for n, t in part]
            for part in (list(enumerate(answering))[k::4] for k in range(4))
        ],
        main=lambda: plenary.answer_on_the_phone(vote_phones[0], voters[0]),
    )
    assert morning.read(lambda: surveys.answer_count(assembly_id)) == len(answering) + 1
    laps("survey answered by 61 people")

    plenary.close_with_the_acta(plenary_page, assembly_id)
    acta = plenary_page.locator("article.acta")
    totals = acta.locator("table.totals").first
    expect(totals.get_by_role("row", name="Personas inscritas")).to_contain_text(
        str(PRE_REGISTERED + WALK_INS)
    )
    expect(totals.get_by_role("row", name="Personas registradas el día")).to_contain_text(
        str(checked_in)
    )
    votes = acta.locator("table.acta-votes tbody tr:not(.acta-rule)")
    expect(votes).to_have_count(5)
    for position, tally in decided.items():
        row = votes.nth(position)
        for choice in ("for", "against", "abstain"):
            expect(row).to_contain_text(str(tally.get(choice, 0)))
        expect(row).to_contain_text("Aprobada")
    status = morning.read(lambda: _db.session.get(Assembly, assembly_id).status)
    assert status == "closed"
    shots(plenary_page, "acta-laptop")
    laps("assembly closed, acta stored")

    # after the day: the supervisor downloads every report; each figure is what the test did
    supervisor = make_user("supervisor", display_name="Supervisión del ensayo")
    _db.session.rollback()
    reports_page = open_page(LAPTOP, accept_downloads=True)
    log_in(reports_page, supervisor)
    books = reports.download_every_report(reports_page, assembly_id)
    shots(reports_page, "reports-laptop")
    laps(f"{len(books)} reports downloaded")
    registered = PRE_REGISTERED + WALK_INS
    seen = reports.attendance(books["asistencia"])
    assert (seen["rows"], seen["attended"]) == (registered, checked_in)
    queued = [len(q) for q in queues]
    assert seen["desks"] == {
        DESKS[0]: len(by_page) + len(by_name),
        DESKS[1]: queued[0] + 5 + 9,  # its queue, five walk-ins, nine late arrivals
        DESKS[2]: queued[1] + 5 + (LATE - len(by_name) - 9),
        DESKS[3]: queued[2] + 5 + 5,
    }
    counted = reports.participation(books["participacion"])
    assert counted["total"] == (registered, checked_in)
    arrived = listed[: ON_TIME + LATE]  # the tickets' order: on time, then late
    sexes, sexes_in = rehearsal.sex_counts(listed), rehearsal.sex_counts(arrived)
    assert counted["sex"]["Mujer"] == (sexes["mujer"] + WALK_INS, sexes_in["mujer"] + WALK_INS)
    assert counted["sex"]["Hombre"] == (sexes["hombre"], sexes_in["hombre"])
    seated = reports.rosters(books["mesas"])
    assert (seated["people"], seated["tables"]) == (checked_in, 25)
    assert seated["attended"] == {"Sí": checked_in}
    consolidated = reports.agenda(books["agenda"])
    plans = written["plan"]
    assert consolidated["plans"] == plans
    assert consolidated["decisions"] == {"Aprobada": plans}
    assert consolidated["methods"] == {
        n + 1: "A mano alzada" if n in plenary.HANDS else "Votación por teléfono" for n in range(5)
    }
    assert len(reports.table(books["compromisos"].worksheets[0])) == plans
    followed = reports.table(books["seguimiento"].worksheets[0])
    assert [row["Avance (%)"] for row in followed] == [0] * plans  # nothing done yet
    assert reports.survey_answers(books["satisfaccion"]) == len(answering) + 1
    assert len(books["completo"].sheetnames) == 7
    laps("every report's figures match the day")
