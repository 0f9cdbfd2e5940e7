"""The audit log of staff actions on personal data (issue 17.7): changes and bulk reads are
recorded (not each desk search), written in one insert per transaction, and admins view it
(filtered, paginated) and export it."""

import pytest
from sqlalchemy import event, select

from assembly.auth import audit
from assembly.auth.models import AuditEntry
from assembly.core import coalesce
from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from tests.integration.test_registration import good_form


def _lines(db):
    db.session.expire_all()
    return [
        (e.action, e.subject)
        for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def test_desk_changes_and_bulk_reads_are_recorded_not_each_search(
    make_assembly, make_attendee, auth, client, db
):
    assembly = make_assembly()
    user = auth.login("admin")
    base = f"/assemblies/{assembly.id}/attendees"
    assert client.post(f"{base}/new", data=good_form()).status_code == 302
    person = db.session.scalars(select(AuditEntry)).one()
    assert (person.action, person.username, person.assembly_id) == (
        "attendee.create",
        user.username,
        assembly.id,
    )
    attendee_id = int(person.subject.split(":")[1])
    # refused (a bad form): nothing happened, nothing recorded
    assert client.post(f"{base}/new", data=good_form(first_names="J4n")).status_code == 422
    assert len(_lines(db)) == 1
    client.get(f"{base}?q=Mar&partial=1")  # a search as you type: not logged
    assert len(_lines(db)) == 1
    client.get(base)
    client.get(f"{base}/{attendee_id}/edit")
    form = good_form(phone="310 555 6677")
    assert client.post(f"{base}/{attendee_id}/edit", data=form).status_code == 302
    client.get(f"/assemblies/{assembly.id}/badges?all=1")
    erase = client.post(f"{base}/{attendee_id}/erase", data={"confirm": "yes"})
    assert erase.status_code == 302
    subject = f"attendee:{attendee_id}"
    assert _lines(db) == [
        ("attendee.create", subject),
        ("attendees.list", ""),
        ("attendee.view", subject),
        ("attendee.update", subject),
        ("attendees.badges", ""),
        ("attendee.erase", subject),
    ]


def test_a_transactions_lines_are_written_in_one_insert(app, db):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "audit_entries" in statement:
            statements.append(executemany)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        for n in range(3):
            audit.note("mesa1", "attendee.update", subject=f"attendee:{n}")
        db.session.commit()
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert len(_lines(db)) == 3
    audit.note("mesa1", "attendee.update")
    db.session.rollback()  # rolled back: its line goes too
    db.session.commit()
    assert len(_lines(db)) == 3


def test_admins_view_the_log_filtered_and_paginated_and_export_it(auth, client, db):
    for n in range(audit.PER_PAGE + 5):
        audit.note("mesa1" if n % 2 else "mesa2", "attendee.view", subject=f"attendee:{n}")
    audit.note("mesa2", "attendees.list", subject="=cmd|' /C calc'!A0")
    db.session.commit()
    auth.login("organizer")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "56 registros" in page and "Página 1 de 2" in page
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 6 + 1  # 6 rows and the header
    only = client.get("/admin/audit?action=attendees.list").get_data(as_text=True)
    assert "1 registros" in only
    mine = client.get("/admin/audit?username=mesa1&page=99").get_data(as_text=True)
    assert "27 registros" in mine and mine.count("<tr>") == 27 + 1
    assert client.get("/admin/audit?page=abc&assembly=x").status_code == 200
    csv = client.get("/admin/audit.csv?username=mesa2")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "at,username,action,assembly_id,subject,people"
    assert len(lines) == 1 + 29
    assert "'=cmd" in lines[1]  # a formula is never run by the spreadsheet


def test_desk_check_ins_undo_and_check_out_are_recorded(
    make_assembly, make_attendee, auth, client, db
):
    assembly = make_assembly()
    person = make_attendee(assembly)
    auth.login("organizer")
    base = f"/assemblies/{assembly.id}/desk"
    for path, body in (
        ("checkin", {"ticket": person.ticket_token, "desk": "Mesa 1"}),
        ("checkin", {"ticket": person.ticket_token, "desk": "Mesa 1"}),  # again: amber, no change
        ("undo", {"attendee_id": person.id}),
        ("checkin", {"attendee_id": person.id, "desk": "Mesa 1"}),
        ("checkout", {"attendee_id": person.id}),
    ):
        assert client.post(f"{base}/{path}", json=body).status_code == 200, path
    subject = f"attendee:{person.id}"
    assert _lines(db) == [
        ("attendee.check_in", subject),
        ("attendee.undo", subject),
        ("attendee.check_in", subject),
        ("attendee.check_out", subject),
    ]


def test_rosters_read_over_sockets_and_printed_are_recorded_like_the_other_bulk_reads(
    make_assembly, make_attendee, make_user, auth, client, socket_client, db
):
    """Issue 17.7: a staff screen that follows a mesa over Socket.IO receives its people
    (names, organisations), and the printable rosters show them: one audit line per read,
    with how many people it showed."""
    from assembly.grouping.models import Group, Table

    assembly = make_assembly()
    group = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).first()
    table = Table(group_id=group.id, number=1, join_code="ROST22", capacity=20)
    db.session.add(table)
    db.session.commit()
    for _ in range(3):
        make_attendee(assembly, group_id=group.id, table_id=table.id)
    facilitator = make_user("facilitator")
    group.facilitator_id = facilitator.id
    db.session.commit()
    group_id, subject = group.id, f"group:{group.id}"

    organizer = auth.login("organizer")
    screen = socket_client()
    ack = screen.emit("follow_group", {"assembly_id": assembly.id, "group_id": group_id},
                      callback=True)  # fmt: skip
    assert ack["ok"], ack
    base = f"/assemblies/{assembly.id}"
    for path in ("groups/roster", f"groups/{group_id}/roster", f"tables/{table.id}/roster"):
        assert client.get(f"{base}/{path}").status_code == 200
    auth.logout()
    auth.login(facilitator)
    own = socket_client()
    assert own.emit("facilitate_group", {"group_id": group_id}, callback=True)["ok"]
    other = own.emit("facilitate_group", {"group_id": group_id + 1}, callback=True)
    assert other["ok"] is False  # refused: nothing was read, nothing recorded
    assert client.get(f"{base}/my-mesa").status_code == 200

    assert _lines(db) == [
        ("group.roster", subject),
        ("groups.roster", ""),
        ("groups.roster", subject),
        ("groups.roster", f"table:{table.id}"),
        ("group.roster", subject),
        ("groups.roster", "my-mesa"),
    ]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    users = [organizer.username] * 4 + [facilitator.username] * 2
    assert [(e.username, e.assembly_id, e.people) for e in entries] == [
        (user, assembly.id, 3) for user in users
    ]


@pytest.fixture
def seated(make_assembly, make_attendee):
    """A table with two seated people, and an empty one."""
    assembly = make_assembly()
    group = _db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    full = Table(group_id=group.id, number=1, join_code="AUDT22", capacity=20)
    empty = Table(group_id=group.id, number=2, join_code="VACA33", capacity=20)
    _db.session.add_all([full, empty])
    _db.session.commit()
    for _ in range(2):
        make_attendee(assembly, group_id=group.id, table_id=full.id)
    return assembly, full, empty


def _table_lines(db):
    db.session.expire_all()
    return [
        (e.username, e.action, e.assembly_id, e.subject, e.people)
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "table.read").order_by(AuditEntry.id)
        )
    ]


def test_a_table_phone_that_sees_its_peoples_names_is_recorded(
    seated, socket_client, client, auth, db
):
    """A table code shows its people's names to whoever holds it, with no account: its page
    and each socket join write one line (who: the code's holder, or the staff account that
    used the code), and a table with nobody seated writes none."""
    assembly, full, _empty = seated
    line = ("table_code", "table.read", assembly.id, f"table:{full.id}", 2)
    phone = socket_client(auth={"table_code": "AUDT22"})
    assert phone.emit("join_table", {}, callback=True)["ok"]
    assert _table_lines(db) == [line]
    assert client.get("/mesa/AUDT22").status_code == 200  # the page carries the names too
    assert _table_lines(db) == [line, line]
    other = socket_client(auth={"table_code": "VACA33"})
    assert other.emit("join_table", {}, callback=True)["ok"]
    assert client.get("/mesa/VACA33").status_code == 200
    assert len(_table_lines(db)) == 2  # nobody's name shown: nothing to record
    user = auth.login("facilitator")
    staff = socket_client()
    assert staff.emit("join_table", {"code": "AUDT22"}, callback=True)["ok"]
    assert _table_lines(db)[-1] == (user.username, *line[1:])


def test_the_phones_lines_are_batched_into_one_insert(seated, socket_client, app, db, monkeypatch):
    """«Batched so the desk's writes stay fast»: joins within AUDIT_BATCH_MS share one
    delayed insert; no join commits a line of its own."""
    assembly, full, _ = seated
    monkeypatch.setitem(app.config, "AUDIT_BATCH_MS", 1000)
    later = []
    monkeypatch.setattr(coalesce.socketio, "start_background_task", lambda fn, *a: later.append(a))
    inserts = []

    def count_inserts(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_ENTRIES"):
            inserts.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count_inserts)
    try:
        for _ in range(3):
            phone = socket_client(auth={"table_code": "AUDT22"})
            assert phone.emit("join_table", {}, callback=True)["ok"]
        assert _table_lines(db) == [] and len(later) == 1  # one insert waits for all three
        monkeypatch.setattr(coalesce.socketio, "sleep", lambda seconds: None)
        coalesce._later(*later.pop())  # the delayed run
    finally:
        event.remove(_db.engine, "before_cursor_execute", count_inserts)
    assert len(inserts) == 1
    assert (
        _table_lines(db) == [("table_code", "table.read", assembly.id, f"table:{full.id}", 2)] * 3
    )


def test_erasures_without_a_staff_click_are_in_the_log_too(
    app, make_assembly, make_attendee, client, db
):
    """The retention rule (one line per assembly) and a person's own withdrawal through the
    ticket's link are in the audit log beside the admins' erasures."""
    old = make_assembly(date="2024-03-01")
    old.status = "closed"
    db.session.commit()
    for _ in range(2):
        make_attendee(old)
    result = app.test_cli_runner().invoke(args=["assembly", "retention", "--days", "365"])
    assert result.exit_code == 0, result.output
    current = make_assembly()
    person = make_attendee(current)
    assert (
        client.post(f"/t/{person.ticket_token}/retirar", data={"confirm": "yes"}).status_code == 200
    )
    db.session.expire_all()
    lines = [
        (e.username, e.action, e.assembly_id, e.subject, e.people)
        for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]
    assert lines == [
        ("retención", "attendees.retention", old.id, "", 2),
        ("titular", "attendee.withdraw", current.id, f"attendee:{person.id}", 1),
    ]
