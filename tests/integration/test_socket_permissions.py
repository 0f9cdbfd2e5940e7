"""Walk every registered Socket.IO event with every credential, as the route walk does for
HTTP: refused (``forbidden``) where the credential holds no right to it, never refused for
permission where it does, never a 500. A new event fails here until it is listed in RIGHTS.

"foreign" credentials belong to ANOTHER assembly (a facilitator of another mesa, staff held to
another assembly): they must be refused on this one.
"""

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from assembly.core.sockets import EVENTS
from assembly.extensions import socketio
from tests.conftest import TEST_PASSWORD

STAFF = ("admin", "organizer", "facilitator", "moderator", "supervisor")
EVERY_STAFF = set(STAFF)
FOLLOWERS = EVERY_STAFF | {"phone", "ticket", "board"}
FACILITATION = {"admin", "facilitator", "moderator"}
PLENARY = {"admin", "moderator"}

#: event -> the credentials that may use it on this assembly (every other one is refused)
RIGHTS: dict[str, set[str]] = {
    "join_assembly": EVERY_STAFF,
    "join_desk": {"admin", "organizer"},
    "follow_group": {"admin", "organizer", "facilitator", "moderator"},
    "join_table": {"phone"},
    "submit_piece": {"phone"},
    "edit_piece": {"phone"},
    "delete_piece": {"phone"},
    "set_spokesperson": {"phone"},
    "facilitate_group": FACILITATION,
    "hide_piece": FACILITATION,
    "merge_piece": FACILITATION,
    "fix_piece": FACILITATION,
    "accept_late_piece": FACILITATION,
    "nudge": FACILITATION,
    "set_group_spokesperson": FACILITATION,
    "join_clock": FOLLOWERS,
    "clock_time": FOLLOWERS,
    "clock_control": PLENARY,
    "join_projector": PLENARY,
    "join_board": FOLLOWERS,
    "join_votes": FOLLOWERS,
    "plenary_command": PLENARY,
    "approval_command": PLENARY,
    "plenary_rules": PLENARY,
    "plenary_headcount": PLENARY,
    "speakers_command": PLENARY,
    "vote_qr": PLENARY,
    "survey_qr": PLENARY,
    "rotate_table_code": FACILITATION,  # last: it changes the table's code
}
#: credentials of the other assembly: none of them may touch this one
FOREIGN = (
    "foreign_phone",
    "foreign_ticket",
    "foreign_board",
    "foreign_facilitator",  # facilitates a mesa of the other assembly
    "foreign_organizer",  # staff held to the other assembly (AssemblyGrant)
    "foreign_moderator",
    "foreign_supervisor",
)
#: what a phone does on its OWN table (the other assembly's, for a foreign phone)
OWN_TABLE = {"join_table", "submit_piece", "delete_piece", "set_spokesperson"}


def test_every_registered_event_is_in_the_walk(app):
    assert set(EVENTS) == set(RIGHTS)


@pytest.fixture
def world(app, db, make_assembly, make_attendee, make_user):
    from assembly.grouping.models import Group, Table
    from assembly.puzzle.models import LatePiece, Piece

    here, there = make_assembly(), make_assembly()

    def seat(assembly, code):
        group = db.session.scalars(
            select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
        ).first()
        table = Table(group_id=group.id, number=1, join_code=code, capacity=20)
        db.session.add(table)
        db.session.flush()
        piece = Piece(id=str(uuid.uuid4()), table_id=table.id, kind="need", text="Crédito")
        db.session.add(piece)
        db.session.commit()
        person = make_attendee(assembly, group_id=group.id, table_id=table.id)
        return group, table, piece, person

    group, table, piece, person = seat(here, "HERE22")
    late = LatePiece(
        id=str(uuid.uuid4()),
        table_id=table.id,
        op="submit",
        kind="need",
        text="Llegó tarde",
        received_at=datetime(2026, 3, 14, 15, 0),
    )
    db.session.add(late)
    other_group, _, _, other_person = seat(there, "THERE3")
    users = {role: make_user(role) for role in STAFF}
    group.facilitator_id = users["facilitator"].id
    foreign = {
        f"foreign_{role}": make_user(role, assembly_ids=[there.id])
        for role in ("facilitator", "organizer", "moderator", "supervisor")
    }
    other_group.facilitator_id = foreign["foreign_facilitator"].id
    db.session.commit()
    return {
        "assembly": here,
        "group": group,
        "table": table,
        "piece": piece,
        "late": late.id,
        "person": person,
        "users": {**users, **foreign},
        "auth": {
            "phone": {"table_code": "HERE22"},
            "ticket": {"ticket": person.ticket_token},
            "board": {"board": here.board_token},
            "foreign_phone": {"table_code": "THERE3"},
            "foreign_ticket": {"ticket": other_person.ticket_token},
            "foreign_board": {"board": there.board_token},
        },
    }


def _payload(name: str, world: dict) -> dict:
    a, g, t, p = world["assembly"].id, world["group"].id, world["table"].id, world["piece"].id
    return {
        "join_assembly": {"assembly_id": a},
        "join_desk": {"assembly_id": a},
        "follow_group": {"assembly_id": a, "group_id": g},
        "join_table": {},
        "submit_piece": {"id": "00000000-0000-4000-8000-000000000000", "kind": "?", "text": ""},
        "edit_piece": {"id": p, "text": "Crédito blando"},
        "delete_piece": {"id": "no-such-piece"},
        "set_spokesperson": {"name": ""},
        "facilitate_group": {"group_id": g},
        "hide_piece": {"id": p, "hidden": False},
        "merge_piece": {"id": p, "into_id": p},
        "fix_piece": {"id": p, "text": "Crédito"},
        "accept_late_piece": {"id": world["late"]},
        "nudge": {"table_id": t, "message": "¿Cómo van?"},
        "set_group_spokesperson": {"group_id": g, "attendee_id": None},
        "join_clock": {"assembly_id": a},
        "clock_time": {"assembly_id": a},
        "clock_control": {"assembly_id": a, "action": "no-such-action"},
        "join_projector": {"assembly_id": a},
        "join_board": {"assembly_id": a},
        "join_votes": {"assembly_id": a},
        "plenary_command": {"assembly_id": a, "action": "no-such-action"},
        "approval_command": {"assembly_id": a, "action": "no-such-action", "group_id": g},
        "plenary_rules": {"assembly_id": a, "quorum_kind": "?"},
        "plenary_headcount": {"assembly_id": a, "headcount": "x"},
        "speakers_command": {"assembly_id": a, "action": "no-such-action"},
        "vote_qr": {"assembly_id": a, "shown": False},
        "survey_qr": {"assembly_id": a, "shown": False},
        "rotate_table_code": {"table_id": t},
    }[name]


def _socket(app, world, credential):
    client = app.test_client()
    user = world["users"].get(credential)
    if user is not None:
        response = client.post(
            "/login", data={"username": user.username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302
        return socketio.test_client(app, flask_test_client=client)
    return socketio.test_client(app, flask_test_client=client, auth=world["auth"][credential])


@pytest.mark.parametrize("credential", [*STAFF, "phone", "ticket", "board", *FOREIGN])
def test_every_event_answers_each_credential_by_its_rights(app, world, credential):
    sio = _socket(app, world, credential)
    assert sio.is_connected(), credential
    wrong = []
    try:
        for name in RIGHTS:
            ack = sio.emit(name, _payload(name, world), callback=True)
            assert isinstance(ack, dict), (name, ack)
            assert ack.get("code") != "internal", (credential, name, ack)
            if credential in FOREIGN:
                # anything of this assembly: refused, whatever the reason given
                if not (credential == "foreign_phone" and name in OWN_TABLE) and ack["ok"]:
                    wrong.append((name, "succeeded", ack))
                continue
            allowed = credential in RIGHTS[name]
            refused = ack["ok"] is False and ack["code"] == "forbidden"
            if allowed == refused:
                wrong.append((name, "allowed" if allowed else "refused", ack))
    finally:
        sio.disconnect()
    assert wrong == [], f"{credential}: {wrong}"
