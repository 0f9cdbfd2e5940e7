"""The desk's offline queue (issue 13.5): each scan carries a UUID and its age; a resend counts
once, a queued scan counts at the time it was made, and the earliest scan wins."""

import uuid
from datetime import timedelta

import pytest

from assembly.extensions import db as _db
from assembly.helpers import utcnow
from assembly.registration.models import Attendee


@pytest.fixture(autouse=True)
def immediate_counters(app, monkeypatch):
    monkeypatch.setitem(app.config, "DESK_COUNTERS_DELAY_MS", 0)


def _post(client, assembly, body, path="checkin"):
    return client.post(
        f"/assemblies/{assembly.id}/desk/{path}", json=body, headers={"Accept": "application/json"}
    )


def _scan(client, assembly, person, desk="Mesa 1", **extra):
    response = _post(client, assembly, {"ticket": person.ticket_token, "desk": desk, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _stored(person):
    _db.session.expire_all()
    return _db.session.get(Attendee, person.id)


def _counted(client, assembly):
    return client.get(f"/assemblies/{assembly.id}/desk/counters").get_json()["state"]["checked_in"]


def test_a_resent_scan_answers_ok_again_and_counts_once(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    scan_id = str(uuid.uuid4())

    first = _scan(client, assembly, person, scan_id=scan_id)
    stored = _stored(person)
    again = _scan(client, assembly, person, desk="Mesa 1", scan_id=scan_id)

    assert (first["result"], again["result"]) == ("ok", "ok")
    assert again["person"]["checked_in_time"] == first["person"]["checked_in_time"]
    assert _stored(person).checked_in_at == stored.checked_in_at
    assert stored.checked_in_scan == scan_id
    assert _counted(client, assembly) == 1
    # another scan of the same ticket (a new UUID) is a duplicate, as ever
    other = _scan(client, assembly, person, desk="Mesa 2", scan_id=str(uuid.uuid4()))
    assert other["result"] == "already"
    assert _stored(person).checked_in_desk == "Mesa 1"


def test_a_queued_scan_counts_at_the_time_it_was_made(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    before = utcnow()

    answer = _scan(client, assembly, person, scan_id=str(uuid.uuid4()), age_ms=10 * 60 * 1000)

    assert answer["result"] == "ok"
    made = _stored(person).checked_in_at
    assert before - timedelta(minutes=10, seconds=5) <= made <= utcnow() - timedelta(minutes=10)


def test_the_earliest_scan_wins_and_a_later_queued_one_is_a_duplicate(
    client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    online = _scan(client, assembly, person, desk="Mesa 2", scan_id=str(uuid.uuid4()))
    assert online["result"] == "ok"

    # Mesa 1 was offline and scanned the same ticket 10 minutes ago: that scan was first.
    earlier = _scan(client, assembly, person, scan_id=str(uuid.uuid4()), age_ms=600_000)
    assert earlier["result"] == "ok"
    stored = _stored(person)
    assert stored.checked_in_desk == "Mesa 1"
    assert stored.checked_in_at <= utcnow() - timedelta(minutes=10)
    assert _counted(client, assembly) == 1  # one person, counted once

    # Mesa 3's queued scan of 5 minutes ago came after Mesa 1's: amber, naming Mesa 1.
    later = _scan(
        client, assembly, person, desk="Mesa 3", scan_id=str(uuid.uuid4()), age_ms=300_000
    )
    assert later["result"] == "already"
    assert later["person"]["checked_in_desk"] == "Mesa 1"
    assert _stored(person).checked_in_at == stored.checked_in_at


def test_two_online_scans_a_moment_apart_stay_first_come(
    client, auth, make_assembly, make_attendee
):
    """Milliseconds apart is the same instant: the first to reach the database keeps it."""
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    assert (
        _scan(client, assembly, person, desk="Mesa 1", scan_id=str(uuid.uuid4()))["result"] == "ok"
    )
    second = _scan(client, assembly, person, desk="Mesa 2", scan_id=str(uuid.uuid4()), age_ms=900)
    assert second["result"] == "already"
    assert _stored(person).checked_in_desk == "Mesa 1"


def test_a_queued_late_arrival_is_seated_when_it_syncs(
    client, auth, make_assembly, make_attendee, monkeypatch
):
    from assembly.grouping import services as grouping
    from assembly.grouping.models import Group, Table

    auth.login("organizer")
    assembly = make_assembly()
    group = _db.session.query(Group).filter_by(assembly_id=assembly.id, number=2).one()
    table = Table(group_id=group.id, number=4, capacity=20, join_code="QUEUE4")
    _db.session.add(table)
    _db.session.commit()
    person = make_attendee(assembly)

    def seat(attendee):
        attendee.table_id, attendee.group_id = table.id, group.id
        return table

    monkeypatch.setattr(grouping, "seat_late_arrival", seat, raising=False)
    answer = _scan(client, assembly, person, scan_id=str(uuid.uuid4()), age_ms=120_000)
    assert answer["result"] == "ok"
    assert (answer["person"]["mesa"], answer["person"]["table"]) == (2, 4)
    assert _stored(person).table_id == table.id


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"scan_id": "no-es-uuid"}, "scan_id", "El identificador no es válido."),
        ({"age_ms": -1}, "age_ms", "Debe ser 0 o más."),
        ({"age_ms": 25 * 3600 * 1000}, "age_ms", "Debe ser 86400000 o menos."),
        ({"age_ms": "ayer"}, "age_ms", "Debe ser un número entero."),
    ],
)
def test_a_bad_scan_id_or_age_is_refused_and_changes_nothing(
    extra, field, message, client, auth, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    response = _post(client, assembly, {"ticket": person.ticket_token, "desk": "Mesa 1", **extra})
    assert response.status_code == 422
    body = response.get_json()
    assert (body["code"], body["retry"]) == ("invalid", False)
    assert body["fields"] == {field: message}
    assert _stored(person).checked_in_at is None


def test_undo_forgets_the_scan(client, auth, make_assembly, make_attendee):
    auth.login("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    _scan(client, assembly, person, scan_id=str(uuid.uuid4()))
    assert _post(client, assembly, {"attendee_id": person.id}, "undo").status_code == 200
    assert (_stored(person).checked_in_at, _stored(person).checked_in_scan) == (None, None)
