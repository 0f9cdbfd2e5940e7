"""The board's text that used to be cut (issue 14.1), at 1920×1080 and 1280×720 in Chromium:

- a plan's «Cuándo · Quién» line wraps between its words; a piece short of room drops the
  «Quién» (then the line), never ends it inside a word with a CSS ellipsis;
- a piece whose web address does not fit shows the address's readable part (host and path
  without «https://www.», cut after one of their separators), never a bare «Ver…»;
- the vote's QR beside the stage (a phone vote open, not shown big) has its text at the
  board's minimum (28 px at 1080, 20 px at 720; it was 20 px at 1080), its address broken
  only after a «/», and covers no piece, and the stage it narrows keeps every piece's text
  7.5 em wide (a mesa's blocks stack and page instead);
- the whole puzzle gives the room under a block's needs to their words: a need ends in «…»
  only when its whole text would not fit in its block."""

import pytest

from assembly.board import services
from assembly.extensions import db
from tests.browser.conftest import PROJECTOR, log_in, screenshot, still_board, wait_for_animations
from tests.browser.test_board_browser import GEOMETRY, SHOWN
from tests.support.board_measure import CLIPPED, CUT_MID_WORD, MIN_FONT, WORDS_BROKEN
from tests.support.board_seed import seed_pieces

# heavy: the board measured at two projector sizes (the slow run, once)
pytestmark = pytest.mark.slow

SIZES = [(PROJECTOR, 28), ({"width": 1280, "height": 720}, 20)]
IDS = ["1920x1080", "1280x720"]

URL = "Ver https://www.unidadsolidaria.gov.co/convocatorias/asambleas2026/orinoquia/arauca"
WHO = "Secretaría de Desarrollo Económico de la Gobernación de Arauca y asociaciones campesinas"

#: every plan on screen: its facts' line, whether it overflows or uses an ellipsis, and the
#: facts it shows (each whole or not at all)
PLANS = """
() => [...document.querySelectorAll('.board-stage .piece-plan')].map((piece) => {
  const meta = piece.querySelector('.piece-meta');
  const shown = meta.checkVisibility();
  const style = getComputedStyle(meta);
  const facts = [...meta.children].filter((n) => n.checkVisibility()).map((n) => n.textContent);
  return {
    id: piece.dataset.pieceId, shown, facts,
    overflow: shown && (meta.scrollWidth > meta.clientWidth + 1 || meta.scrollHeight > meta.clientHeight + 1),
    ellipsis: style.textOverflow === 'ellipsis' || style.whiteSpace === 'nowrap',
  };
})
"""

#: the pieces written as an address: what each shows
ADDRESSES = """
(full) => [...document.querySelectorAll('.board-stage .piece')].filter((p) => p.title === full)
  .map((p) => p.querySelector('.piece-body').textContent.replace(/[\\u00ad\\u200b\\u2060]/g, ''))
"""


@pytest.mark.parametrize("count", [5, 40, 150])
@pytest.mark.parametrize(("viewport", "smallest"), SIZES, ids=IDS)
def test_a_plan_s_facts_and_an_address_are_cut_only_between_words(
    viewport, smallest, count, new_page, make_user, make_assembly
):
    assembly = make_assembly()
    pieces = seed_pieces(assembly, count)
    plans = {p.id: p for p in pieces if p.kind == "plan"}
    for i, plan in enumerate(plans.values()):
        plan.who = WHO if i % 2 == 0 else plan.who
    mesa1 = [p for p in pieces if p.table.group.number == 1 and p.kind != "plan"]
    for piece in mesa1[::3]:
        piece.text = URL
    db.session.commit()
    page = new_page(viewport)
    log_in(page, make_user("moderator"))
    page.goto(still_board(assembly.id))
    page.wait_for_function(SHOWN, arg=count)
    wait_for_animations(page)
    name = f"{viewport['width']}x{viewport['height']}"
    screenshot(page, f"board-cut-plans{count}-{name}")
    assert page.evaluate(GEOMETRY) == []
    assert page.evaluate(CUT_MID_WORD) == []
    assert page.evaluate(WORDS_BROKEN) == []
    assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)

    shown = page.evaluate(PLANS)
    assert shown
    for plan in shown:
        assert not plan["overflow"] and not plan["ellipsis"], plan
        piece = plans[plan["id"]]
        whole = {f"Cuándo: {piece.due}", f"Quién: {piece.who}"}
        assert all(fact in whole for fact in plan["facts"]), plan  # each fact whole
    if count == 5:  # pieces large enough to show when (and who), whole
        assert any(p["facts"] for p in shown)
    # the room holds a plan to its date: every plan on screen shows its «Cuándo» (the least
    # row holds its text's start and that line; the «Quién» goes first, then the word «Cuándo:»)
    assert all(any(f.startswith("Cuándo: ") for f in p["facts"]) for p in shown), shown

    addresses = page.evaluate(ADDRESSES, URL)
    assert addresses
    for text in addresses:
        assert text.removesuffix("…") != "Ver", addresses
        if text != URL:  # cut: the host (no «https://www.»), then as much path as fits
            assert text.startswith("Ver unidadsolidaria.") and text.endswith("…"), addresses
    if count == 150:
        assert any(text.endswith("…") for text in addresses)


def _open_phone_vote(assembly):
    services.open_vote(None, assembly.id, services.board_groups(assembly.id)[0].id)
    db.session.commit()


#: the vote's QR beside the stage: its texts' smallest size, and what it covers
VOTE_QR = """
() => {
  const node = document.querySelector('[data-vote-qr]');
  const box = node.getBoundingClientRect();
  const texts = [...node.querySelectorAll('strong, .vote-qr-more, .qr-url')]
    .filter((n) => n.checkVisibility() && n.textContent.trim());
  const overlap = (r) => Math.min(r.right, box.right) - Math.max(r.left, box.left) > 0.5
    && Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top) > 0.5;
  const qr = node.querySelector('.qr-code').getBoundingClientRect();
  // where the address goes to a new line: the character before each line start
  const url = node.querySelector('.qr-url');
  const chars = [];
  for (const text of [...url.childNodes].filter((n) => n.nodeType === 3)) {
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      chars.push({ c: text.data[i], top: Math.round(range.getBoundingClientRect().top) });
    }
  }
  const breaks = chars.filter((ch, i) => i && ch.top > chars[i - 1].top).map((ch) => chars[chars.indexOf(ch) - 1].c);
  return {
    urlBreaks: breaks,
    minFont: Math.min(...texts.map((n) => parseFloat(getComputedStyle(n).fontSize))),
    hits: [...document.querySelectorAll('.board-stage .region, .board-stage .piece, .board-head, .board-foot, .board-vote')]
      .filter((n) => n.checkVisibility() && overlap(n.getBoundingClientRect())).map((n) => n.className),
    inside: box.left >= 0 && box.top >= 0 && box.right <= innerWidth + 0.5 && box.bottom <= innerHeight + 0.5,
    qr: Math.min(qr.width, qr.height),
    text: node.innerText,
  };
}
"""


#: the narrowest text box of the pieces on screen (px)
NARROWEST = """
() => Math.min(...[...document.querySelectorAll('.board-stage .piece-text')]
  .filter((n) => n.checkVisibility()).map((n) => n.clientWidth))
"""


@pytest.mark.parametrize(("viewport", "smallest"), SIZES, ids=IDS)
def test_the_vote_qr_beside_the_stage_is_legible_and_covers_no_piece(
    viewport, smallest, new_page, make_user, make_assembly
):
    assembly = make_assembly()
    seed_pieces(assembly, 30)
    _open_phone_vote(assembly)
    page = new_page(viewport)
    log_in(page, make_user("moderator"))
    page.goto(still_board(assembly.id))
    page.locator("[data-vote-qr]").wait_for(state="visible")
    page.wait_for_function(SHOWN, arg=30)
    wait_for_animations(page)
    screenshot(page, f"board-cut-vote-qr-{viewport['width']}x{viewport['height']}")
    qr = page.evaluate(VOTE_QR)
    assert qr["minFont"] >= smallest - 0.5, qr
    assert qr["hits"] == [] and qr["inside"], qr
    assert qr["qr"] >= 0.22 * viewport["height"], qr  # still scannable from the hall
    assert f"/votar/{assembly.id}" in qr["text"]
    assert set(qr["urlBreaks"]) <= {"/"}, qr  # the address goes to a new line only after a «/»
    assert page.evaluate(GEOMETRY) == []  # the stage was laid out again beside it
    assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)
    # the stage the QR narrows stacks a mesa's blocks (and pages them) rather than narrow its
    # pieces: each text keeps a line of a dozen letters, 7.5 em (it was 6 em at 1280×720)
    assert page.evaluate(NARROWEST) >= 7.5 * smallest - 1, page.evaluate(NARROWEST)


#: every need a block shows with «…» whose whole text would still fit there (set for a moment)
ROOM_LEFT = """
() => [...document.querySelectorAll('.board-whole .whole-block')].flatMap((block) => {
  const list = block.querySelector('.whole-needs');
  const out = [];
  for (const need of [...list.children].filter((n) => !n.hidden && n.textContent.endsWith('…'))) {
    const shown = need.textContent;
    need.textContent = need.title;
    if (list.scrollHeight <= list.clientHeight + 1 && need.scrollWidth <= need.clientWidth + 1) out.push(shown);
    need.textContent = shown;
  }
  return out;
})
"""


@pytest.mark.parametrize(("viewport", "smallest"), SIZES, ids=IDS)
def test_the_whole_puzzle_gives_a_block_s_room_to_its_needs_words(
    viewport, smallest, new_page, make_user, make_assembly
):
    moderator = make_user("moderator")
    assembly = make_assembly()
    seed_pieces(assembly, 40)
    services.plenary_command(moderator, assembly.id, "whole")
    db.session.commit()
    page = new_page(viewport)
    log_in(page, moderator)
    page.goto(still_board(assembly.id))
    page.wait_for_function(
        "() => document.querySelectorAll('.board-whole .whole-block').length === 5"
        " && window.asambleaBoard.state.pieces.size === 40"
    )
    wait_for_animations(page)
    screenshot(page, f"board-cut-whole-{viewport['width']}x{viewport['height']}")
    assert page.evaluate(ROOM_LEFT) == []
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)
    # every shown need is its text's start, cut (if at all) after a whole word
    needs = page.evaluate(
        "() => [...document.querySelectorAll('.whole-need')].filter((n) => !n.hidden)"
        ".map((n) => [n.textContent, n.title])"
    )
    assert needs
    longer = 0
    for shown, full in needs:
        kept = shown.removesuffix("…")
        assert full.startswith(kept) and (kept == full or full[len(kept)] in " ,;:."), shown
        longer += len(kept.split()) > 7
    assert longer  # some need shows more than its seven-word short title
