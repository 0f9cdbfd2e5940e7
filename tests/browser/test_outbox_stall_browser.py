"""No client waits for a reconnect that is not coming (issue 13.4, 13.8): an acknowledgement
that never arrives while the socket stays connected is asked again on the same connection —
the table phone's outbox keeps sending, the board's failed join is retried. Playwright sits
in the websocket and swallows the first frame of the command; the server never sees it."""

import threading

import pytest
from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.puzzle.models import Piece
from tests.browser.conftest import LAPTOP, PHONE, log_in
from tests.browser.test_table_browser import _go_to_step, room  # noqa: F401


class SwallowFirst:
    """Route every Socket.IO websocket through the test; drop the first page frame that
    carries ``event``. Counts the websockets opened (a reconnect would be a second one)."""

    def __init__(self, event: str):
        self.marker = f'"{event}"'
        self.sockets = 0
        self.seen = 0
        self.lock = threading.Lock()

    def __call__(self, ws):
        server = ws.connect_to_server()
        with self.lock:
            self.sockets += 1

        def from_page(message):
            if isinstance(message, str) and self.marker in message:
                with self.lock:
                    self.seen += 1
                    if self.seen == 1:
                        return  # swallowed: no answer will come for it
            server.send(message)

        ws.on_message(from_page)


@pytest.mark.slow  # a fault run: waits out the unanswered ack (~12 s)
def test_a_phone_whose_ack_never_comes_resends_on_the_same_connection(room, new_page):  # noqa: F811
    assembly, admin = room["assembly"], room["admin"]
    _go_to_step(assembly, admin, "needs")
    _db.session.rollback()
    leader = new_page(PHONE)
    swallow = SwallowFirst("submit_piece")
    leader.route_web_socket("**/socket.io/**", swallow)
    leader.goto("/mesa/MESA37")
    leader.locator(".conn[data-state=online]").wait_for()

    text = "Asistencia técnica para la comercialización del cacao"
    leader.get_by_label("Necesidad 1 de 2").fill(text)
    leader.get_by_role("button", name="Guardar", exact=True).click()
    leader.get_by_text("Pendiente de envío").first.wait_for()
    # the first answer never comes; after the timeout (10 s) the same socket asks again
    leader.wait_for_function(
        "() => !document.body.innerText.includes('Pendiente de envío')", timeout=30_000
    )
    assert swallow.seen == 2 and swallow.sockets == 1  # resent, never reconnected
    assert leader.locator(".conn[data-state=online]").is_visible()
    stored = _db.session.scalars(select(Piece).where(Piece.kind == "need")).all()
    assert [p.text for p in stored] == [text]
    _db.session.rollback()


@pytest.mark.slow  # a fault run: waits out the unanswered join (~13 s)
def test_a_board_whose_join_gets_no_answer_joins_again(new_page, make_user, make_assembly):
    admin = make_user("admin")
    assembly = make_assembly()
    _db.session.rollback()
    page = new_page(LAPTOP)
    log_in(page, admin)
    swallow = SwallowFirst("join_board")
    page.route_web_socket("**/socket.io/**", swallow)
    page.goto(f"/assemblies/{assembly.id}/board")
    page.wait_for_function(
        "() => window.asambleaBoard && window.asambleaBoard.state.groups.length > 0",
        timeout=30_000,
    )
    assert swallow.seen == 2 and swallow.sockets == 1
