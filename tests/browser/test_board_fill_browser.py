"""The live board uses the whole screen (issue 14.1): with 5, 40 and 150 pieces at 1920×1080 and
1280×720 every page of the rotation leaves little of the stage empty — mesas that stay legible
together share a page (40 pieces: two mesas a page, not one mesa and an empty half), a mesa
too big for one page is cut into slices, and the rows grow to fill their
mesa's field — while no text is under the floor (28 px at 1080, 20 px at 720) or cut, and the
rotation's «Mesa 1 de 5» / «Mesas 1–2 de 5» line names what is on screen.

Empty: the share of the stage, sampled every 8 px, that no piece, sub-mesa label or mesa title
covers. Thresholds (measured on this layout, stated honestly): with 40 and 150 pieces the mean
over the rotation's pages under 25 % and every page under 35 % at both sizes. At 1920×1080:
12–22 % at 40 (two mesas a page); 6–10 % at 150 (slices of a mesa, each grown). At 1280×720
two mesas side by side would give 88 px rows, under the sharing bar of 1.4 × the 66 px least
legible row, so one mesa a page — and its three sub-mesas of one chain stack the whole width
(pieces of 410 × 94 px, a fifth more text each than two block columns of 203 × 152 px with an
empty quarter under the second): 12 % on most pages, 26 % on the one whose third sub-mesa has
a need still alone; 7–11 % at 150. Before the wider columns the 720 board left 35 % on most
pages and 45 % on that one (mean 35 %). With 5 pieces (two chains, one still without its plan)
under 35 % at both sizes (measured 24–26 %). Before (one mesa a page, rows capped by the
pieces' proportion) 40 pieces left about 60 % of the stage empty at both sizes."""

import pytest

from tests.browser.conftest import PROJECTOR, log_in, screenshot, still_board, wait_for_animations
from tests.browser.test_board_browser import GEOMETRY, SHOWN
from tests.support.board_measure import CLIPPED, CUT_MID_WORD, MIN_FONT
from tests.support.board_seed import seed_pieces

# heavy: the board measured at several projector sizes and piece counts (the slow run, once)
pytestmark = pytest.mark.slow

SMALL_PROJECTOR = {"width": 1280, "height": 720}

EMPTY = """
() => {
  const stage = document.querySelector('.board-stage').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.board-stage .piece, .board-stage .table-label, .board-stage .region-head')]
    .map((n) => n.getBoundingClientRect());
  let covered = 0, total = 0;
  for (let y = stage.top + 4; y < stage.bottom; y += 8) {
    for (let x = stage.left + 4; x < stage.right; x += 8) {
      total += 1;
      if (boxes.some((r) => x >= r.left && x < r.right && y >= r.top && y < r.bottom)) covered += 1;
    }
  }
  return 1 - covered / total;
}
"""

#: what the page on screen holds: its mesas' ids and the rotation's line
ON_SCREEN = """
() => ({ page: window.asambleaBoard.page().groups.map((g) => g.id),
         pages: window.asambleaBoard.pages().length,
         line: document.querySelector('[data-page]').hidden ? '' : document.querySelector('[data-page]').textContent })
"""


@pytest.mark.parametrize("count", [5, 40, 150])
def test_the_live_board_fills_the_screen(count, new_page, make_user, make_assembly):
    moderator = make_user("moderator")
    assembly = make_assembly()
    seed_pieces(assembly, count)
    results = {}
    for name, viewport, smallest in (
        ("projector", PROJECTOR, 28),
        ("projector720", SMALL_PROJECTOR, 20),
    ):
        page = new_page(viewport)
        log_in(page, moderator)
        page.goto(still_board(assembly.id))  # the test turns the pages
        page.wait_for_function(SHOWN, arg=count)
        wait_for_animations(page)
        first = page.evaluate(ON_SCREEN)
        empties, seen = [], []
        for index in range(first["pages"]):
            if index:
                before = page.evaluate(ON_SCREEN)
                page.evaluate("window.asambleaBoard.turnPage(1)")
                page.wait_for_function(
                    "(before) => JSON.stringify(window.asambleaBoard.page().groups.map((g) => g.id))"
                    " + document.querySelector('[data-page]').textContent !== before",
                    arg=str(before["page"]).replace(" ", "") + before["line"],
                )
                page.wait_for_function(
                    "() => !window.asambleaBoard.fitsPending()"
                    " && document.querySelectorAll('.board-stage .piece').length > 0"
                )
                wait_for_animations(page)
            screenshot(page, f"board-fill{count}-{name}-page{index + 1}")
            shown = page.evaluate(ON_SCREEN)
            seen.append(shown)
            empties.append(page.evaluate(EMPTY))
            assert page.evaluate(GEOMETRY) == []
            assert page.evaluate(CLIPPED) == []
            assert page.evaluate(CUT_MID_WORD) == []
            assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)
        results[name] = (empties, seen)
        print(name, count, [round(e, 3) for e in empties], seen)
        # the rotation names what is on screen
        for shown in seen:
            if shown["pages"] > 1 and len(shown["page"]) > 1:
                assert shown["line"].startswith("Mesas "), shown
            elif shown["pages"] > 1:
                assert shown["line"].startswith("Mesa "), shown
        if count == 5:
            assert len(seen) == 1 and max(empties) < 0.35, empties
        else:
            assert max(empties) < 0.35 and sum(empties) / len(empties) < 0.25, (name, empties)
        if count == 40 and name == "projector":  # two mesas a page, not one mesa a page
            assert first["pages"] < 5 and len(first["page"]) > 1, first
