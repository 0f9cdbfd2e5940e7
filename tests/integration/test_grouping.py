"""Splitting the room on stored data: run_split, late arrivals, manual changes and their
broadcasts, rosters, join cards and codes."""

import re
from collections import Counter
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import select

from assembly.errors import Conflict, InvalidInput
from assembly.grouping import services
from assembly.grouping.codes import ALPHABET as JOIN_CODE_ALPHABET
from assembly.grouping.models import Group, Table
from assembly.grouping.services import late as late_services
from assembly.registration.models import Attendee

NOW = datetime(2026, 3, 14, 8, 0)


@pytest.fixture
def room(make_assembly, make_attendee, db):
    """An assembly of `n` people (table size 5) whose first `checked_in` have arrived."""

    def make(n=40, checked_in=None, table_size=5, **assembly_kwargs):
        assembly = make_assembly(table_size=table_size, **assembly_kwargs)
        themes = [t.id for t in assembly.themes]
        checked_in = n if checked_in is None else checked_in
        people = []
        for i in range(n):
            people.append(
                Attendee(
                    assembly_id=assembly.id,
                    ticket_token=f"tok-{assembly.id}-{i}",
                    document_type="CC",
                    document_number=str(50_000_000 + assembly.id * 10_000 + i),
                    first_names=f"Nombre{i:03d}",
                    last_names="Apellido",
                    name_key=f"nombre{i:03d} apellido",
                    sex="mujer" if i % 2 else "hombre",
                    age_range=["18-28", "29-59", "60+"][i % 3],
                    ethnicity="ninguno",
                    department_code="81",
                    municipality_code=["81001", "81065", "81736"][i % 3],
                    organization_name=f"Org {i % 7}" if i % 4 else None,
                    organization_key=f"org {i % 7}" if i % 4 else None,
                    knows_pit=i % 5 == 0,
                    took_part_before=i % 5 == 0,
                    preferred_theme_id=themes[i % 3] if i % 2 == 0 else None,
                    consent_data=True,
                    checked_in_at=NOW if i < checked_in else None,
                )
            )
        db.session.add_all(people)
        db.session.commit()
        return assembly

    return make


def seating(db, assembly_id):
    rows = db.session.scalars(select(Attendee).where(Attendee.assembly_id == assembly_id))
    return {a.id: a.table_id for a in rows}


def tables(db, assembly_id):
    return db.session.scalars(
        select(Table).join(Group).where(Group.assembly_id == assembly_id)
    ).all()


def assert_hard_rules(db, assembly, expected_ids):
    """Every expected person at exactly one table of the assembly, no table above capacity,
    group_id matching the table, mesa sizes within one table's slack."""
    rows = db.session.scalars(select(Attendee).where(Attendee.assembly_id == assembly.id)).all()
    by_table = Counter()
    mesa = Counter(
        {g.id: 0 for g in db.session.scalars(select(Group).where(Group.assembly_id == assembly.id))}
    )
    table_of = {t.id: t for t in tables(db, assembly.id)}
    for a in rows:
        if a.id in expected_ids:
            assert a.table_id in table_of, a
            assert a.group_id == table_of[a.table_id].group_id
            by_table[a.table_id] += 1
            mesa[a.group_id] += 1
        else:
            assert a.table_id is None and a.group_id is None
    for table_id, count in by_table.items():
        assert count <= table_of[table_id].capacity
    assert max(mesa.values()) - min(mesa.values()) <= assembly.table_size
    for t in table_of.values():
        if t.leader_id is not None:
            assert db.session.get(Attendee, t.leader_id).table_id == t.id


# --- run_split ---------------------------------------------------------------------------------


def test_split_of_the_checked_in_room_seats_only_who_arrived(room, db, make_user):
    assembly = room(n=40, checked_in=27)
    report = services.run_split(
        make_user("organizer"), assembly.id, population="checked_in", seed=3
    )
    db.session.commit()
    arrived = {
        a.id
        for a in db.session.scalars(select(Attendee).where(Attendee.checked_in_at.is_not(None)))
    }
    assert len(arrived) == 27 and report.quality.people == 27
    assert_hard_rules(db, assembly, arrived)
    assert report.applied and not report.resplit and report.moved == 0
    assert report.quality.tables_count == len(tables(db, assembly.id))
    # leaders are leader candidates (knows the PIT and took part before) seated at the table
    leaders = [
        db.session.get(Attendee, t.leader_id) for t in tables(db, assembly.id) if t.leader_id
    ]
    assert leaders and all(a.knows_pit and a.took_part_before for a in leaders)
    assert report.quality.leaders_found == len(leaders)


def test_split_of_the_registrations_seats_everyone_and_honours_preferences(room, db, make_user):
    assembly = room(n=60, checked_in=10)
    report = services.run_split(make_user(), assembly.id, population="registered", seed=1)
    db.session.commit()
    everyone = set(seating(db, assembly.id))
    assert_hard_rules(db, assembly, everyone)
    assert report.quality.preference_pct == 100.0  # 5 mesas of room: every wish fits
    for a in db.session.scalars(select(Attendee).where(Attendee.preferred_theme_id.is_not(None))):
        assert db.session.get(Group, a.group_id).theme_id == a.preferred_theme_id


def test_same_seed_same_split(room, db, make_user):
    assembly = room(n=30)
    services.run_split(make_user(), assembly.id, population="registered", seed=7)
    db.session.commit()
    first = {
        a: (t and db.session.get(Table, t).number) for a, t in seating(db, assembly.id).items()
    }
    preview = services.preview_split(assembly.id, population="registered", seed=7)
    assert preview.resplit and not preview.changes_anything and preview.moved == 0
    services.run_split(make_user(), assembly.id, population="registered", seed=7)
    db.session.commit()
    again = {
        a: (t and db.session.get(Table, t).number) for a, t in seating(db, assembly.id).items()
    }
    assert again == first


def test_a_resplit_says_what_it_changes_and_needs_confirmation(room, db, make_user):
    assembly = room(n=40, checked_in=40)
    actor = make_user("organizer")
    services.run_split(actor, assembly.id, population="registered", seed=1)
    db.session.commit()
    before = seating(db, assembly.id)
    db.session.execute(
        Attendee.__table__.update()
        .where(Attendee.assembly_id == assembly.id, Attendee.document_number.like("%0"))
        .values(checked_in_at=None)
    )
    db.session.commit()
    preview = services.preview_split(assembly.id, population="checked_in", seed=2)
    assert preview.resplit and preview.unseated == 4
    with pytest.raises(Conflict, match=r"dejaría sin mesa a 4"):
        services.run_split(actor, assembly.id, population="checked_in", seed=2)
    db.session.rollback()
    assert seating(db, assembly.id) == before  # refused: nothing changed
    report = services.run_split(actor, assembly.id, population="checked_in", seed=2, confirm=True)
    db.session.commit()
    assert report.unseated == 4 and report.quality.people == 36
    arrived = {
        a.id
        for a in db.session.scalars(
            select(Attendee).where(
                Attendee.assembly_id == assembly.id, Attendee.checked_in_at.is_not(None)
            )
        )
    }
    assert_hard_rules(db, assembly, arrived)


def test_locked_tables_keep_their_people_through_a_resplit(room, db, make_user):
    assembly = room(n=50)
    actor = make_user()
    services.run_split(actor, assembly.id, population="registered", seed=1)
    db.session.commit()
    kept = tables(db, assembly.id)[2]
    services.set_locked(actor, assembly.id, kept.id, True)
    db.session.commit()
    members = {a for a, t in seating(db, assembly.id).items() if t == kept.id}
    leader = kept.leader_id
    report = services.run_split(actor, assembly.id, population="registered", seed=99, confirm=True)
    db.session.commit()
    assert report.kept_locked == len(members) and report.moved > 0  # others did move
    assert {a for a, t in seating(db, assembly.id).items() if t == kept.id} >= members
    assert db.session.get(Table, kept.id).leader_id == leader
    assert_hard_rules(db, assembly, set(seating(db, assembly.id)))


def test_a_closed_assembly_is_not_split(room, db, make_user):
    assembly = room(n=10)
    assembly.status = "closed"
    db.session.commit()
    with pytest.raises(Conflict, match="cerrada"):
        services.run_split(make_user(), assembly.id, population="registered", seed=1)


def test_unknown_population_is_refused(room, make_user):
    assembly = room(n=3)
    with pytest.raises(InvalidInput):
        services.run_split(make_user(), assembly.id, population="todos", seed=1)


def test_join_codes_are_unique_and_from_the_unambiguous_alphabet(room, db, make_user):
    first, second = room(n=60), room(n=60)
    for assembly in (first, second):
        services.run_split(make_user(), assembly.id, population="registered", seed=1)
    db.session.commit()
    codes = [t.join_code for t in db.session.scalars(select(Table))]
    assert len(codes) >= 24 and len(set(codes)) == len(codes)
    assert all(re.fullmatch(f"[{JOIN_CODE_ALPHABET}]{{6}}", c) for c in codes)
    assert not any(set(c) & set("01OI") for c in codes)
    # consecutive tables get unrelated codes (not a counter)
    assert len({c[:4] for c in codes}) > len(codes) // 2
    table = db.session.scalars(select(Table)).first()
    typed = table.join_code.lower()[:3] + " - " + table.join_code.lower()[3:]
    assert services.find_table_by_code(typed).id == table.id
    assert services.find_table_by_code("0000OO") is None
    assert services.find_table_by_code("") is None


# --- late arrivals -----------------------------------------------------------------------------


def test_late_arrival_before_the_split_gets_no_table(room, db):
    room(n=5, checked_in=0)
    person = db.session.scalars(select(Attendee)).first()
    assert services.seat_late_arrival(person) is None
    assert person.table_id is None


def test_late_arrival_goes_to_the_preferred_theme_and_moves_nobody(
    room, db, make_user, make_attendee
):
    assembly = room(n=33, checked_in=33, table_size=5)
    services.run_split(make_user(), assembly.id, population="checked_in", seed=1)
    db.session.commit()
    before = seating(db, assembly.id)
    theme = assembly.themes[4]  # nobody in the room asked for it
    group = db.session.scalar(select(Group).where(Group.theme_id == theme.id))
    assert any(services._seated_count(t) < t.capacity for t in group.tables), (
        "the preferred mesa has a free seat"
    )
    late = make_attendee(assembly, preferred_theme_id=theme.id, checked_in_at=NOW)
    table = services.seat_late_arrival(late)
    db.session.commit()
    assert table.group_id == group.id and late.table_id == table.id and late.group_id == group.id
    after = seating(db, assembly.id)
    assert {a: t for a, t in after.items() if a != late.id} == before
    assert services._seated_count(table) <= table.capacity
    # calling it again (a re-scan) keeps the seat
    assert services.seat_late_arrival(late).id == table.id


def test_late_arrival_opens_a_new_table_when_every_table_is_full(
    room, db, make_user, make_attendee
):
    assembly = room(n=25, checked_in=25, table_size=5)  # 5 mesas x 1 full table
    services.run_split(make_user(), assembly.id, population="checked_in", seed=1)
    db.session.commit()
    assert all(services._seated_count(t) == 5 for t in tables(db, assembly.id))
    before = seating(db, assembly.id)
    late = make_attendee(
        assembly,
        preferred_theme_id=assembly.themes[1].id,
        checked_in_at=NOW,
        knows_pit=True,
        took_part_before=True,
    )
    table = services.seat_late_arrival(late)
    db.session.commit()
    assert len(tables(db, assembly.id)) == 6 and table.number == 2
    assert table.group.theme_id == assembly.themes[1].id
    assert re.fullmatch(f"[{JOIN_CODE_ALPHABET}]{{6}}", table.join_code)
    assert table.leader_id == late.id  # a leader candidate opening a table leads it
    assert {a: t for a, t in seating(db, assembly.id).items() if a != late.id} == before


def test_late_arrival_never_sits_at_a_locked_table(room, db, make_user, make_attendee):
    assembly = room(n=12, checked_in=12, table_size=5)
    actor = make_user()
    services.run_split(actor, assembly.id, population="checked_in", seed=1)
    db.session.commit()
    for t in tables(db, assembly.id):
        services.set_locked(actor, assembly.id, t.id, True)
    db.session.commit()
    late = make_attendee(assembly, checked_in_at=NOW)
    table = services.seat_late_arrival(late)
    assert not table.locked and services._seated_count(table) == 1


def test_desk_check_in_seats_the_person(room, db, make_user, make_attendee):
    from assembly.desk import services as checkin

    assembly = room(n=20, checked_in=20)
    services.run_split(make_user(), assembly.id, population="checked_in", seed=1)
    db.session.commit()
    late = make_attendee(assembly)
    result = checkin.check_in_by_id(None, assembly.id, late.id, "Mesa 1", NOW)
    db.session.commit()
    assert result.table is not None and late.table_id == result.table.id


# --- manual changes through the screen, broadcast live -----------------------------------------


@pytest.fixture
def split_room(room, db, auth, socket_client):
    """A split room of 40, an organizer logged in and a staff socket in the assembly's room."""
    assembly = room(n=40, table_size=5)
    user = auth.login("organizer")
    services.run_split(user, assembly.id, population="registered", seed=1)
    db.session.commit()
    watcher = socket_client()
    assert watcher.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)["ok"]
    watcher.get_received()
    return assembly, watcher


def grouping_events(watcher):
    return [e["args"][0] for e in watcher.get_received() if e["name"] == "grouping_changed"]


def test_move_one_person_is_saved_and_broadcast(split_room, client, db):
    assembly, watcher = split_room
    all_tables = tables(db, assembly.id)
    target = next(t for t in all_tables if services._seated_count(t) < t.capacity)
    person = db.session.scalars(
        select(Attendee).where(Attendee.assembly_id == assembly.id, Attendee.table_id != target.id)
    ).first()
    source_id = person.table_id
    response = client.post(
        f"/assemblies/{assembly.id}/groups/move",
        data={"attendee_id": person.id, "table_id": target.id},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert person.table_id == target.id and person.group_id == target.group_id
    (event,) = grouping_events(watcher)
    assert event["action"] == "move" and event["attendee_ids"] == [person.id]
    assert set(event["table_ids"]) == {source_id, target.id}
    page = client.get(f"/assemblies/{assembly.id}/groups").get_data(as_text=True)
    assert "Persona movida." in page


def test_move_into_a_full_or_locked_table_changes_nothing(split_room, client, db):
    assembly, watcher = split_room
    all_tables = tables(db, assembly.id)
    full = all_tables[0]
    while services._seated_count(full) < full.capacity:  # fill it from another mesa
        extra = db.session.scalars(
            select(Attendee).where(Attendee.table_id == all_tables[-1].id)
        ).first()
        services.move_attendee(None, assembly.id, extra.id, full.id)
    db.session.commit()
    person = db.session.scalars(
        select(Attendee).where(Attendee.assembly_id == assembly.id, Attendee.table_id != full.id)
    ).first()
    before = seating(db, assembly.id)
    client.post(
        f"/assemblies/{assembly.id}/groups/move",
        data={"attendee_id": person.id, "table_id": full.id},
    )
    assert "está llena" in client.get(f"/assemblies/{assembly.id}/groups").get_data(as_text=True)
    other = next(t for t in all_tables if services._seated_count(t) < t.capacity)
    client.post(f"/assemblies/{assembly.id}/tables/{other.id}/lock", data={"locked": "1"})
    watcher.get_received()
    client.post(
        f"/assemblies/{assembly.id}/groups/move",
        data={"attendee_id": person.id, "table_id": other.id},
    )
    assert "bloqueada" in client.get(f"/assemblies/{assembly.id}/groups").get_data(as_text=True)
    db.session.expire_all()
    assert seating(db, assembly.id) == before
    assert grouping_events(watcher) == []
    client.post(
        f"/assemblies/{assembly.id}/groups/move", data={"attendee_id": "", "table_id": other.id}
    )
    assert "Falta elegir" in client.get(f"/assemblies/{assembly.id}/groups").get_data(as_text=True)


def test_swap_two_people_clears_their_leader_roles(split_room, client, db):
    assembly, watcher = split_room
    led = next(t for t in tables(db, assembly.id) if t.leader_id)
    leader = db.session.get(Attendee, led.leader_id)
    other = db.session.scalars(
        select(Attendee).where(Attendee.assembly_id == assembly.id, Attendee.table_id != led.id)
    ).first()
    other_table = other.table_id
    client.post(
        f"/assemblies/{assembly.id}/groups/swap",
        data={"first_id": leader.id, "second_id": other.id},
    )
    db.session.expire_all()
    assert leader.table_id == other_table and other.table_id == led.id
    assert db.session.get(Table, led.id).leader_id is None
    (event,) = grouping_events(watcher)
    assert event["action"] == "swap" and set(event["attendee_ids"]) == {leader.id, other.id}


def test_set_and_clear_a_leader(split_room, client, db):
    assembly, watcher = split_room
    table = tables(db, assembly.id)[0]
    member = db.session.scalars(select(Attendee).where(Attendee.table_id == table.id)).all()[-1]
    client.post(
        f"/assemblies/{assembly.id}/tables/{table.id}/leader", data={"attendee_id": member.id}
    )
    db.session.expire_all()
    assert db.session.get(Table, table.id).leader_id == member.id
    client.post(f"/assemblies/{assembly.id}/tables/{table.id}/leader", data={"attendee_id": ""})
    db.session.expire_all()
    assert db.session.get(Table, table.id).leader_id is None
    assert [e["action"] for e in grouping_events(watcher)] == ["leader", "leader"]
    stranger = db.session.scalars(select(Attendee).where(Attendee.table_id != table.id)).first()
    client.post(
        f"/assemblies/{assembly.id}/tables/{table.id}/leader", data={"attendee_id": stranger.id}
    )
    db.session.expire_all()
    assert db.session.get(Table, table.id).leader_id is None
    assert grouping_events(watcher) == []


def test_lock_and_unlock_a_table(split_room, client, db):
    assembly, watcher = split_room
    table = tables(db, assembly.id)[1]
    client.post(f"/assemblies/{assembly.id}/tables/{table.id}/lock", data={"locked": "1"})
    db.session.expire_all()
    assert db.session.get(Table, table.id).locked
    client.post(f"/assemblies/{assembly.id}/tables/{table.id}/lock", data={"locked": "0"})
    db.session.expire_all()
    assert not db.session.get(Table, table.id).locked
    events = grouping_events(watcher)
    assert [e["action"] for e in events] == ["lock", "lock"]
    assert events[0]["group_ids"] == [table.group_id]


def test_assign_a_facilitator_to_a_mesa(split_room, client, db, make_user):
    assembly, watcher = split_room
    facilitator, admin = make_user("facilitator"), make_user("admin")
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    client.post(
        f"/assemblies/{assembly.id}/groups/{group.id}/facilitator", data={"user_id": admin.id}
    )
    db.session.expire_all()
    assert db.session.get(Group, group.id).facilitator_id is None  # not a facilitator account
    assert grouping_events(watcher) == []
    client.post(
        f"/assemblies/{assembly.id}/groups/{group.id}/facilitator", data={"user_id": facilitator.id}
    )
    db.session.expire_all()
    assert db.session.get(Group, group.id).facilitator_id == facilitator.id
    (event,) = grouping_events(watcher)
    assert event == {
        "assembly_id": assembly.id,
        "action": "facilitator",
        "group_ids": [group.id],
        "table_ids": [t.id for t in group.tables],
        "attendee_ids": [],
        # contract 3: every broadcast carries the assembly's revision and the room's sequence
        "rev": 1,
        "room": f"assembly:{assembly.id}",
        "seq": 1,
    }


def test_split_from_the_screen_previews_then_applies_and_broadcasts(
    room, client, auth, db, socket_client
):
    assembly = room(n=30, checked_in=18)
    auth.login("organizer")
    watcher = socket_client()
    watcher.emit("join_assembly", {"assembly_id": assembly.id}, callback=True)
    watcher.get_received()
    page = client.get(f"/assemblies/{assembly.id}/groups?population=checked_in&seed=4").get_data(
        as_text=True
    )
    assert "Vista previa" in page and "Aplicar este reparto" in page
    assert seating(db, assembly.id) == dict.fromkeys(seating(db, assembly.id))  # nothing written
    response = client.post(
        f"/assemblies/{assembly.id}/groups/split", data={"population": "checked_in", "seed": "4"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert sum(t is not None for t in seating(db, assembly.id).values()) == 18
    (event,) = grouping_events(watcher)
    assert event["action"] == "split" and len(event["table_ids"]) == len(tables(db, assembly.id))
    page = client.get(f"/assemblies/{assembly.id}/groups").get_data(as_text=True)
    assert "Sala repartida: 18 personas" in page and "Reparto actual" in page
    # a second run without the confirmation box is refused with what it would change
    client.post(
        f"/assemblies/{assembly.id}/groups/split", data={"population": "registered", "seed": "4"}
    )
    page = client.get(f"/assemblies/{assembly.id}/groups").get_data(as_text=True)
    assert "Ya hay un reparto" in page and "Marque la confirmación" in page
    assert grouping_events(watcher) == []
    bad = client.get(f"/assemblies/{assembly.id}/groups?population=checked_in&seed=abc")
    assert bad.status_code == 422 and "semilla" in bad.get_data(as_text=True)


def test_a_facilitator_follows_only_its_mesa_room(split_room, app, client, db, make_user):
    assembly, _ = split_room
    groups = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    facilitator = make_user("facilitator")
    groups[0].facilitator_id = facilitator.id
    db.session.commit()
    follower_client = app.test_client()
    follower_client.post(
        "/login", data={"username": facilitator.username, "password": "clave-de-prueba-123"}
    )
    from assembly.extensions import socketio

    follower = socketio.test_client(app, flask_test_client=follower_client)
    try:
        ack = follower.emit(
            "follow_group", {"assembly_id": assembly.id, "group_id": groups[0].id}, callback=True
        )
        assert ack["ok"] and ack["state"]["group_id"] == groups[0].id
        assert sum(len(t["members"]) for t in ack["state"]["tables"]) > 0
        # a mesa assigned to someone else: its names and organisations stay out
        other = follower.emit(
            "follow_group", {"assembly_id": assembly.id, "group_id": groups[1].id}, callback=True
        )
        assert other["ok"] is False and other["code"] == "forbidden"
        assert "asignada a otra persona" in other["error"] and "state" not in other
        follower.get_received()
        client.post(
            f"/assemblies/{assembly.id}/tables/{groups[1].tables[0].id}/lock", data={"locked": "1"}
        )
        assert follower.get_received() == []  # another mesa
        client.post(
            f"/assemblies/{assembly.id}/tables/{groups[0].tables[0].id}/lock", data={"locked": "1"}
        )
        (event,) = [e["args"][0] for e in follower.get_received()]
        assert event["group_ids"] == [groups[0].id]
        bad = follower.emit(
            "follow_group",
            {"assembly_id": assembly.id + 1, "group_id": groups[0].id},
            callback=True,
        )
        assert bad == {
            "ok": False,
            "error": "La mesa no existe en esta asamblea.",
            "code": "not_found",
            "retry": False,
            "fields": {},
        }
    finally:
        follower.disconnect()


def test_a_desk_operator_without_the_right_cannot_follow_a_mesa(app, make_user, make_assembly):
    from assembly.extensions import socketio

    assembly = make_assembly()
    supervisor = make_user("supervisor")
    c = app.test_client()
    c.post("/login", data={"username": supervisor.username, "password": "clave-de-prueba-123"})
    sio = socketio.test_client(app, flask_test_client=c)
    try:
        group = assembly.themes[0].id  # any id: refused before the lookup
        ack = sio.emit(
            "follow_group", {"assembly_id": assembly.id, "group_id": group}, callback=True
        )
        assert ack["ok"] is False and "no puede seguir" in ack["error"]
    finally:
        sio.disconnect()


# --- rosters, cards, QR, a facilitator's mesa --------------------------------------------------


def test_rosters_list_names_organisations_leader_and_agreement(split_room, client, db):
    assembly, _ = split_room
    group = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).first()
    table = next(t for t in group.tables if t.leader_id)
    leader = db.session.get(Attendee, table.leader_id)
    member = db.session.scalars(
        select(Attendee).where(
            Attendee.table_id == table.id, Attendee.organization_name.is_not(None)
        )
    ).first()
    for url in (
        f"/assemblies/{assembly.id}/groups/roster",
        f"/assemblies/{assembly.id}/groups/{group.id}/roster",
        f"/assemblies/{assembly.id}/tables/{table.id}/roster",
    ):
        page = client.get(url).get_data(as_text=True)
        assert leader.full_name in page and member.organization_name in page, url
        assert re.search(
            r'<tr class="leader"><td class="num">\d+</td><td>' + leader.full_name, page
        )
        assert assembly.agreement_line in page and table.join_code in page
    one_table = client.get(f"/assemblies/{assembly.id}/tables/{table.id}/roster").get_data(
        as_text=True
    )
    assert one_table.count('<section class="roster-table">') == 1


def test_join_cards_and_qr_encode_the_public_table_url(split_room, client, db, app):
    from assembly.core.qr import qr_png
    from tests.support.qr_read import decode_png

    assembly, _ = split_room
    all_tables = tables(db, assembly.id)
    page = client.get(f"/assemblies/{assembly.id}/groups/cards").get_data(as_text=True)
    assert all(t.join_code in page for t in all_tables)
    assert page.count('class="join-card"') == len(all_tables)
    table = all_tables[0]
    app.config["PUBLIC_URL"] = "http://192.168.0.10:8000"
    try:
        response = client.get(f"/assemblies/{assembly.id}/tables/{table.id}/qr.png")
    finally:
        app.config["PUBLIC_URL"] = ""
    assert response.status_code == 200 and response.mimetype == "image/png"
    url = f"http://192.168.0.10:8000/mesa/{table.join_code}"
    assert decode_png(response.data).text == url  # read back by zxing-cpp
    assert response.data == qr_png(url, box_size=10, border=2)
    assert response.data != qr_png(
        f"http://192.168.0.10:8000/mesa/{all_tables[1].join_code}", box_size=10, border=2
    )
    assert response.data.startswith(b"\x89PNG")
    one_mesa = client.get(
        f"/assemblies/{assembly.id}/groups/cards?group={table.group_id}"
    ).get_data(as_text=True)
    assert one_mesa.count('class="join-card"') == len(table.group.tables)


def test_a_facilitator_sees_the_roster_of_its_own_mesa(room, client, auth, db, make_user):
    assembly = room(n=30)
    services.run_split(make_user(), assembly.id, population="registered", seed=1)
    db.session.commit()
    facilitator = auth.login("facilitator")
    page = client.get(f"/assemblies/{assembly.id}/my-mesa").get_data(as_text=True)
    assert "Todavía no le han asignado una mesa" in page
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    services.assign_facilitator(None, assembly.id, group.id, facilitator.id)
    db.session.commit()
    page = client.get(f"/assemblies/{assembly.id}/my-mesa").get_data(as_text=True)
    member = db.session.scalars(select(Attendee).where(Attendee.group_id == group.id)).first()
    assert member.full_name in page and group.theme.title in page
    assert client.get(f"/assemblies/{assembly.id}/groups").status_code == 403


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "manage", "facilitate"),
    [
        ("admin", True, True),
        ("organizer", True, False),
        ("facilitator", False, True),
        ("moderator", False, True),
        ("supervisor", False, False),
    ],
)
def test_grouping_screens_follow_the_role(
    role, manage, facilitate, room, client, auth, db, make_user
):
    assembly = room(n=12)
    services.run_split(make_user(), assembly.id, population="registered", seed=1)
    db.session.commit()
    auth.login(role)
    table = tables(db, assembly.id)[0]
    base = f"/assemblies/{assembly.id}"
    pages = [
        "/groups",
        "/groups/roster",
        f"/groups/{table.group_id}/roster",
        f"/tables/{table.id}/roster",
        "/groups/cards",
        f"/tables/{table.id}/qr.png",
    ]
    for page in pages:
        status = client.get(base + page).status_code
        assert status == (200 if manage else 403), (role, page, status)
    assert client.get(base + "/my-mesa").status_code == (200 if facilitate else 403)
    before = seating(db, assembly.id)
    for action in ("/groups/split", "/groups/move", "/groups/swap",
                   f"/tables/{table.id}/leader", f"/tables/{table.id}/lock",
                   f"/groups/{table.group_id}/facilitator"):  # fmt: skip
        status = client.post(
            base + action, data={"population": "registered", "confirm": "1"}
        ).status_code
        assert status == (302 if manage else 403), (role, action, status)
    if not manage:
        db.session.expire_all()
        assert seating(db, assembly.id) == before
        assert not db.session.get(Table, table.id).locked


def test_late_arrival_rechecks_the_seat_another_desk_may_have_just_taken(
    room, db, make_user, make_attendee, monkeypatch
):
    assembly = room(n=25, checked_in=25, table_size=5)  # every table full
    services.run_split(make_user(), assembly.id, population="checked_in", seed=1)
    db.session.commit()
    late = make_attendee(assembly, preferred_theme_id=assembly.themes[0].id, checked_in_at=NOW)
    # What this desk read a moment ago: the preferred mesa's table still had room.
    preferred = db.session.scalar(select(Group).where(Group.theme_id == assembly.themes[0].id))
    full_table = preferred.tables[0]
    stale = [
        replace(seat, size=3)
        if (seat.theme_id, seat.number) == (preferred.theme_id, full_table.number)
        else seat
        for seat in services.table_counts(assembly.id, services.to_person(late))
    ]
    monkeypatch.setattr(late_services, "seating_counts", lambda assembly_id, person, **_: stale)
    table = services.seat_late_arrival(late)
    db.session.commit()
    assert table.id != full_table.id
    assert services._seated_count(full_table) == full_table.capacity
    assert all(services._seated_count(t) <= t.capacity for t in tables(db, assembly.id))


def _late_people(assembly, make_attendee):
    """Late arrivals unlike the room and like it: missing values, a shared organisation."""
    themes = [t.id for t in assembly.themes]
    shapes = [
        {"sex": None, "age_range": None, "municipality_code": None, "organization_key": None},
        {"organization_key": "org 3", "sex": "mujer", "age_range": "60+", "knows_pit": True,
         "took_part_before": True, "preferred_theme_id": themes[1]},
        {"organization_key": "", "municipality_code": "81065", "preferred_theme_id": themes[0]},
    ]  # fmt: skip
    return [make_attendee(assembly, checked_in_at=NOW, **shape) for shape in shapes]


def test_late_arrival_counts_equal_the_tallies_of_the_people_seated(
    room, db, make_user, make_attendee
):
    from assembly.grouping import domain

    assembly = room(n=60, checked_in=45, table_size=5)
    services.run_split(make_user(), assembly.id, population="checked_in", seed=3)
    db.session.commit()
    people = services.people_by_table(assembly.id)
    for late in _late_people(assembly, make_attendee):
        person = services.to_person(late)
        expected = [
            domain.counts_of(
                domain.TableSeat(t.group.theme_id, t.number, tuple(people.get(t.id, [])),
                                 t.capacity, t.locked),
                person,
            )
            for t in services.tables_of(assembly.id)
        ]  # fmt: skip
        assert services.table_counts(assembly.id, person) == expected


def test_a_late_check_in_runs_the_same_queries_in_a_small_and_a_large_room(
    room, db, make_user, make_attendee
):
    from sqlalchemy import event

    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    sizes = []
    for n in (30, 150):
        assembly = room(n=n, checked_in=n, table_size=5)
        services.run_split(make_user(), assembly.id, population="checked_in", seed=1)
        db.session.commit()
        late = _late_people(assembly, make_attendee)[1]
        db.session.expire_all()
        late = db.session.get(Attendee, late.id)
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert services.seat_late_arrival(late) is not None
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        sizes.append(len(statements))
        # the people seated are never loaded one row each: the tally counts them, and only
        # the chosen table's seat is re-counted
        reads = [s for s in statements if s.startswith("SELECT") and "FROM attendees" in s]
        assert all("count(" in s for s in reads), reads
    # a bounded number of statements whatever the room's size: a free table adds the read
    # of its tallies and the seat's re-check, a new table its code check and INSERT
    assert max(sizes) <= 10 and abs(sizes[0] - sizes[1]) <= 2, sizes


def test_a_late_arrival_is_seated_by_statements_built_once(room, db, make_user, make_attendee):
    """The desk seats every late arrival with the same statement objects (bound values):
    building them again, and their cache keys, cost as much as running them."""
    from tests.support.statements import executed, rebuilt

    assembly = room(n=47, checked_in=47, table_size=5)  # 10 tables, some with a free seat
    services.run_split(make_user(), assembly.id, population="checked_in", seed=2)
    db.session.commit()
    runs, seats = [], []
    for late in _late_people(assembly, make_attendee)[:2]:
        with executed(db.engine) as statements:
            seats.append(services.seat_late_arrival(late))
            db.session.commit()
        runs.append(statements)
        db.session.expire_all()
        assert db.session.get(Attendee, late.id).table_id == seats[-1].id
    assert not any("INSERT INTO tables" in str(s) for s in runs[0] + runs[1])  # free seats
    assert rebuilt(*runs, mentioning=("FROM groups", "FROM tables", "UPDATE attendees")) == []


def test_late_arrival_reads_only_the_free_tables_and_places_as_over_every_table(
    room, db, make_user, make_attendee
):
    """seating_counts (what the desk reads) gives exactly the placement that the counts of
    every table give, whether tables are full, free or locked, while holding only the free
    tables and one summary per mesa."""
    from assembly.grouping import domain

    assembly = room(n=47, checked_in=47, table_size=5)  # 10 tables, some with a free seat
    services.run_split(make_user(), assembly.id, population="checked_in", seed=2)
    db.session.commit()
    all_tables = tables(db, assembly.id)
    services.set_locked(make_user(), assembly.id, all_tables[0].id, True)
    db.session.commit()
    settings = domain.Settings(
        theme_ids=tuple(t.id for t in assembly.themes), table_size=assembly.table_size
    )
    for late in _late_people(assembly, make_attendee) * 3:
        if late.table_id is not None:
            late = make_attendee(assembly, checked_in_at=NOW, sex=late.sex)
        person = services.to_person(late)
        every = services.table_counts(assembly.id, person)
        compact = services.seating_counts(assembly.id, person)
        free = [c for c in every if not c.locked and c.size < c.capacity]
        assert [c for c in compact if not c.locked] == free
        assert len(compact) - len(free) <= len(assembly.themes)
        assert domain.place_by_counts(person, compact, settings) == domain.place_by_counts(
            person, every, settings
        )
        services.seat_late_arrival(late)  # the next one meets a fuller room
        db.session.commit()


def test_the_groups_screen_shows_a_page_of_tables_and_counts_the_whole_room(
    client, auth, room, db, make_user, monkeypatch
):
    """A page of sub-mesas at a time (a room of 50,000 is never one 15 MB page); the counts
    still cover the whole room, and a change made on page 2 comes back to page 2."""
    from assembly.grouping import routes

    monkeypatch.setattr(routes, "TABLES_PER_PAGE", 4)
    assembly = room(n=50, checked_in=50, table_size=5)  # 10+ tables: three pages
    services.run_split(make_user(), assembly.id, population="checked_in", seed=1)
    db.session.commit()
    ordered = [t for g in services.groups_of(assembly.id) for t in g.tables]
    members = services.members_by_table(assembly.id)
    auth.login("organizer")
    base = f"/assemblies/{assembly.id}/groups"
    first = client.get(base).get_data(as_text=True)
    second = client.get(base + "?page=2").get_data(as_text=True)
    assert "Página 1 de 3" in first and "Página 2 de 3" in second
    for page, shown in ((first, ordered[:4]), (second, ordered[4:8])):
        for table in ordered:
            names = [a.full_name for a in members.get(table.id, [])]
            on_page = table in shown
            assert (f'id="table-{table.id}"' in page) == on_page
            assert all((f'<span class="name">{n}</span>' in page) == on_page for n in names)
    # every table is still a destination, with its real size
    for table in ordered:
        assert f'<option value="{table.id}">' in first
    # the mesa's header counts all its people, also those on other pages
    group = services.groups_of(assembly.id)[0]
    seated = sum(len(members.get(t.id, [])) for t in group.tables)
    assert f"{seated} personas</span>" in first
    # a page past the end shows the last one
    assert "Página 3 de 3" in client.get(base + "?page=99").get_data(as_text=True)
    table, other = ordered[5], ordered[6]
    person = members[table.id][0]
    moved = client.post(
        base + "/move", data={"attendee_id": person.id, "table_id": other.id, "page": "2"}
    )
    assert moved.status_code == 302 and f"{base}?page=2#" in moved.headers["Location"]
