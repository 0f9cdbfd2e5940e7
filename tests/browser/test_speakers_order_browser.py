"""The console sends the speakers list's commands one after the other (console.js): the server
runs a socket's events side by side, so «Dar la palabra al siguiente» clicked while «Agregar a
la lista» was still on its way could run first, on an empty list (the speakers browser test
failed so on PostgreSQL). Playwright holds the «add» frame until «next» has been clicked."""

import time

from tests.browser.conftest import LAPTOP, log_in, start_a_talk, wait_for_clock


class HoldAdd:
    """Route the console's websocket through the test; keep its first «add» command until
    ``release()``. ``sent`` lists the speakers commands the server got, in order."""

    def __init__(self):
        self.held = None
        self.server = None
        self.sent = []

    def __call__(self, ws):
        server = ws.connect_to_server()

        def from_page(message):
            if isinstance(message, str) and '"speakers_command"' in message:
                action = "add" if '"action":"add"' in message else "other"
                if action == "add" and self.held is None:
                    self.held, self.server = message, server
                    return
                self.sent.append(action)
            server.send(message)

        ws.on_message(from_page)

    def release(self):
        self.sent.append("add")
        self.server.send(self.held)


def _deliver_until(page, condition, timeout: float = 10.0) -> None:
    """Let Playwright deliver the route's frames (each call into it does) until ``condition``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the frame never reached the route"
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 10))")


def test_the_floor_given_right_after_adding_a_turn_goes_to_that_turn(
    new_page, make_user, make_assembly
):
    moderator, assembly = start_a_talk(make_user, make_assembly)

    console = new_page(LAPTOP)
    log_in(console, moderator)
    hold = HoldAdd()
    console.route_web_socket("**/socket.io/**", hold)
    console.goto(f"/assemblies/{assembly.id}/console")
    wait_for_clock(console)  # connected first (on a loaded machine the click could come first)
    box = console.locator("[data-speakers]")
    box.get_by_label("Nombre").fill("Asociación Río Arauca")
    box.get_by_role("button", name="Agregar a la lista").click()
    box.get_by_role("button", name="Dar la palabra al siguiente").click()
    # The frames reach this test's route handler as Playwright delivers them, in no fixed order
    # against an evaluate's answer (one turn of the page's loop was not enough on PostgreSQL):
    # pump the connection until «add» is held, then a few more turns for a «next» sent early.
    _deliver_until(console, lambda: hold.held is not None)
    for _ in range(5):
        console.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")
    assert hold.sent == []  # «next» waits for «add»'s answer
    hold.release()
    box.locator("[data-speaker-current]", has_text="Asociación Río Arauca").wait_for()
    assert hold.sent == ["add", "other"]
