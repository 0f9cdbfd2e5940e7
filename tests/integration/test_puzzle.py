"""The table phones' socket (table_code) and the facilitator's moderation, end to end."""

import uuid

import pytest
from sqlalchemy import func, select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece

CLOSED = "La moderación cerró este paso: ya no se pueden agregar ni editar necesidades."


@pytest.fixture
def open_kinds(monkeypatch):
    """The agenda clock's open kinds, set by the test (agenda.services.open_piece_kinds, and
    piece_window, which a write reads them from, never time-up)."""
    current = {"need"}
    monkeypatch.setattr(
        "assembly.agenda.services.open_piece_kinds", lambda assembly_id: set(current)
    )
    monkeypatch.setattr(
        "assembly.agenda.services.piece_window", lambda assembly_id: (set(current), False)
    )
    return current


def set_open(open_kinds, *kinds):
    open_kinds.clear()
    open_kinds.update(kinds)


@pytest.fixture
def room(make_assembly, make_attendee):
    """An assembly with two tables in mesa 1 and one in mesa 2, each with two people."""
    assembly = make_assembly()
    groups = _db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).all()
    tables = {}
    for name, group, number, code in (
        ("A", groups[0], 1, "AAAA22"),
        ("B", groups[0], 2, "BBBB33"),
        ("C", groups[1], 1, "CCCC44"),
    ):
        table = Table(group_id=group.id, number=number, join_code=code, capacity=20)
        _db.session.add(table)
        _db.session.flush()
        tables[name] = table
    _db.session.commit()
    people = {}
    for name, table in tables.items():
        people[name] = [
            make_attendee(assembly, group_id=table.group_id, table_id=table.id) for _ in range(2)
        ]
    return {"assembly": assembly, "groups": groups, "tables": tables, "people": people}


def phone(socket_client, code):
    sio = socket_client(auth={"table_code": code})
    assert sio.is_connected()
    # the code again in join_table: a socket of a logged-in browser joins the table with it
    ack = sio.emit("join_table", {"code": code}, callback=True)
    assert ack["ok"], ack
    sio.get_received()
    return sio


def need(text="Falta crédito blando para las asociaciones", **extra):
    return {"id": str(uuid.uuid4()), "kind": "need", "text": text, **extra}


def stored_count():
    return _db.session.scalar(select(func.count(Piece.id)))


def received(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def test_code_is_case_insensitive_and_trimmed_and_bad_codes_are_refused(room, socket_client):
    assert socket_client(auth={"table_code": "  aaaa22 "}).is_connected()
    assert not socket_client(auth={"table_code": "ZZZZ99"}).is_connected()
    assert not socket_client(auth={"table_code": ""}).is_connected()


def test_join_table_acks_a_full_snapshot(room, socket_client, open_kinds):
    sio = socket_client(auth={"table_code": "AAAA22"})
    ack = sio.emit("join_table", {}, callback=True)
    state = ack["state"]
    table = room["tables"]["A"]
    assert state["table"]["id"] == table.id and state["table"]["number"] == 1
    assert state["table"]["members"] == 2
    assert state["theme"]["title"] == room["groups"][0].theme.title
    assert state["open_kinds"] == ["need"]
    assert state["pieces"] == []
    assert state["assembly"]["plan_start_year"] == 2024
    assert {p["id"] for p in state["people"]} == {a.id for a in room["people"]["A"]}
    assert "clock" in state


def test_submit_edit_delete_with_acks_and_broadcasts(room, socket_client, open_kinds):
    leader, coleader = phone(socket_client, "AAAA22"), phone(socket_client, "AAAA22")
    other_table = phone(socket_client, "BBBB33")
    piece = need()
    ack = leader.emit("submit_piece", piece, callback=True)
    assert ack["ok"] and ack["created"] is True
    assert ack["piece"]["id"] == piece["id"] and ack["piece"]["text"] == piece["text"]
    assert [p["id"] for p in received(coleader, "piece_saved")] == [piece["id"]]
    assert received(other_table, "piece_saved") == []

    ack = leader.emit("edit_piece", {"id": piece["id"], "text": "Crédito  blando "}, callback=True)
    assert ack["ok"] and ack["piece"]["text"] == "Crédito blando" and ack["piece"]["version"] == 2
    assert [p["text"] for p in received(coleader, "piece_saved")] == ["Crédito blando"]

    ack = leader.emit("delete_piece", {"id": piece["id"]}, callback=True)
    assert ack == {"ok": True, "deleted": [piece["id"]]}
    assert [p["id"] for p in received(coleader, "piece_deleted")] == [piece["id"]]
    assert stored_count() == 0


def test_the_same_uuid_sent_twice_is_stored_once(room, socket_client, open_kinds):
    leader, watcher = phone(socket_client, "AAAA22"), phone(socket_client, "AAAA22")
    piece = need()
    first = leader.emit("submit_piece", piece, callback=True)
    second = leader.emit("submit_piece", piece, callback=True)
    assert first["ok"] and second["ok"]
    assert second["created"] is False and second["piece"] == first["piece"]
    assert stored_count() == 1
    assert len(received(watcher, "piece_saved")) == 1  # the resend is not broadcast again


def test_a_resend_with_new_text_is_applied_as_an_edit_not_a_copy(room, socket_client, open_kinds):
    leader = phone(socket_client, "AAAA22")
    piece = need()
    leader.emit("submit_piece", piece, callback=True)
    ack = leader.emit("submit_piece", {**piece, "text": "Otra redacción"}, callback=True)
    assert ack["ok"] and ack["piece"]["text"] == "Otra redacción" and ack["piece"]["version"] == 2
    assert stored_count() == 1


def test_a_concurrent_insert_of_the_same_uuid_acks_the_stored_piece(
    room, socket_client, open_kinds, monkeypatch
):
    from assembly.puzzle import services

    leader = phone(socket_client, "AAAA22")
    piece = need()
    assert leader.emit("submit_piece", piece, callback=True)["ok"]
    # The second request checks before the first one's row is visible to it (a real race):
    real_own_piece, calls = services._own_piece, []

    def not_yet_visible(table, piece_id):
        calls.append(piece_id)
        if len(calls) == 1:
            _db.session.expunge_all()
            return None
        return real_own_piece(table, piece_id)

    monkeypatch.setattr(services, "_own_piece", not_yet_visible)
    monkeypatch.setattr(services, "_pieces_of", lambda table_ids: [])
    ack = leader.emit("submit_piece", piece, callback=True)
    monkeypatch.undo()
    assert ack["ok"] and ack["created"] is False and ack["piece"]["id"] == piece["id"]
    assert stored_count() == 1


def test_closed_step_refuses_with_a_clear_message_and_changes_nothing(
    room, socket_client, open_kinds
):
    leader = phone(socket_client, "AAAA22")
    piece = need()
    leader.emit("submit_piece", piece, callback=True)
    set_open(open_kinds, "solution")
    for event, data in (
        ("submit_piece", need()),
        ("edit_piece", {"id": piece["id"], "text": "Cambio tardío"}),
        ("delete_piece", {"id": piece["id"]}),
    ):
        ack = leader.emit(event, data, callback=True)
        assert ack["ok"] is False and ack["error"] == CLOSED, event
    set_open(open_kinds)
    ack = leader.emit("submit_piece", need(), callback=True)
    assert ack["error"] == CLOSED
    stored = _db.session.get(Piece, piece["id"])
    assert stored.text == piece["text"] and stored_count() == 1


def test_a_later_step_not_yet_open_says_so(room, socket_client, open_kinds):
    leader = phone(socket_client, "AAAA22")
    first = need()
    leader.emit("submit_piece", first, callback=True)
    ack = leader.emit(
        "submit_piece",
        {"id": str(uuid.uuid4()), "kind": "solution", "parent_id": first["id"], "text": "Red"},
        callback=True,
    )
    assert ack["ok"] is False and "aún no ha comenzado" in ack["error"]


def test_the_full_step_sequence_and_its_rules(room, socket_client, open_kinds):
    leader = phone(socket_client, "AAAA22")
    needs = [need("Crédito"), need("Formación")]
    for piece in needs:
        assert leader.emit("submit_piece", piece, callback=True)["ok"]
    third = leader.emit("submit_piece", need("Tercera"), callback=True)
    assert third["ok"] is False and "como máximo, dos necesidades" in third["error"]

    set_open(open_kinds, "solution")
    solution = {
        "id": str(uuid.uuid4()),
        "kind": "solution",
        "parent_id": needs[0]["id"],
        "text": "Fondo rotatorio entre cooperativas",
    }
    assert leader.emit("submit_piece", solution, callback=True)["ok"]
    again = leader.emit(
        "submit_piece", {**solution, "id": str(uuid.uuid4()), "text": "Otra"}, callback=True
    )
    assert again["ok"] is False and "ya tiene su solución" in again["error"]

    set_open(open_kinds, "plan")
    plan = {
        "id": str(uuid.uuid4()),
        "kind": "plan",
        "parent_id": solution["id"],
        "text": "Crear el fondo",
        "who": "Cooperativa La Esperanza y Asociación de Cacaoteros",
        "due": "2027-T1",
    }
    late = leader.emit("submit_piece", plan, callback=True)
    assert late["ok"] is False and "2024–2026" in late["error"]
    ack = leader.emit("submit_piece", {**plan, "due": "2025-t2"}, callback=True)
    assert ack["ok"] and ack["piece"]["due"] == "2025-T2" and ack["piece"]["who"] == plan["who"]
    too_long = leader.emit(
        "edit_piece",
        {"id": plan["id"], "text": "x", "who": "y" * 201, "due": "2025-T2"},
        callback=True,
    )
    assert too_long["ok"] is False and "200 caracteres" in too_long["error"]


def test_text_over_the_limit_is_refused_in_spanish(room, socket_client, open_kinds):
    leader = phone(socket_client, "AAAA22")
    ack = leader.emit("submit_piece", need("x" * 281), callback=True)
    assert ack["ok"] is False
    assert ack["error"] == "El texto puede tener como máximo 280 caracteres (tiene 281)."
    assert stored_count() == 0


def test_a_leader_of_table_a_cannot_touch_table_b_with_any_event(room, socket_client, open_kinds):
    leader_b = phone(socket_client, "BBBB33")
    theirs = need("De la mesa B")
    assert leader_b.emit("submit_piece", theirs, callback=True)["ok"]
    leader_b.get_received()
    leader_a = phone(socket_client, "AAAA22")
    refused = "Esa pieza no es de su mesa."
    attempts = [
        ("submit_piece", {**theirs, "text": "Reescrita por A"}),
        ("edit_piece", {"id": theirs["id"], "text": "Reescrita por A"}),
        ("delete_piece", {"id": theirs["id"]}),
    ]
    for event, data in attempts:
        ack = leader_a.emit(event, data, callback=True)
        assert ack["ok"] is False and ack["error"] == refused, event
    set_open(open_kinds, "solution")
    ack = leader_a.emit(
        "submit_piece",
        {"id": str(uuid.uuid4()), "kind": "solution", "parent_id": theirs["id"], "text": "x"},
        callback=True,
    )
    assert ack["ok"] is False and "de su mesa" in ack["error"]
    person_b = room["people"]["B"][0]
    ack = leader_a.emit("set_spokesperson", {"attendee_id": person_b.id}, callback=True)
    assert ack == {
        "ok": False,
        "error": "Esa persona no está en su mesa.",
        "code": "forbidden",
        "retry": False,
        "fields": {},
    }
    for staff_event in ("hide_piece", "merge_piece", "fix_piece", "nudge", "facilitate_group"):
        ack = leader_a.emit(staff_event, {"id": theirs["id"], "group_id": 1}, callback=True)
        assert ack["ok"] is False, staff_event
    stored = _db.session.get(Piece, theirs["id"])
    assert stored.text == "De la mesa B" and stored.hidden is False
    assert _db.session.get(Table, room["tables"]["B"].id).spokesperson_id is None
    assert received(leader_b, "piece_saved") == []


def test_table_spokesperson_by_id_or_name(room, socket_client, facilitator, open_kinds):
    leader, coleader = phone(socket_client, "AAAA22"), phone(socket_client, "AAAA22")
    assembly = room["assembly"]
    board = socket_client(auth={"board": assembly.board_token})
    joined = board.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    staff = socket_client()
    staff.emit("facilitate_group", {"group_id": room["groups"][0].id}, callback=True)
    staff.get_received()
    first, second = room["people"]["A"]
    ack = leader.emit("set_spokesperson", {"attendee_id": first.id}, callback=True)
    assert ack["ok"] and ack["table"]["spokesperson"] == {"id": first.id, "name": first.full_name}
    assert received(coleader, "table_changed")[0]["spokesperson"]["id"] == first.id
    assert received(staff, "table_changed")[0]["spokesperson"]["id"] == first.id
    # the board shows the mesa's vocero, not a table's: its room is not told (nor counted)
    assert [e["name"] for e in board.get_received()] == []
    again = board.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    board_room = f"board:{assembly.id}"
    assert again["seq"][board_room] == joined["seq"][board_room]
    ack = leader.emit("set_spokesperson", {"name": second.first_names.upper()}, callback=True)
    assert ack["ok"] and ack["table"]["spokesperson"]["id"] == second.id
    ack = leader.emit("set_spokesperson", {"name": "Nadie Conocido"}, callback=True)
    assert ack["ok"] is False and "No encontramos ese nombre" in ack["error"]
    assert _db.session.get(Table, room["tables"]["A"].id).spokesperson_id == second.id


# --- facilitator ----------------------------------------------------------------------------


@pytest.fixture
def facilitator(room, auth, make_user):
    user = make_user("facilitator")
    group = room["groups"][0]
    group.facilitator_id = user.id
    _db.session.commit()
    auth.login(user)
    return user


def test_facilitator_follows_only_the_assigned_mesa(room, socket_client, facilitator, open_kinds):
    sio = socket_client()
    ack = sio.emit("facilitate_group", {"group_id": room["groups"][0].id}, callback=True)
    assert ack["ok"]
    assert [t["number"] for t in ack["state"]["tables"]] == [1, 2]
    assert ack["state"]["tables"][0]["progress"]["needs"] == 0
    other = sio.emit("facilitate_group", {"group_id": room["groups"][1].id}, callback=True)
    assert other["ok"] is False and "otra persona" in other["error"]


def test_facilitator_moderation_hide_merge_fix_is_broadcast(
    room, socket_client, facilitator, open_kinds
):
    leader_a, leader_b = phone(socket_client, "AAAA22"), phone(socket_client, "BBBB33")
    first, duplicate = need("Acceso a crédito"), need("Acceso al credito")
    leader_a.emit("submit_piece", first, callback=True)
    leader_b.emit("submit_piece", duplicate, callback=True)
    staff = socket_client()
    staff.emit("facilitate_group", {"group_id": room["groups"][0].id}, callback=True)
    leader_a.get_received(), leader_b.get_received(), staff.get_received()

    ack = staff.emit("fix_piece", {"id": first["id"], "text": "Acceso al crédito"}, callback=True)
    assert ack["ok"] and ack["piece"]["text"] == "Acceso al crédito"
    assert [p["text"] for p in received(leader_a, "piece_saved")] == ["Acceso al crédito"]

    ack = staff.emit("merge_piece", {"id": duplicate["id"], "into_id": first["id"]}, callback=True)
    assert ack["ok"] and ack["piece"]["hidden"] is True
    assert [p["hidden"] for p in received(leader_b, "piece_saved")] == [True]
    assert [p["id"] for p in received(staff, "piece_saved")] == [first["id"], duplicate["id"]]

    ack = staff.emit("hide_piece", {"id": duplicate["id"], "hidden": False}, callback=True)
    assert ack["ok"] and ack["piece"]["hidden"] is False
    assert _db.session.get(Piece, duplicate["id"]).hidden is False

    from assembly.puzzle.services import piece_history

    history = piece_history(first["id"])
    assert [(v.text, v.reason) for v in history] == [
        ("Acceso a crédito", "Corrección de la facilitación")
    ]
    assert history[0].changed_by_id == facilitator.id
    empty = staff.emit("fix_piece", {"id": first["id"], "text": "   "}, callback=True)
    assert empty["ok"] is False and _db.session.get(Piece, first["id"]).text == "Acceso al crédito"


def test_facilitator_cannot_moderate_another_mesa(room, socket_client, facilitator, open_kinds):
    leader_c = phone(socket_client, "CCCC44")
    theirs = need("Mesa dos")
    leader_c.emit("submit_piece", theirs, callback=True)
    staff = socket_client()
    for event, data in (
        ("hide_piece", {"id": theirs["id"]}),
        ("fix_piece", {"id": theirs["id"], "text": "Cambiado"}),
        ("nudge", {"table_id": room["tables"]["C"].id}),
        ("set_group_spokesperson", {"group_id": room["groups"][1].id, "attendee_id": 1}),
    ):
        ack = staff.emit(event, data, callback=True)
        assert ack["ok"] is False, event
    stored = _db.session.get(Piece, theirs["id"])
    assert stored.text == "Mesa dos" and stored.hidden is False


def test_nudge_reaches_only_that_tables_phones(room, socket_client, facilitator, open_kinds):
    leader_a, leader_b = phone(socket_client, "AAAA22"), phone(socket_client, "BBBB33")
    staff = socket_client()
    ack = staff.emit(
        "nudge", {"table_id": room["tables"]["B"].id, "message": "¿Cómo van?"}, callback=True
    )
    assert ack["ok"]
    assert received(leader_b, "nudged") == [
        {
            "table_id": room["tables"]["B"].id,
            "message": "¿Cómo van?",
            "from": facilitator.display_name,
            "rev": 1,
            "room": f"table:{room['tables']['B'].id}",
            "seq": 1,
        }
    ]
    assert received(leader_a, "nudged") == []


def test_group_spokesperson_is_recorded_by_the_facilitator(
    room, socket_client, facilitator, open_kinds
):
    staff = socket_client()
    group = room["groups"][0]
    staff.emit("facilitate_group", {"group_id": group.id}, callback=True)
    staff.get_received()
    person = room["people"]["B"][1]
    ack = staff.emit(
        "set_group_spokesperson", {"group_id": group.id, "attendee_id": person.id}, callback=True
    )
    assert ack["ok"] and ack["group"]["spokesperson"]["id"] == person.id
    assert received(staff, "group_changed")[0]["spokesperson"]["name"] == person.full_name
    outsider = room["people"]["C"][0]
    ack = staff.emit(
        "set_group_spokesperson", {"group_id": group.id, "attendee_id": outsider.id}, callback=True
    )
    assert ack["ok"] is False
    assert _db.session.get(Group, group.id).spokesperson_id == person.id


def test_admin_may_facilitate_any_mesa_but_an_organizer_may_not(
    room, socket_client, auth, open_kinds
):
    auth.login("organizer")
    ack = socket_client().emit(
        "facilitate_group", {"group_id": room["groups"][1].id}, callback=True
    )
    assert ack["ok"] is False
    auth.logout()
    auth.login("admin")
    ack = socket_client().emit(
        "facilitate_group", {"group_id": room["groups"][1].id}, callback=True
    )
    assert ack["ok"]


# --- pages ----------------------------------------------------------------------------------


def test_table_page_and_code_entry(room, client, open_kinds):
    page = client.get("/mesa/aaaa22")
    assert page.status_code == 302 and page.headers["Location"].endswith("/mesa/AAAA22")
    page = client.get("/mesa/AAAA22")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert room["groups"][0].theme.title in html and "table.js" in html
    assert client.get("/mesa").status_code == 200
    found = client.get("/mesa?code=%20bbbb33%20")
    assert found.status_code == 302 and found.headers["Location"].endswith("/mesa/BBBB33")
    wrong = client.get("/mesa?code=XYZ")
    assert wrong.status_code == 404
    assert "No encontramos una mesa con el código «XYZ»" in wrong.get_data(as_text=True)
    assert client.get("/mesa/NOPE").status_code == 404


def test_facilitator_page_only_for_the_assigned_mesa(room, client, facilitator, open_kinds):
    assembly = room["assembly"]
    mine = client.get(f"/assemblies/{assembly.id}/groups/{room['groups'][0].id}/facilitate")
    assert mine.status_code == 200 and "facilitate.js" in mine.get_data(as_text=True)
    other = client.get(f"/assemblies/{assembly.id}/groups/{room['groups'][1].id}/facilitate")
    assert other.status_code == 302 and other.headers["Location"].endswith(
        f"/assemblies/{assembly.id}/facilitate"
    )
    mine_only = client.get(f"/assemblies/{assembly.id}/facilitate")
    assert mine_only.headers["Location"].endswith(f"/groups/{room['groups'][0].id}/facilitate")


def test_facilitate_index_lists_every_mesa_for_a_moderator(room, client, auth):
    auth.login("moderator")
    page = client.get(f"/assemblies/{room['assembly'].id}/facilitate")
    assert page.status_code == 200
    for group in room["groups"]:
        assert f"/groups/{group.id}/facilitate" in page.get_data(as_text=True)


def test_an_approved_agenda_is_frozen_for_phones_and_facilitators(
    room, socket_client, open_kinds, facilitator
):
    from assembly.board import services as board

    leader = phone(socket_client, "AAAA22")
    first = need()
    assert leader.emit("submit_piece", first, callback=True)["ok"]
    board.set_headcount(None, room["assembly"].id, "40", "Conteo en la sala")  # 33 hands fit
    board.record_hands(
        None, room["assembly"].id, room["groups"][0].id, {"for": 30, "against": 2, "abstain": 1}
    )
    _db.session.commit()
    frozen = "La plenaria ya aprobó la agenda de esta mesa: sus piezas no se pueden cambiar."
    for event, payload in (
        ("submit_piece", need("Otra necesidad")),
        ("edit_piece", {**first, "text": "Texto cambiado después de aprobar"}),
        ("delete_piece", {"id": first["id"]}),
    ):
        ack = leader.emit(event, payload, callback=True)
        assert ack == {
            "ok": False,
            "error": frozen,
            "code": "frozen",
            "retry": False,
            "fields": {},
        }, event
    piece = _db.session.get(Piece, first["id"])
    _db.session.refresh(piece)
    assert piece.text == first["text"] and stored_count() == 1
    # the resend of an acknowledged piece still answers with the stored piece
    assert leader.emit("submit_piece", first, callback=True)["ok"]
    staff = socket_client()
    for event, payload in (
        ("fix_piece", {"id": first["id"], "text": "Corrección tardía"}),
        ("hide_piece", {"id": first["id"], "hidden": True}),
    ):
        assert staff.emit(event, payload, callback=True)["error"] == frozen, event
    # a table of another mesa goes on working
    other = phone(socket_client, "CCCC44")
    assert other.emit("submit_piece", need(), callback=True)["ok"]
