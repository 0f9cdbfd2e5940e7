"""The survey's QR on the projected board (issue 19.4): a corner of its own while the survey
is open, beside the pieces (never over one) at 1920x1080 and 1280x720, readable from the hall;
it appears and goes live when the moderator opens and closes the survey."""

import pytest

from assembly.extensions import db
from assembly.followup import survey
from tests.browser.conftest import (
    LAPTOP,
    PROJECTOR,
    log_in,
    screenshot,
    wait_for_animations,
    wait_for_plenary_console,
)
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


# --- issue 19: the QR full height, and the survey's corner beside an open phone vote ---------

#: a QR shown full height: its box, inside the window, and the text beside it
BIG = """
(selector) => {
  const node = document.querySelector(selector);
  const box = node.getBoundingClientRect();
  const qr = node.querySelector('.qr-code').getBoundingClientRect();
  const texts = [...node.querySelectorAll('h2, p, strong, .vote-qr-more, .qr-url, .board-survey-short')]
    .filter((n) => n.checkVisibility() && n.textContent.trim());
  return {
    qrHeight: Math.min(qr.width, qr.height),
    inside: qr.left >= 0 && qr.top >= 0 && qr.right <= innerWidth + 0.5 && qr.bottom <= innerHeight + 0.5
      && box.right <= innerWidth + 0.5 && box.bottom <= innerHeight + 0.5,
    covers: box.width >= innerWidth - 1 && box.height >= innerHeight - 1,
    box: [box.left, box.top, box.width, box.height, innerWidth, innerHeight],
    minFont: Math.min(...texts.map((n) => parseFloat(getComputedStyle(n).fontSize))),
    text: node.innerText,
    clipped: texts.filter((n) => n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).display !== 'inline')
      .map((n) => n.className),
  };
}
"""

#: the survey's corner and the vote's QR side by side: both boxes, their overlaps
SHARED = """
() => {
  const box = (n) => n.getBoundingClientRect();
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const inside = (r) => r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
  const survey = document.querySelector('[data-board-survey]');
  const vote = document.querySelector('[data-vote-qr]');
  const others = [...document.querySelectorAll('.board-stage .region, .board-stage .piece, .board-head, .board-progress, .board-vote, .board-foot > *')];
  const hits = (node) => others.filter((o) => overlap(box(o), box(node))).map((o) => o.className);
  const qr = (node) => { const r = box(node.querySelector('.qr-code')); return Math.min(r.width, r.height); };
  return {
    apart: !overlap(box(survey), box(vote)),
    inside: inside(box(survey)) && inside(box(vote)),
    surveyQr: qr(survey), voteQr: qr(vote),
    surveyHits: hits(survey), voteHits: hits(vote),
    visible: survey.checkVisibility() && vote.checkVisibility(),
  };
}
"""


def _open_phone_vote(assembly):
    from assembly.board import services as board

    board.open_vote(None, assembly.id, board.board_groups(assembly.id)[0].id)
    db.session.commit()


def _board(new_page, user, assembly, size):
    page = new_page(size)
    log_in(page, user)
    page.goto(f"/assemblies/{assembly.id}/board")
    page.locator("[data-board-survey][data-live=joined]").wait_for(state="attached")
    page.wait_for_function(SHOWN, arg=30)
    wait_for_animations(page)
    return page


@pytest.mark.parametrize("size", [PROJECTOR, SMALL_PROJECTOR], ids=["1920x1080", "1280x720"])
def test_the_moderator_shows_the_survey_qr_full_height_for_the_back_of_the_hall(
    new_page, make_user, plenary, size
):
    survey.open_survey(None, plenary.id)
    db.session.commit()
    moderator = make_user("moderator")
    board = _board(new_page, moderator, plenary, size)
    console = new_page(LAPTOP)
    log_in(console, moderator)
    console.goto(f"/assemblies/{plenary.id}/plenaria")
    panel = console.locator(".console-survey [data-survey-console][data-live=joined]")
    panel.wait_for()
    console.get_by_role("button", name="Mostrar QR en grande").click()
    console.locator(".console-survey [data-survey-console][data-qr-big=true]").wait_for()
    board.locator("[data-board-survey].is-big").wait_for()
    big = board.evaluate(BIG, "[data-board-survey]")
    assert big["qrHeight"] >= 0.8 * size["height"] and big["inside"] and big["covers"], big
    assert big["minFont"] >= (28 if size["height"] == 1080 else 20) - 0.5, big
    assert big["clipped"] == [], big
    assert f"/encuesta/asamblea/{plenary.id}" in big["text"] and "5 preguntas" in big["text"]
    assert "://" not in big["text"]  # the short address, as a phone types it
    screenshot(board, f"board-survey-qr-big-{size['width']}")

    # a reloaded board screen keeps it (the board's snapshot); «Ocultar» puts it back
    board.reload()
    board.locator("[data-board-survey].is-big").wait_for()
    console.get_by_role("button", name="Ocultar el QR grande").click()
    board.locator("[data-board-survey]:not(.is-big)").wait_for()
    assert board.evaluate(CORNER)["qr"] < 0.5 * size["height"]


def test_the_big_survey_qr_closes_with_the_survey(new_page, make_user, plenary):
    survey.open_survey(None, plenary.id)
    db.session.commit()
    moderator = make_user("moderator")
    board = _board(new_page, moderator, plenary, PROJECTOR)
    console = new_page(LAPTOP)
    log_in(console, moderator)
    console.goto(f"/assemblies/{plenary.id}/encuesta")
    console.locator("[data-survey-console][data-live=joined]").wait_for()
    console.get_by_role("button", name="Mostrar QR en grande").click()
    board.locator("[data-board-survey].is-big").wait_for()
    console.get_by_role("button", name="Cerrar la encuesta").click()
    console.wait_for_url(f"**/assemblies/{plenary.id}/encuesta")
    board.locator("[data-board-survey]").wait_for(state="hidden")
    assert board.locator(".is-big").count() == 0
    # opened again, the QR is back in its corner (not big)
    console.get_by_role("button", name="Abrir de nuevo").click()
    console.wait_for_url(f"**/assemblies/{plenary.id}/encuesta")
    board.locator("[data-board-survey]").wait_for(state="visible")
    assert board.locator(".is-big").count() == 0
    console.locator("[data-survey-console][data-qr-big=false] [data-survey-qr]").wait_for()


@pytest.mark.parametrize("size", [PROJECTOR, SMALL_PROJECTOR], ids=["1920x1080", "1280x720"])
def test_a_phone_vote_and_the_survey_share_the_column_without_covering_each_other(
    new_page, make_user, plenary, size
):
    survey.open_survey(None, plenary.id)
    _open_phone_vote(plenary)
    board = _board(new_page, make_user("moderator"), plenary, size)
    board.locator("[data-vote-qr]").wait_for(state="visible")
    board.wait_for_function(SHOWN, arg=30)  # laid out again in the narrower stage
    wait_for_animations(board)
    shared = board.evaluate(SHARED)
    screenshot(board, f"board-vote-and-survey-{size['width']}")
    assert shared["visible"] and shared["apart"] and shared["inside"], shared
    assert shared["surveyHits"] == [] and shared["voteHits"] == [], shared
    # both scannable: at least the corner's own minimum (22 % of the height)
    assert min(shared["surveyQr"], shared["voteQr"]) >= 0.22 * size["height"], shared


def test_the_moderator_shows_the_vote_qr_full_height(new_page, make_user, plenary):
    _open_phone_vote(plenary)
    moderator = make_user("moderator")
    board = _board(new_page, moderator, plenary, PROJECTOR)
    board.locator("[data-vote-qr]").wait_for(state="visible")
    console = new_page(LAPTOP)
    log_in(console, moderator)
    console.goto(f"/assemblies/{plenary.id}/plenaria")
    wait_for_plenary_console(console)
    assert console.locator("[data-survey-qr]").is_hidden()  # the survey is not open
    console.locator("[data-group]").first.get_by_role("button", name="Mostrar QR en grande").click()
    console.locator("[data-console-status]", has_text="Hecho.").wait_for()
    board.locator("[data-vote-qr].is-big").wait_for()
    big = board.evaluate(BIG, "[data-vote-qr]")
    assert big["qrHeight"] >= 0.8 * PROJECTOR["height"] and big["inside"] and big["covers"], big
    assert big["minFont"] >= 27.5 and big["clipped"] == [], big
    assert f"/votar/{plenary.id}" in big["text"]
    screenshot(board, "board-vote-qr-big-1920")
    console.get_by_role("button", name="Cerrar la votación").click()
    board.locator("[data-vote-qr]").wait_for(state="hidden")
    assert board.locator(".is-big").count() == 0
