"""What a stranger in the room can reach without an account: the public board by its token
only, with visible pieces only, and only while it is on."""

import pytest
from sqlalchemy import select

from assembly.assemblies.realtime import broadcasting
from assembly.extensions import db, socketio
from assembly.puzzle import broadcasts as puzzle_broadcasts
from assembly.puzzle.models import Piece
from tests.support.board_seed import seed_pieces


@pytest.fixture
def board(make_assembly):
    assembly = make_assembly()
    pieces = seed_pieces(assembly, 4, per_group=2)
    return assembly, pieces


def _board_socket(app, value):
    return socketio.test_client(app, auth={"board": value})


def test_the_public_board_opens_by_its_token_not_by_the_assembly_number(app, board, client):
    assembly, _ = board
    assert len(assembly.board_token) >= 43  # 256 random bits
    assert client.get(f"/tablero/{assembly.board_token}").status_code == 200
    assert client.get(f"/tablero/{assembly.id}").status_code == 404
    assert not _board_socket(app, assembly.id).is_connected()
    assert not _board_socket(app, str(assembly.id)).is_connected()
    sio = _board_socket(app, assembly.board_token)
    assert sio.is_connected()
    assert sio.emit("join_board", {"assembly_id": assembly.id}, callback=True)["ok"]
    sio.disconnect()


def test_the_board_room_gets_a_hidden_piece_without_its_text(app, board, auth, socket_client):
    assembly, pieces = board
    public = _board_socket(app, assembly.board_token)
    public.emit("join_board", {"assembly_id": assembly.id}, callback=True)
    public.get_received()
    auth.login("moderator")
    facilitator = socket_client()
    group_id = pieces[0].table.group_id
    facilitator.emit("facilitate_group", {"group_id": group_id}, callback=True)
    facilitator.get_received()
    ack = facilitator.emit("hide_piece", {"id": pieces[0].id, "hidden": True}, callback=True)
    assert ack["ok"], ack
    # the need, then its solution and plan, which go with it (issue 14.4): no text of any
    seen = [e["args"][0] for e in public.get_received() if e["name"] == "piece_saved"]
    assert [p["id"] for p in seen] == [p.id for p in pieces[:3]]
    assert seen[0]["hidden"] is True and [p["shown"] for p in seen] == [False] * 3
    assert all(
        "text" not in p and piece.text not in str(p) for p, piece in zip(seen, pieces, strict=False)
    )
    # the facilitator's room still gets the whole pieces (to show them again)
    full = [e["args"][0] for e in facilitator.get_received() if e["name"] == "piece_saved"]
    assert [p["text"] for p in full] == [p.text for p in pieces[:3]]
    # a visible piece reaches the board whole, and the snapshot never lists hidden ones
    with broadcasting() as out:
        out.add(puzzle_broadcasts.piece_saved(pieces[3]))
    (shown,) = [e["args"][0] for e in public.get_received() if e["name"] == "piece_saved"]
    assert shown["text"] == pieces[3].text
    state = public.emit("join_board", {"assembly_id": assembly.id}, callback=True)["state"]
    assert {p["id"] for p in state["pieces"]} == {pieces[3].id}
    public.disconnect()


def test_the_public_board_can_be_turned_off_and_readdressed(app, board, auth, client):
    assembly, _ = board
    old = assembly.board_token
    auth.login("admin")
    client.post(f"/assemblies/{assembly.id}/public-board", data={"action": "off"})
    db.session.expire_all()
    assert assembly.public_board is False
    auth.logout()
    assert client.get(f"/tablero/{old}").status_code == 404
    assert not _board_socket(app, old).is_connected()
    auth.login("admin")
    page = client.post(
        f"/assemblies/{assembly.id}/public-board", data={"action": "new"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "dirección nueva" in page
    db.session.expire_all()
    assert assembly.public_board is True and assembly.board_token != old
    assert client.get(f"/tablero/{old}").status_code == 404
    assert client.get(f"/tablero/{assembly.board_token}").status_code == 200
    bad = client.post(f"/assemblies/{assembly.id}/public-board", data={"action": "x"})
    assert bad.status_code == 422


def test_only_admins_switch_the_public_board(board, auth, client):
    assembly, _ = board
    auth.login("moderator")
    response = client.post(f"/assemblies/{assembly.id}/public-board", data={"action": "off"})
    assert response.status_code == 403
    assert db.session.scalar(select(Piece.id).limit(1)) is not None
