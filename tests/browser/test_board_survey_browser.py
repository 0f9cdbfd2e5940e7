"""The survey's QR on the projected board (issue 19.4): a corner of its own while the survey
is open, beside the pieces (never over one) at 1920x1080 and 1280x720, readable from the hall;
it appears and goes live when the moderator opens and closes the survey."""

import pytest

from assembly.extensions import db
from assembly.followup import survey
from tests.browser.conftest import LAPTOP, PROJECTOR, log_in, screenshot, wait_for_animations
from tests.browser.test_board_browser import GEOMETRY, SHOWN
from tests.support.board_seed import seed_pieces

SMALL_PROJECTOR = {"width": 1280, "height": 720}

#: the corner on screen, inside the window, clear of every mesa and piece; its sizes
CORNER = """
() => {
  const corner = document.querySelector('[data-board-survey]');
  const box = corner.getBoundingClientRect();
  const hits = [];
  for (const node of document.querySelectorAll('.board-stage .region, .board-stage .piece, .board-head, .board-foot, .board-progress')) {
    const r = node.getBoundingClientRect();
    const w = Math.min(r.right, box.right) - Math.max(r.left, box.left);
    const h = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top);
    if (w > 0.5 && h > 0.5) hits.push(node.className);
  }
  const fonts = [...corner.querySelectorAll('h2, p')].map((n) => parseFloat(getComputedStyle(n).fontSize));
  const qr = corner.querySelector('.qr-code').getBoundingClientRect();
  return {
    hits,
    inside: box.left >= 0 && box.top >= 0 && box.right <= innerWidth + 0.5 && box.bottom <= innerHeight + 0.5,
    qr: Math.min(qr.width, qr.height),
    minFont: Math.min(...fonts),
    url: corner.querySelector('.qr-url').textContent,
  };
}
"""


@pytest.fixture
def plenary(make_assembly):
    assembly = make_assembly(name="Asamblea Regional PIT Arauca")
    seed_pieces(assembly, 30)
    db.session.commit()
    return assembly


@pytest.mark.parametrize("size", [PROJECTOR, SMALL_PROJECTOR], ids=["1920x1080", "1280x720"])
def test_the_open_survey_has_its_qr_in_a_corner_beside_the_pieces(
    new_page, make_user, plenary, size
):
    survey.open_survey(None, plenary.id)
    db.session.commit()
    page = new_page(size)
    log_in(page, make_user("moderator"))
    page.goto(f"/assemblies/{plenary.id}/board")
    page.locator("[data-board-survey][data-live=joined]").wait_for()
    page.wait_for_function(SHOWN, arg=30)
    wait_for_animations(page)  # the pieces' entry animation
    assert page.locator("[data-board-survey]").is_visible()
    corner = page.evaluate(CORNER)
    assert corner["hits"] == [] and corner["inside"], corner
    assert corner["qr"] >= 0.22 * size["height"], corner  # ~240 px at 720, ~360 at 1080
    assert corner["minFont"] >= (28 if size["height"] == 1080 else 20) - 0.5, corner
    assert f"/encuesta/asamblea/{plenary.id}" in corner["url"]
    assert "127.0.0.1" not in corner["url"] and "localhost" not in corner["url"]
    assert page.evaluate(GEOMETRY) == []  # the pieces were laid out in the narrower stage
    screenshot(page, f"board-survey-qr-{size['width']}")


def test_the_corner_follows_the_moderator_opening_and_closing_the_survey(
    new_page, make_user, plenary
):
    moderator = make_user("moderator")
    board = new_page(PROJECTOR)
    log_in(board, moderator)
    board.goto(f"/assemblies/{plenary.id}/board")
    board.locator("[data-board-survey][data-live=joined]").wait_for(state="attached")
    board.wait_for_function(SHOWN, arg=30)
    assert board.locator("[data-board-survey]").is_hidden()
    stage_before = board.evaluate("document.querySelector('[data-stage]').clientWidth")

    console = new_page(LAPTOP)
    log_in(console, moderator)
    console.goto(f"/assemblies/{plenary.id}/encuesta")
    console.get_by_role("button", name="Abrir la encuesta").click()
    console.wait_for_url(f"**/assemblies/{plenary.id}/encuesta")
    board.locator("[data-board-survey]").wait_for(state="visible")
    # the stage gave the corner its column and the board laid the pieces out again
    board.wait_for_function(
        "(before) => document.querySelector('[data-stage]').clientWidth < before - 100",
        arg=stage_before,
    )
    board.wait_for_function(SHOWN, arg=30)
    wait_for_animations(board)
    assert board.evaluate(CORNER)["hits"] == []

    console.get_by_role("button", name="Cerrar la encuesta").click()
    console.wait_for_url(f"**/assemblies/{plenary.id}/encuesta")
    board.locator("[data-board-survey]").wait_for(state="hidden")


def test_the_public_phone_board_has_no_survey_corner(new_page, plenary):
    survey.open_survey(None, plenary.id)
    db.session.commit()
    page = new_page(LAPTOP)
    page.goto(f"/tablero/{plenary.board_token}")
    page.locator("[data-board]").wait_for()
    assert page.locator("[data-board-survey]").count() == 0
