"""A board screen counts every numbered message of its room, also those it shows nothing for
(static/js/shared/socket.js): the moderator's voting rules reach the board's room for the
plenary console, the projected board ignores them, and the next piece must not look like a
gap (a full snapshot again, from each of 500 screens)."""

import socketio

from tests.browser.conftest import PROJECTOR
from tests.browser.test_board_browser import open_board
from tests.conftest import TEST_PASSWORD
from tests.support.board_seed import seed_pieces
from tests.support.live_server import Browserless


def test_a_message_the_board_does_not_show_makes_no_gap(
    new_page, make_user, make_assembly, live_server
):
    moderator = make_user("moderator")
    assembly = make_assembly()
    need = seed_pieces(assembly, 3)[0]
    page = new_page(PROJECTOR)
    joins = []
    rules = []

    def watch(ws):
        ws.on("framesent", lambda frame: '"join_board"' in str(frame) and joins.append(frame))
        ws.on("framereceived", lambda frame: '"rules_changed"' in str(frame) and rules.append(1))

    page.on("websocket", watch)
    open_board(page, assembly, 3, path=f"/tablero/{assembly.board_token}")
    assert len(joins) == 1

    staff = Browserless(live_server.url)
    staff.login(moderator.username, TEST_PASSWORD)
    console = socketio.Client(reconnection=False)
    console.connect(
        live_server.url, headers={"Cookie": staff.cookie_header()}, transports=["websocket"]
    )
    try:
        ack = console.call(
            "plenary_rules",
            {"assembly_id": assembly.id, "quorum_kind": "share", "quorum_value": "50"},
            timeout=10,
        )
        assert ack["ok"], ack
    finally:
        console.disconnect()
    # the room's next message: applied at once, no second join
    staff.post_form(
        f"/assemblies/{assembly.id}/piezas/{need.id}/enmendar",
        {"text": "Crédito sin codeudor para la economía popular", "reason": "x"},
    )
    page.locator(f".board-stage [data-piece-id='{need.id}']").get_by_text(
        "Crédito sin codeudor"
    ).wait_for()
    assert rules == [1]  # the board's socket did get the rules (for the console)
    assert len(joins) == 1
