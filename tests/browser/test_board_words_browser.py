"""Over-long words on the projected board (issue 14.1): a 22-letter «interinstitucionalidad»,
«desconcentradamente» or a web address is wider than a piece even at the legible minimum
(28 px at 1080, 20 px at 720). At 1100, 1500, 1600 and 1700 × 1080 and at 1280 × 720 no such
word is cut inside a letter or leaves its piece: it breaks at a Spanish syllable with a hyphen
(an address after its «/», with none), only where it does not fit, and the other words stay
whole. At 1100 × 1080 (a narrow projector) the first mesa's pieces are narrower than these
words, so they break; at 1500, 1600, 1700 × 1080 and 1280 × 720 its three sub-mesas stack the
whole width (wider pieces hold more text: two block columns at 1500 would leave pieces 6 em
wide on rows of three lines) and the single long words fit whole, with no hyphen."""

import re

import pytest

from assembly.extensions import db
from tests.browser.conftest import log_in, screenshot, still_board, wait_for_animations
from tests.browser.test_board_browser import GEOMETRY, SHOWN
from tests.support.board_measure import CUT_MID_WORD, MIN_FONT, WORDS_BROKEN
from tests.support.board_seed import seed_pieces

# heavy: the board measured at several projector sizes (the slow run, once)
pytestmark = pytest.mark.slow

LONG = [
    "Interinstitucionalidad",
    "Desconcentradamente",
    "Fortalecer la interinstitucionalidad territorial",
    "Ver https://www.unidadsolidaria.gov.co/convocatorias/asambleas2026",
]
SIZES = [
    ({"width": 1100, "height": 1080}, 28),
    ({"width": 1500, "height": 1080}, 28),
    ({"width": 1600, "height": 1080}, 28),
    ({"width": 1700, "height": 1080}, 28),
    ({"width": 1280, "height": 720}, 20),
]


def plain(text: str) -> str:
    """``text`` with its addresses' «https://» and «www.» left out."""
    return re.sub(r"(https?://)?www\.|https?://", "", text)


#: each piece's shown text (its break opportunities kept) and whether its box holds it
PIECES = """
() => [...document.querySelectorAll('.board-stage .piece')].map((piece) => {
  const box = piece.querySelector('.piece-text');
  return { text: piece.querySelector('.piece-body').textContent, full: piece.title,
           font: parseFloat(box.style.fontSize),
           inside: box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1 };
})
"""


@pytest.mark.parametrize(
    ("viewport", "smallest"), SIZES, ids=[f"{v['width']}x{v['height']}" for v, _ in SIZES]
)
def test_an_over_long_word_breaks_at_a_syllable_with_a_hyphen(
    viewport, smallest, new_page, make_user, make_assembly
):
    assembly = make_assembly()
    pieces = seed_pieces(assembly, 40)
    needs = [p for p in pieces if p.kind == "need"]
    # the first mesa's three sub-mesas: its needs, solutions and plans
    mesa1 = [p for p in pieces if p.table.group.number == 1]
    for piece, text in zip(mesa1, LONG * 3, strict=False):
        piece.text = text
    db.session.commit()
    assert needs
    page = new_page(viewport)
    log_in(page, make_user("moderator"))
    page.goto(still_board(assembly.id))
    page.wait_for_function(SHOWN, arg=40)
    wait_for_animations(page)
    screenshot(page, f"board-long-words-{viewport['width']}x{viewport['height']}")
    assert page.evaluate(GEOMETRY) == []  # no text leaves its box: nothing cut mid-glyph
    assert page.evaluate(WORDS_BROKEN) == []  # a word spans two lines only at a hyphen
    assert page.evaluate(CUT_MID_WORD) == []
    assert page.evaluate(MIN_FONT)["min"] >= smallest
    shown = page.evaluate(PIECES)
    assert all(p["inside"] for p in shown)
    for p in shown:
        visible = p["text"].replace("\u00ad", "").replace("\u200b", "").replace("\u2060", "")
        # (a cut address is shown without its «https://www.»)
        assert plain(p["full"]).startswith(plain(visible.rstrip("…"))), p
        # (a cut text's ellipsis may take the next line: U+200B before it)
        for word in p["text"].replace("\u200b…", "…").replace("\u2060…", "…").split():
            if "\u00ad" in word or "\u200b" in word:
                # only a long word gets break opportunities, and an address never a hyphen
                assert len(word.replace("\u00ad", "").replace("\u200b", "")) >= 12, word
                assert not (word.startswith("https://") and "\u00ad" in word), word
    long_shown = [p for p in shown if p["full"] in LONG]
    assert long_shown
    if (
        viewport["width"] == 1100
    ):  # pieces narrower than the words: a word really broke at a syllable
        assert any("\u00ad" in p["text"] for p in long_shown)
    else:  # one mesa's three sub-mesas stack the whole width: the long words fit whole
        assert all("\u00ad" not in p["text"] for p in long_shown if " " not in p["full"]), (
            long_shown
        )
    # and the check finds a word the browser broke inside without a hyphen
    page.evaluate(
        """() => { const body = document.querySelector('.board-stage .piece-body');
               body.textContent = 'Desconcentradamente';
               Object.assign(body.style, { display: 'block', overflowWrap: 'anywhere', width: '4em' }); }"""
    )
    assert page.evaluate(WORDS_BROKEN) == ["Desconcentradamente"]
