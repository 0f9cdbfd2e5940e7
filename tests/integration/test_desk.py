"""The registration desk: check-in by ticket and by search, undo, search, counters, races."""

import re
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from assembly.desk import services as checkin
from assembly.extensions import db as _db
from assembly.registration.models import Attendee

NOW = datetime(2026, 3, 14, 12, 40)  # naive UTC = 07:40 in Bogotá


@pytest.fixture(autouse=True)
def immediate_counters(app, monkeypatch):
    """One broadcast per check-in, sent before the response: no stray pushes between tests."""
    monkeypatch.setitem(app.config, "DESK_COUNTERS_DELAY_MS", 0)


def _post(client, assembly_id, path, body):
    return client.post(
        f"/assemblies/{assembly_id}/desk/{path}", json=body, headers={"Accept": "application/json"}
    )


def _scan(client, assembly, ticket, desk="Mesa 1"):
    response = _post(client, assembly.id, "checkin", {"ticket": ticket, "desk": desk})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _reload(attendee_id):
    _db.session.expire_all()
    return _db.session.get(Attendee, attendee_id)


# ---------------------------------------------------------------- check-in over HTTP


def test_scan_checks_in_then_reports_already_with_time_and_desk(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly, first_names="Ana María", organization_name="Coop Llano")

    first = _scan(client, assembly, person.ticket_token, desk="Mesa 2")
    assert first["result"] == "ok"
    assert first["person"]["name"] == "Ana María De Prueba"
    assert first["person"]["organization"] == "Coop Llano"
    assert first["person"]["badge_url"] == f"/assemblies/{assembly.id}/badges?ids={person.id}"
    stored = _reload(person.id)
    assert stored.checked_in_desk == "Mesa 2"
    checked_at = stored.checked_in_at
    assert checked_at is not None

    second = _scan(client, assembly, person.ticket_token, desk="Mesa 3")
    assert second["result"] == "already"
    local = (checked_at - timedelta(hours=5)).strftime("%H:%M")  # Bogotá is UTC-5
    assert second["person"]["checked_in_time"] == local
    assert second["person"]["checked_in_desk"] == "Mesa 2"
    assert second["message"] == f"Ya registró su llegada a las {local} en Mesa 2."
    again = _reload(person.id)
    assert (again.checked_in_at, again.checked_in_desk) == (checked_at, "Mesa 2")


@pytest.mark.parametrize(
    "template",
    [
        "http://192.168.1.10:5000/t/{token}",
        "https://asamblea.example.org/t/{token}\n",
        "  /t/{token}  ",
        "http://localhost/t/{token}.png",
        "http://localhost/t/{token}?x=1",
    ],
)
def test_the_full_ticket_url_a_scanner_types_is_accepted(
    template, client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    answer = _scan(client, assembly, template.format(token=person.ticket_token))
    assert answer["result"] == "ok"
    assert _reload(person.id).checked_in_at is not None


@pytest.mark.parametrize("ticket", ["", "nonsense", "http://x/t/" + "A" * 43, "A" * 43])
def test_unknown_tickets_are_red_and_change_nothing(
    ticket, client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    answer = _scan(client, assembly, ticket)
    assert answer["result"] == "unknown"
    assert answer["person"] is None
    assert "desconocido" in answer["message"]
    assert _reload(person.id).checked_in_at is None


def test_another_assemblys_ticket_is_red_and_not_checked_in(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    here, elsewhere = make_assembly(), make_assembly()
    stranger = make_attendee(elsewhere)
    answer = _scan(client, here, f"http://h/t/{stranger.ticket_token}")
    assert answer == {
        "ok": True,
        "result": "unknown",
        "message": "Este tiquete es de otra asamblea.",
        "returned": False,
        "person": None,
    }
    assert _reload(stranger.id).checked_in_at is None


def test_a_desk_name_is_required(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    response = _post(client, assembly.id, "checkin", {"ticket": person.ticket_token, "desk": " "})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"desk": "Falta el nombre de la mesa de registro."}
    assert _reload(person.id).checked_in_at is None


def test_check_in_by_id_from_the_search_results(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly, other = make_assembly(), make_assembly()
    person = make_attendee(assembly)
    answer = _post(client, assembly.id, "checkin", {"attendee_id": person.id, "desk": "Mesa 1"})
    assert answer.get_json()["result"] == "ok"
    again = _post(client, assembly.id, "checkin", {"attendee_id": person.id, "desk": "Mesa 4"})
    assert again.get_json()["result"] == "already"
    # someone of another assembly cannot be checked in here by id
    stranger = make_attendee(other)
    refused = _post(client, assembly.id, "checkin", {"attendee_id": stranger.id, "desk": "Mesa 1"})
    assert refused.status_code == 404
    assert refused.get_json()["error"] == "Esa persona no está inscrita en esta asamblea."
    assert _reload(stranger.id).checked_in_at is None


def test_the_check_in_reports_the_seat_the_grouping_gives(
    client, auth, make_assembly, make_attendee, monkeypatch
):
    from assembly.grouping import services as grouping
    from assembly.grouping.models import Table

    auth.login("organizer")
    assembly = make_assembly()
    group = assembly_group(assembly, 3)
    table = Table(group_id=group.id, number=2, capacity=20, join_code="DESK22")
    _db.session.add(table)
    _db.session.commit()
    person = make_attendee(assembly)
    seated = []

    def fake_seat(attendee):
        seated.append((attendee.id, attendee.checked_in_at is not None))
        attendee.table_id, attendee.group_id = table.id, group.id
        return table

    monkeypatch.setattr(grouping, "seat_late_arrival", fake_seat, raising=False)
    answer = _scan(client, assembly, person.ticket_token)
    assert seated == [(person.id, True)]
    assert (answer["person"]["mesa"], answer["person"]["table"]) == (3, 2)
    assert answer["person"]["theme"] == group.theme.title
    assert _reload(person.id).table_id == table.id  # same transaction, committed with it
    # "already" shows the seat too, and does not seat again
    assert _scan(client, assembly, person.ticket_token)["person"]["table"] == 2
    assert len(seated) == 1


def assembly_group(assembly, number):
    from assembly.grouping.models import Group

    return _db.session.query(Group).filter_by(assembly_id=assembly.id, number=number).one()


# ---------------------------------------------------------------- undo


def test_undo_takes_back_a_check_in_once(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    _scan(client, assembly, person.ticket_token)
    response = _post(client, assembly.id, "undo", {"attendee_id": person.id})
    assert response.status_code == 200
    assert response.get_json()["message"] == f"Se deshizo la llegada de {person.full_name}."
    assert _reload(person.id).checked_in_at is None
    assert _reload(person.id).checked_in_desk is None

    twice = _post(client, assembly.id, "undo", {"attendee_id": person.id})
    assert twice.status_code == 409
    assert "no tiene una llegada registrada" in twice.get_json()["error"]
    # after the undo the person can be checked in again
    assert _scan(client, assembly, person.ticket_token)["result"] == "ok"


def test_a_refusal_loads_the_user_once(client, auth, make_assembly, make_attendee):
    """A refused write rolls back; its JSON answer does not ask who is logged in again (the
    rollback expired the user: asking would load it a second time, on every refusal)."""
    from sqlalchemy import event

    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    loads = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM users" in statement:
            loads.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        refused = _post(client, assembly.id, "undo", {"attendee_id": person.id})
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    assert refused.status_code == 409
    assert refused.headers["Cache-Control"] == "no-store"
    assert len(loads) == 1, loads


def test_a_desk_write_reads_the_account_and_its_grants_in_one_statement(
    client, auth, make_user, make_assembly, make_attendee
):
    """The user loader runs on every staff request: the account and the grants its scope is
    checked against come in one statement, not one each (the relationship's own selectin),
    and that statement is built once."""
    from tests.support.statements import executed

    assembly, other = make_assembly(), make_assembly()
    auth.login(make_user("organizer", assembly_ids=[assembly.id]))
    tickets = [make_attendee(assembly).ticket_token for _ in range(2)]
    reads = []
    for ticket in tickets:
        _db.session.expunge_all()  # the request loads the account as a new request does
        with executed(_db.engine) as statements:
            checked = _post(client, assembly.id, "checkin", {"ticket": ticket, "desk": "M"})
        assert checked.status_code == 200 and checked.get_json()["result"] == "ok"
        reads.append(
            [s for s in statements if re.search(r"FROM (users|assembly_grants)\b", str(s))]
        )
    assert [len(r) for r in reads] == [1, 1], reads
    assert reads[1][0] is reads[0][0]
    # the grants read that way still scope the account
    stranger = make_attendee(other)
    refused = _post(client, other.id, "checkin", {"ticket": stranger.ticket_token, "desk": "M"})
    assert refused.status_code == 403


def test_the_desk_builds_its_statements_once(client, auth, make_assembly, make_attendee):
    """A check-in and an undo run the statements built once with bound values (building one
    again and computing its cache key cost as much as running it), not new ones each time."""
    from tests.support.statements import executed, rebuilt

    auth.login("organizer")
    assembly = make_assembly()
    people = [make_attendee(assembly), make_attendee(assembly)]
    runs = []
    for person in people:
        with executed(_db.engine) as statements:
            assert _scan(client, assembly, person.ticket_token)["result"] == "ok"
            undone = _post(client, assembly.id, "undo", {"attendee_id": person.id})
            assert undone.status_code == 200
        runs.append(statements)
    # the person's read by ticket, every conditional UPDATE, the revision's bump and the audit
    # line (not the counters' broadcast, sent at once in the tests, nor the primary-key reads
    # through the session)
    desk = ("UPDATE attendees", "attendees.ticket_token =")
    assert (
        rebuilt(*runs, mentioning=(*desk, "UPDATE assemblies", "INSERT INTO audit_entries")) == []
    )
    assert [_reload(p.id).checked_in_at for p in people] == [None, None]


def test_undo_of_another_assemblys_attendee_is_refused(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly, other = make_assembly(), make_assembly()
    stranger = make_attendee(other, checked_in_at=NOW, checked_in_desk="Mesa 9")
    response = _post(client, assembly.id, "undo", {"attendee_id": stranger.id})
    assert response.status_code == 404
    assert _reload(stranger.id).checked_in_desk == "Mesa 9"
    bad = _post(client, assembly.id, "undo", {"attendee_id": "x"})
    assert bad.status_code == 422


# ---------------------------------------------------------------- search


def _search(client, assembly, q):
    response = client.get(f"/assemblies/{assembly.id}/desk/search", query_string={"q": q})
    assert response.status_code == 200
    return [r["name"] for r in response.get_json()["results"]]


def _person(make_attendee, assembly, first, last, **kwargs):
    from assembly.registration.domain import normalize_name

    return make_attendee(
        assembly,
        first_names=first,
        last_names=last,
        name_key=normalize_name(f"{first} {last}"),
        **kwargs,
    )


def test_search_ignores_accents_and_case_and_needs_every_word(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly, other = make_assembly(), make_assembly()
    _person(make_attendee, assembly, "José Ángel", "Muñoz Peña")
    _person(make_attendee, assembly, "María José", "Gómez")
    _person(make_attendee, assembly, "Mariana", "Rojas")
    _person(make_attendee, other, "José", "Muñoz")  # another assembly: never listed

    assert _search(client, assembly, "jose") == ["José Ángel Muñoz Peña", "María José Gómez"]
    assert _search(client, assembly, "MUNOZ ángel") == ["José Ángel Muñoz Peña"]
    assert _search(client, assembly, "jose rojas") == []  # every word must match
    assert _search(client, assembly, "ana") == []  # word starts only: not "Mariana"
    assert _search(client, assembly, "mari") == ["María José Gómez", "Mariana Rojas"]
    assert _search(client, assembly, "") == []
    assert _search(client, assembly, "%") == []


def test_search_by_document_prefix_with_dots(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    _person(make_attendee, assembly, "Luz", "Mora", document_number="1122334455")
    _person(make_attendee, assembly, "Paz", "Vega", document_number="1122990000")
    _person(make_attendee, assembly, "Sol", "Rey", document_number="99887766")
    assert _search(client, assembly, "1.122.3") == ["Luz Mora"]
    assert _search(client, assembly, "1122") == ["Luz Mora", "Paz Vega"]
    assert _search(client, assembly, "12") == []  # too short to mean a document


def test_search_shows_documents_only_to_who_may_see_them(app, make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(assembly, document_number="52123456")
    with app.test_request_context():
        from assembly.desk import payloads

        assert payloads.person(assembly, person, show_documents=True)["document"] == "52123456"
        assert payloads.person(assembly, person, show_documents=False)["document"] == "•••456"


def test_search_results_say_who_already_arrived(client, auth, make_assembly, make_attendee):
    auth.login("admin")
    assembly = make_assembly()
    _person(make_attendee, assembly, "Rosa", "Díaz", checked_in_at=NOW, checked_in_desk="Mesa 3")
    result = client.get(f"/assemblies/{assembly.id}/desk/search?q=rosa").get_json()["results"][0]
    assert result["checked_in"] is True
    assert (result["checked_in_time"], result["checked_in_desk"]) == ("07:40", "Mesa 3")


# ---------------------------------------------------------------- counters


def test_counters_per_mesa_desk_and_five_minutes(app, make_assembly, make_attendee):
    assembly = make_assembly()
    group1, group2 = assembly_group(assembly, 1), assembly_group(assembly, 2)
    make_attendee(assembly, checked_in_at=NOW - timedelta(minutes=1), checked_in_desk="Mesa 1")
    make_attendee(
        assembly,
        checked_in_at=NOW - timedelta(minutes=2),
        checked_in_desk="Mesa 2",
        group_id=group1.id,
    )
    make_attendee(
        assembly,
        checked_in_at=NOW - timedelta(minutes=7),
        checked_in_desk="Mesa 2",
        group_id=group2.id,
    )
    make_attendee(assembly, checked_in_at=NOW - timedelta(hours=3), checked_in_desk="Mesa 1")
    make_attendee(assembly)  # registered, not here yet
    make_attendee(make_assembly(), checked_in_at=NOW, checked_in_desk="Mesa 1")  # elsewhere

    state = checkin.counters(assembly, NOW)
    assert (state["registered"], state["checked_in"], state["unassigned"]) == (5, 4, 2)
    assert [(m["number"], m["checked_in"]) for m in state["per_mesa"]] == [
        (1, 1),
        (2, 1),
        (3, 0),
        (4, 0),
        (5, 0),
    ]
    assert state["per_desk"] == [
        {"desk": "Mesa 1", "checked_in": 2},
        {"desk": "Mesa 2", "checked_in": 2},
    ]
    arrivals = state["arrivals"]
    assert len(arrivals) == 24
    assert arrivals[-1] == {"start": "07:40", "count": 0}  # the bucket holding "now"
    assert arrivals[-2] == {"start": "07:35", "count": 2}  # 07:38 and 07:39
    assert arrivals[-3] == {"start": "07:30", "count": 1}  # 07:33
    assert arrivals[0]["start"] == "05:45"
    assert sum(b["count"] for b in arrivals) == 3  # the one 3 hours ago is out of the window


def test_the_counters_are_read_by_statements_built_once(make_assembly, make_attendee):
    """Every desk reads the counters after each burst of check-ins: the arrivals' 24 range
    counts and the two aggregates are built once with bound values, not on every read."""
    from tests.support.statements import executed, rebuilt

    assembly = make_assembly()
    make_attendee(assembly, checked_in_at=NOW - timedelta(minutes=2), checked_in_desk="Mesa 1")
    runs, states = [], []
    for now in (NOW, NOW + timedelta(minutes=10)):
        with executed(_db.engine) as statements:
            states.append(checkin.counters(assembly, now))
        runs.append(statements)
    assert rebuilt(*runs, mentioning=("FROM attendees", "FROM groups")) == []
    # bound, not frozen: each read counts its own two hours
    first, later = states[0]["arrivals"], states[1]["arrivals"]
    assert (first[-1]["start"], first[-2]) == ("07:40", {"start": "07:35", "count": 1})
    assert (later[-1]["start"], later[-4]) == ("07:50", {"start": "07:35", "count": 1})
    assert sum(b["count"] for b in first) == sum(b["count"] for b in later) == 1


def test_check_in_and_undo_push_counters_to_every_desk(
    client, auth, socket_client, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly, other = make_assembly(), make_assembly()
    person = make_attendee(assembly)
    make_attendee(assembly)
    stranger = make_attendee(other)
    desk = socket_client()
    ack = desk.emit("join_desk", {"assembly_id": assembly.id}, callback=True)
    assert ack["ok"] is True
    assert (ack["state"]["registered"], ack["state"]["checked_in"]) == (2, 0)
    desk.get_received()

    _scan(client, other, stranger.ticket_token)  # another assembly's desk: not our room
    assert desk.get_received() == []

    _scan(client, assembly, person.ticket_token, desk="Mesa 7")
    events = desk.get_received()
    assert [e["name"] for e in events] == ["desk_counters"]
    state = events[0]["args"][0]
    assert (state["assembly_id"], state["checked_in"]) == (assembly.id, 1)
    assert state["per_desk"] == [{"desk": "Mesa 7", "checked_in": 1}]
    assert state["arrivals"][-1]["count"] == 1

    _scan(client, assembly, person.ticket_token)  # "already" changes nothing: no push
    assert desk.get_received() == []

    _post(client, assembly.id, "undo", {"attendee_id": person.id})
    events = desk.get_received()
    assert [(e["name"], e["args"][0]["checked_in"]) for e in events] == [("desk_counters", 0)]


def test_a_burst_of_check_ins_shares_one_broadcast_with_the_last_count(
    app, client, auth, socket_client, make_assembly, make_attendee, monkeypatch
):
    from assembly.extensions import socketio

    monkeypatch.setitem(app.config, "DESK_COUNTERS_DELAY_MS", 150)
    # Wait on the broadcasts themselves (each runs as a background task), never on the clock;
    # and the broadcast's delay ends when the test says so, not after 150 ms of a loaded machine
    # (three check-ins on PostgreSQL took longer than that once).
    tasks = []
    start = socketio.start_background_task
    monkeypatch.setattr(
        socketio, "start_background_task", lambda *a, **kw: tasks.append(start(*a, **kw))
    )
    delay_over = threading.Event()
    sleep = socketio.sleep
    monkeypatch.setattr(
        socketio, "sleep", lambda s=0: delay_over.wait(10) if s == 0.15 else sleep(s)
    )

    def finished():
        delay_over.set()
        for task in tasks:
            task.join(10)
            assert not task.is_alive()
        return desk.get_received()

    auth.login("organizer")
    assembly = make_assembly()
    people = [make_attendee(assembly) for _ in range(3)]
    desk = socket_client()
    desk.emit("join_desk", {"assembly_id": assembly.id}, callback=True)
    desk.get_received()
    for person in people:
        assert _scan(client, assembly, person.ticket_token)["result"] == "ok"
    assert len(tasks) == 1  # three check-ins, one broadcast on its way: nothing else follows
    events = finished()
    assert [(e["name"], e["args"][0]["checked_in"]) for e in events] == [("desk_counters", 3)]
    # the next check-in after the burst gets its own broadcast
    _post(client, assembly.id, "undo", {"attendee_id": people[0].id})
    assert len(tasks) == 2
    events = finished()
    assert [(e["name"], e["args"][0]["checked_in"]) for e in events] == [("desk_counters", 2)]


@pytest.mark.parametrize("role", ["facilitator", "moderator", "supervisor"])
def test_only_desk_staff_may_join_the_desk_room(role, auth, socket_client, make_assembly):
    auth.login(role)
    assembly = make_assembly()
    sio = socket_client()
    ack = sio.emit("join_desk", {"assembly_id": assembly.id}, callback=True)
    assert ack == {
        "ok": False,
        "error": "Su cuenta no puede atender la mesa de registro.",
        "code": "forbidden",
        "retry": False,
        "fields": {},
    }


def test_join_desk_with_a_bad_assembly_is_a_clear_answer(auth, socket_client):
    auth.login("organizer")
    sio = socket_client()
    assert sio.emit("join_desk", {"assembly_id": 999}, callback=True)["error"] == (
        "La asamblea no existe."
    )
    assert sio.emit("join_desk", "x", callback=True)["ok"] is False


def test_counters_endpoint(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    make_attendee(assembly)
    body = client.get(f"/assemblies/{assembly.id}/desk/counters").get_json()
    assert (body["state"]["registered"], body["state"]["checked_in"]) == (1, 0)


# ---------------------------------------------------------------- the screen


def test_desk_screen_has_everything_the_js_needs(client, auth, make_assembly):
    auth.login("organizer")
    assembly = make_assembly()
    html = client.get(f"/assemblies/{assembly.id}/desk?desk=Mesa+1").get_data(as_text=True)
    assert '<meta name="csrf-token"' in html
    assert f'data-walk-in-url="/assemblies/{assembly.id}/attendees/new"' in html
    assert "vendor/jsqr/jsQR.js" in html
    assert 'id="scan-input"' in html
    assert "js/screens/desk.js" in html and "data-ticket-rules" in html


# ---------------------------------------------------------------- the race


def test_two_desks_scanning_the_same_ticket_at_once_record_one_check_in(
    app, make_assembly, make_attendee
):
    """Two threads, each with its own app context and database connection, run the service
    at the same moment; the database lets exactly one UPDATE through."""
    assembly = make_assembly()
    people = [make_attendee(assembly) for _ in range(15)]
    _db.session.remove()  # the threads use their own sessions
    for person in people:
        barrier = threading.Barrier(2)
        outcomes = {}

        def desk(name, token=person.ticket_token, outcomes=outcomes, barrier=barrier):
            with app.app_context():
                barrier.wait()
                try:
                    result = checkin.check_in(None, assembly.id, token, name, NOW)
                    _db.session.commit()
                    outcomes[name] = result.kind
                except Exception as error:  # pragma: no cover - shown in the assertion
                    _db.session.rollback()
                    outcomes[name] = repr(error)
                finally:
                    _db.session.remove()

        threads = [threading.Thread(target=desk, args=(n,)) for n in ("Mesa 1", "Mesa 2")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert sorted(outcomes.values()) == ["already", "ok"], outcomes
        winner = next(name for name, kind in outcomes.items() if kind == "ok")
        assert _reload(person.id).checked_in_desk == winner


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("role", ["admin", "organizer", "facilitator", "moderator", "supervisor"])
def test_desk_endpoints_follow_the_desk_permission(
    role, client, auth, make_assembly, make_attendee
):
    from assembly.auth.domain import Permission, role_can

    auth.login(role)
    assembly = make_assembly()
    person = make_attendee(assembly)
    base = f"/assemblies/{assembly.id}/desk"
    allowed = role_can(role, Permission.DESK)
    for url in (f"{base}?desk=Mesa+1", f"{base}/search?q=persona", f"{base}/counters"):
        assert client.get(url).status_code == (200 if allowed else 403), (role, url)
    scan = _post(client, assembly.id, "checkin", {"ticket": person.ticket_token, "desk": "M"})
    assert scan.status_code == (200 if allowed else 403)
    assert (_reload(person.id).checked_in_at is not None) == allowed
    undo = _post(client, assembly.id, "undo", {"attendee_id": person.id})
    assert undo.status_code == (200 if allowed else 403)
    assert _reload(person.id).checked_in_at is None


def test_anonymous_visitors_cannot_use_the_desk(client, make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(assembly)
    response = _post(client, assembly.id, "checkin", {"ticket": person.ticket_token, "desk": "M"})
    assert response.status_code in (302, 401)
    assert _reload(person.id).checked_in_at is None


def test_search_pages_every_match_and_narrows_by_organisation_or_municipality(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    for n in range(25):
        _person(
            make_attendee,
            assembly,
            "Luz Dary",
            f"Gómez{n:02d}",
            municipality_code="81794" if n in (3, 11) else "81001",
            organization_name="Asomujeres Tame" if n == 11 else "Cooperativa Uno",
        )
    base = f"/assemblies/{assembly.id}/desk/search"
    first = client.get(base, query_string={"q": "luz dary"}).get_json()
    assert (len(first["results"]), first["total"], first["next_offset"]) == (20, 25, 20)
    rest = client.get(base, query_string={"q": "luz dary", "offset": 20}).get_json()
    assert [r["name"] for r in rest["results"]][-1] == "Luz Dary Gómez24"
    assert rest["next_offset"] is None
    names = {r["name"] for r in first["results"] + rest["results"]}
    assert len(names) == 25  # every one of them can be found
    by_town = client.get(base, query_string={"q": "luz dary", "narrow": "tame"}).get_json()
    assert sorted(r["name"] for r in by_town["results"]) == ["Luz Dary Gómez03", "Luz Dary Gómez11"]
    assert by_town["total"] == 2 and by_town["results"][0]["place"] == "Tame"
    by_org = client.get(base, query_string={"q": "luz", "narrow": "asomujeres"}).get_json()
    assert [r["name"] for r in by_org["results"]] == ["Luz Dary Gómez11"]
    nobody = client.get(base, query_string={"q": "luz", "narrow": "saravena"}).get_json()
    assert (nobody["results"], nobody["total"]) == ([], 0)


def test_recent_check_ins_of_this_desk_newest_first(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    people = [_person(make_attendee, assembly, f"Persona{n}", "Reciente") for n in range(4)]
    for person, desk in zip(people, ["Mesa 1", "Mesa 2", "Mesa 1", "Mesa 1"], strict=True):
        response = _post(client, assembly.id, "checkin", {"attendee_id": person.id, "desk": desk})
        assert response.status_code == 200
    url = f"/assemblies/{assembly.id}/desk/recent"
    mine = client.get(url, query_string={"desk": "Mesa 1"}).get_json()["results"]
    assert [r["name"] for r in mine] == [
        "Persona3 Reciente",
        "Persona2 Reciente",
        "Persona0 Reciente",
    ]
    _post(client, assembly.id, "undo", {"attendee_id": people[2].id})
    mine = client.get(url, query_string={"desk": "Mesa 1"}).get_json()["results"]
    assert [r["name"] for r in mine] == ["Persona3 Reciente", "Persona0 Reciente"]
    auth.logout()
    assert client.get(url, query_string={"desk": "Mesa 1"}).status_code in (302, 401, 403)


def test_an_incomplete_imported_person_is_flagged_with_the_form_to_complete(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    imported = make_attendee(
        assembly, sex=None, ethnicity=None, municipality_code=None, source="importado"
    )
    complete = make_attendee(assembly, age_range="29-40")
    first = _post(client, assembly.id, "checkin", {"attendee_id": imported.id, "desk": "Mesa 1"})
    person = first.get_json()["person"]
    assert person["incomplete"] is True
    assert person["complete_url"] == (
        f"/assemblies/{assembly.id}/attendees/{imported.id}/edit?return=desk"
    )
    assert client.get(person["complete_url"] + "&desk=Mesa+1").status_code == 200
    second = _post(client, assembly.id, "checkin", {"attendee_id": complete.id, "desk": "Mesa 1"})
    assert second.get_json()["person"]["incomplete"] is False


def test_a_document_search_is_a_range_on_the_document_index(db, make_assembly, make_attendee):
    """Digits only: a document search through the (assembly, document) unique index (a range
    the index answers), not a scan of every name; the matches are exactly the prefix's."""
    from sqlalchemy import event

    assembly = make_assembly()
    for number in ("1019000", "1019001", "1019999", "1020000", "10190"):
        make_attendee(assembly, document_number=number)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = checkin.search_page(assembly.id, "1.019", limit=50)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sorted(a.document_number for a in page.people) == [
        "10190", "1019000", "1019001", "1019999"
    ]  # fmt: skip
    assert page.total == 4
    search = next(s for s in statements if "document_number" in s and "LIMIT" in s)
    assert "attendees.document_number >=" in search
    assert "attendees.document_number <" in search
    assert "name_key LIKE" not in search  # no name holds digits: no scan of the names
    if db.engine.dialect.name == "sqlite":  # and SQLite answers that shape from the index
        literal = (
            "SELECT id FROM attendees WHERE assembly_id = 1 AND document_number >= '1019' "
            "AND document_number < '1020' AND document_number LIKE '1019%'"
        )
        plan = db.session.execute(text("EXPLAIN QUERY PLAN " + literal)).all()
        details = " ".join(str(row[-1]) for row in plan)
        assert "INDEX" in details and "document_number>" in details, details


def test_a_name_search_goes_through_the_name_index(db, make_assembly, make_attendee):
    """Words: the name index (FTS5 on SQLite, GIN on to_tsvector on PostgreSQL) gives the
    candidates, not a scan of every name of the assembly; the matches stay exactly the
    word starts (accents and case ignored), and a renamed or erased person is found by the
    new name only (the index follows every write)."""
    from sqlalchemy import event, insert

    from assembly.desk import search
    from assembly.registration import privacy

    assembly, other = make_assembly(), make_assembly()
    _person(make_attendee, assembly, "José Ángel", "Muñoz Peña")
    _person(make_attendee, assembly, "María José", "Gómez")
    mariana = _person(make_attendee, assembly, "Mariana", "Rojas")
    _person(make_attendee, other, "José", "Muñoz")
    filler = [
        {
            "assembly_id": assembly.id,
            "ticket_token": f"relleno-{assembly.id}-{n:05d}-xxxxxxxx",
            "document_type": "CC",
            "document_number": str(90_000_000 + n),
            "first_names": f"Relleno{n}",
            "last_names": "Persona",
            "name_key": f"relleno{n} persona",
            "consent_data": True,
        }
        for n in range(3000)
    ]
    db.session.execute(insert(Attendee), filler)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE attendees"))  # a room this size, as the planner sees it

    def names(text):
        return [a.full_name for a in search.search_page(assembly.id, text, limit=50).people]

    assert names("JOSE") == ["José Ángel Muñoz Peña", "María José Gómez"]
    assert names("munoz ANG") == ["José Ángel Muñoz Peña"]
    assert names("ana") == [] and names("mari") == ["María José Gómez", "Mariana Rojas"]
    mariana.first_names, mariana.name_key = "Ximena", "ximena rojas"
    db.session.commit()
    assert names("mari") == ["María José Gómez"] and names("xime") == ["Ximena Rojas"]
    privacy.erase("prueba", mariana, reason="prueba")
    db.session.commit()
    assert names("xime") == [] and names("rojas") == []

    statements = []

    def record(_conn, _cursor, statement, parameters, *_args):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        search.search_page(assembly.id, "jose munoz", limit=50)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    statement, parameters = next((s, p) for s, p in statements if "LIMIT" in s)
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    plan = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()
    details = " ".join(str(row[-1]) for row in plan)
    if db.engine.dialect.name == "sqlite":
        assert "VIRTUAL TABLE INDEX" in details and "attendee_names" in details, details
        # the attendees are read by id, from the index's answer (not in name order)
        assert "attendees USING INTEGER PRIMARY KEY" in details, details
    else:
        assert "ix_attendees_name_words" in details, details
