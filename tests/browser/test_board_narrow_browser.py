"""The projected board on a narrow projector (issue 14.1): at 1100×1080 (a square screen, 39em
of the board's 28 px text) and at 1280×720 the header (title, assembly, what the moderator
shows, «Mesa 1 de 5 · parte 1 de 4», the clock) and the footer (legend, agreement line, QR)
take two lines each instead of squeezing a text into a column of single words: no text is cut,
overflows its box or leaves the window, and the stage keeps room for the pieces; the whole
puzzle fits the same window."""

import pytest

from assembly.board import services
from assembly.extensions import db
from tests.browser.conftest import log_in, screenshot, still_board, wait_for_animations
from tests.support.board_measure import CLIPPED, MIN_FONT
from tests.support.board_seed import seed_pieces

# heavy: the board measured at several projector sizes (the slow run, once)
pytestmark = pytest.mark.slow

NARROW = [({"width": 1100, "height": 1080}, 28), ({"width": 1280, "height": 720}, 20)]
LONG_NAME = "Asamblea Departamental de la Economía Solidaria y Popular de Arauca 2026"


def _stage_share(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.board-stage').getBoundingClientRect().height / innerHeight"
    )


def _fits_the_window(page) -> bool:
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= innerWidth
                 && document.documentElement.scrollHeight <= innerHeight"""
    )


@pytest.mark.parametrize(("viewport", "smallest"), NARROW, ids=["1100x1080", "1280x720"])
def test_header_and_footer_fit_a_narrow_projector(
    viewport, smallest, new_page, make_user, make_assembly
):
    moderator = make_user("moderator")
    assembly = make_assembly(name=LONG_NAME)
    seed_pieces(assembly, 150)
    groups = services.board_groups(assembly.id)
    # the longest mode line: a mesa's turn names its theme; 150 pieces cut it into parts
    services.plenary_command(moderator, assembly.id, "reveal", group_id=groups[0].id)
    db.session.commit()
    page = new_page(viewport)
    log_in(page, moderator)
    page.goto(still_board(assembly.id))
    page.locator("[data-page]", has_text="parte 1 de").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.board-stage .piece').length > 0"
        " && !window.asambleaBoard.fitsPending()"
    )
    wait_for_animations(page)
    screenshot(page, f"board-narrow-reveal-{viewport['width']}x{viewport['height']}")
    assert page.locator("[data-mode-text]").inner_text().startswith("Turno de la Mesa 1:")
    assert page.evaluate(CLIPPED) == []
    assert _fits_the_window(page)
    assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)
    # each header text on lines of whole words: the mode line is at most two lines high
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.board-mode-text, .board-head h1')].map((n) =>
             Math.round(n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)))"""
    )
    assert max(lines) <= 2, lines
    assert _stage_share(page) >= 0.4  # the pieces keep most of the screen

    # the whole puzzle in the same window
    page.evaluate(
        "(id) => window.asambleaBoard.conn.request('plenary_command', {assembly_id: id, action: 'whole'})",
        assembly.id,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.board-whole .whole-block').length === 5"
    )
    wait_for_animations(page)
    screenshot(page, f"board-narrow-whole-{viewport['width']}x{viewport['height']}")
    assert page.evaluate(CLIPPED) == []
    assert _fits_the_window(page)
    assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.whole-text')]
             .filter((b) => b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1).length"""
    )
    assert overflowing == 0
