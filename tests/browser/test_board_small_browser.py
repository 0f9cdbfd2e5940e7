"""The projected board in a laptop's 200 % (issue 14, issue 20.7): on the demo's day in progress
(the room split, needs and solutions on every table, the clock in Moment 4) and its plenary
(every puzzle written, a phone vote open), the live board and the whole puzzle at 683×384 (a
1366×768 laptop at 200 %), 1280×720 and 1920×1080: no text overflows its box or ends in a
CSS ellipsis, the header, legend and QRs lie inside the window, nothing is under the legible
minimum, and every mesa is reachable through the pages (the whole puzzle pages its blocks,
one or two a page, when they do not all fit legibly)."""

import pytest
from sqlalchemy import select

from assembly import demo
from assembly.assemblies.models import Assembly
from assembly.board import services
from assembly.extensions import db
from tests.browser.conftest import log_in, screenshot, still_board, wait_for_animations
from tests.support.board_measure import CLIPPED, LONE_ELLIPSIS, MIN_FONT
from tests.support.board_seed import seed_pieces

# heavy: two demo states, each at three sizes, every page turned (the slow run, once)
pytestmark = pytest.mark.slow

SIZES = [((683, 384), 20), ((1280, 720), 20), ((1920, 1080), 28)]

#: every text box of the board that overflows (scroll sizes past its client sizes) or cuts
#: its text with a CSS ellipsis; every header, legend and QR part outside the window
PROBLEMS = """
(pieces) => {
  const out = [];
  const BOXES = (pieces ? '.piece-text, ' : '') + '.whole-text, .whole-needs, .whole-need, .table-label, .region-title, '
    + '.region-badge, .board-head h1, .board-mode p, .board-clock .clock-widget, .legend li, '
    + '.board-agreement, .board-qr, .board-vote-qr, .board-vote, .strip-button';
  for (const node of document.querySelectorAll(BOXES)) {
    if (!node.checkVisibility() || !node.textContent.trim()) continue;
    const name = `${node.className} «${node.textContent.trim().slice(0, 40)}»`;
    if (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1)
      out.push(`${name} overflows: ${node.scrollWidth}x${node.scrollHeight} > ${node.clientWidth}x${node.clientHeight}`);
    if (getComputedStyle(node).textOverflow === 'ellipsis') out.push(`${name} has an ellipsis`);
  }
  const INSIDE = '.board-head, .board-title, .board-mode, .board-clock, .legend, .board-agreement, '
    + '.board-qr, .board-qr .qr-code, .board-vote-qr, .board-vote-qr .qr-code, .board-vote, .board-progress';
  for (const node of document.querySelectorAll(INSIDE)) {
    if (!node.checkVisibility()) continue;
    const r = node.getBoundingClientRect();
    if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1)
      out.push(`${node.className} leaves the window: ${JSON.stringify(r)}`);
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > innerWidth || doc.scrollHeight > innerHeight)
    out.push(`the page scrolls: ${doc.scrollWidth}x${doc.scrollHeight}`);
  return out;
}
"""

#: the QRs on screen: their smallest side
QRS = """
() => [...document.querySelectorAll('.board-qr .qr-code, .board-vote-qr .qr-code')]
  .filter((n) => n.checkVisibility()).map((n) => Math.min(n.getBoundingClientRect().width, n.getBoundingClientRect().height))
"""

#: the whole puzzle's blocks on screen: their mesa, and whether they list a need (if they have one)
WHOLE_SHOWN = """
() => [...document.querySelectorAll('.board-whole .whole-block')].filter((b) => b.checkVisibility())
  .map((b) => ({ id: Number(b.dataset.groupId),
                 counts: Number(b.querySelector('.whole-count').textContent),
                 needs: [...b.querySelectorAll('.whole-need')].filter((n) => n.checkVisibility()).length }))
"""

#: the footer's parts (legend, agreement line, the board's QR) that the vote's QR covers
OVER_FOOT = """
() => {
  const qr = document.querySelector('.board-vote-qr');
  if (!qr || !qr.checkVisibility()) return [];
  const q = qr.getBoundingClientRect();
  return [...document.querySelectorAll('.legend, .board-agreement, .board-qr')].filter((n) => {
    if (!n.checkVisibility()) return false;
    const r = n.getBoundingClientRect();
    return r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1;
  }).map((n) => n.className);
}
"""

#: the mesas' titles narrower than a line of 12 em or their head (a title squeezed beside its
#: badge and spokesperson wraps letter by letter)
SQUEEZED_TITLES = """
() => [...document.querySelectorAll('.board-stage .region-title')].filter((n) => {
  const head = n.parentElement.clientWidth;
  return n.clientWidth < Math.min(head, 12 * parseFloat(getComputedStyle(n).fontSize)) - 1;
}).map((n) => n.textContent)
"""

#: the plans on the stage that do not show their date (the room holds a plan to it: a plan
#: short of room shows it beside its icon rather than drop it)
UNDATED_PLANS = """
() => [...document.querySelectorAll('.board-stage .piece-plan')].filter((p) => p.checkVisibility()).filter((p) => {
  const due = window.asambleaBoard.state.pieces.get(p.dataset.pieceId).due;
  const shown = p.querySelector('.meta-due');
  return due && !(shown && shown.checkVisibility() && shown.textContent.endsWith(due));
}).map((p) => p.title)
"""

SETTLED = "() => window.asambleaBoard && !window.asambleaBoard.fitsPending()"

#: the page the board says it shows is the one on screen (a turn renders in the next frame)
LIVE_SHOWN = """() => { const page = window.asambleaBoard.page();
  const shown = [...document.querySelectorAll('.board-stage .region')].map((r) => Number(r.dataset.groupId));
  return !window.asambleaBoard.fitsPending() && page && page.groups.map((g) => g.id).join() === shown.join(); }"""
WHOLE_ON_SCREEN = """() => { const { page } = window.asambleaBoard.wholePage();
  const shown = [...document.querySelectorAll('.board-whole .whole-block')].filter((b) => b.checkVisibility())
    .map((b) => Number(b.dataset.groupId));
  return shown.length && (!page || page.groups.map((g) => g.id).join() === shown.join()); }"""


def _demo(state: str):
    """The demo assembly (``asamblea serve --demo``'s, on the empty database) at ``state``."""
    assert demo.seed_if_empty(300, state)
    return db.session.scalar(select(Assembly).where(Assembly.name == demo.DEMO_NAME))


def _check(page, smallest, where, pieces=True):
    assert page.evaluate(PROBLEMS, pieces) == [], where
    assert page.evaluate(OVER_FOOT) == [], where
    assert page.evaluate(SQUEEZED_TITLES) == [], where
    clipped = page.evaluate(CLIPPED)
    assert [c for c in clipped if pieces or not c.startswith("piece-label")] == [], where
    font = page.evaluate(MIN_FONT)
    assert font["min"] >= smallest, (where, font)
    if pieces:
        assert page.evaluate(LONE_ELLIPSIS) == [], where
        assert page.evaluate(UNDATED_PLANS) == [], where


# the plenary: a phone vote open (its QR beside the stage, its panel under it) and, at the
# first size, a mesa's turn; at 683×384 the vote panel reads on two lines and the live board's
# legend and agreement line give way (board_small.css)
@pytest.mark.parametrize(
    ("state", "sizes"), [("dia", SIZES), ("plenaria", SIZES)], ids=["dia", "plenaria"]
)
def test_the_board_and_the_whole_puzzle_fit_a_laptop_at_200_percent(
    state, sizes, new_page, make_user, make_assembly
):
    assembly = _demo(state)  # first: the demo is seeded on an empty database only
    moderator = make_user("moderator")
    groups = services.board_groups(assembly.id)
    assert len(groups) == 5
    ids = {g.id for g in groups}
    for (width, height), smallest in sizes:
        name = f"{state}-{width}x{height}"
        page = new_page({"width": width, "height": height})
        log_in(page, moderator)
        page.goto(still_board(assembly.id))
        page.wait_for_function(
            "() => window.asambleaBoard && window.asambleaBoard.state.pieces.size > 0"
            " && document.querySelectorAll('.board-stage .region').length > 0"
        )
        page.wait_for_function(SETTLED)
        wait_for_animations(page)
        screenshot(page, f"board-small-live-{name}")
        qrs = page.evaluate(QRS)
        if height <= 600:  # a short window's QRs: the vote QR's least size, 22 % of the height
            assert qrs and min(qrs) >= 0.22 * height - 1, qrs
        # every page of the live board: its pieces whole, every mesa on one of them
        seen = set()
        count = page.evaluate("() => window.asambleaBoard.pages().length")
        for turn in range(count):
            page.wait_for_function(LIVE_SHOWN)
            wait_for_animations(page)
            _check(page, smallest, f"{name} live page {turn + 1} of {count}")
            assert page.locator(".board-stage .piece").count(), (
                name
            )  # a row of pieces on every page
            seen |= set(page.evaluate("() => window.asambleaBoard.page().groups.map((g) => g.id)"))
            page.evaluate("() => window.asambleaBoard.turnPage(1)")
        plenary = page.evaluate("() => window.asambleaBoard.state.plenary")
        revealed = {plenary["group_id"]} if plenary["mode"] == "reveal" else ids
        assert seen == revealed, name  # the revealed mesa's pages, or every mesa's

        # the whole puzzle: every block whole, on as many pages as it takes
        answer = page.evaluate(
            "(id) => window.asambleaBoard.conn.request('plenary_command', {assembly_id: id, action: 'whole'})",
            assembly.id,
        )
        assert answer["ok"], answer
        page.wait_for_function(
            "() => [...document.querySelectorAll('.board-whole .whole-block')].some((b) => b.checkVisibility())"
        )
        wait_for_animations(page)
        screenshot(page, f"board-small-whole-{name}")
        pages = page.evaluate("() => window.asambleaBoard.wholePage().pages.length") or 1
        if width == 683:
            assert pages > 1  # one or two blocks a page
            assert page.locator("[data-page]").inner_text().startswith(("Mesa 1 de 5", "Mesas 1–"))
        seen = set()
        for turn in range(pages):
            page.wait_for_function(WHOLE_ON_SCREEN)
            wait_for_animations(page)
            _check(page, smallest, f"{name} whole page {turn + 1} of {pages}")
            shown = page.evaluate(WHOLE_SHOWN)
            assert shown, name
            assert all(b["needs"] >= 1 for b in shown if b["counts"]), (name, shown)
            seen |= {b["id"] for b in shown}
            page.evaluate("() => window.asambleaBoard.turnPage(1)")
        assert seen == ids, name
        page.evaluate(
            "(id) => window.asambleaBoard.conn.request('plenary_command', {assembly_id: id, action: 'live'})",
            assembly.id,
        )
        page.close()


def test_a_narrow_projector_with_a_mesa_on_its_turn_and_a_phone_vote_open(new_page, make_user):
    """1100×1080 (39 em of the board's 28 px text): a mesa revealed (its spokesperson and its
    badge in its head) while a phone vote is open (its panel under the stage, its QR beside
    it) — the mesa's title keeps a line's width (it wrapped letter by letter beside them), every
    page's pieces are whole and hold a row, and the vote's QR covers no part of the footer."""
    assembly = _demo("plenaria")
    moderator = make_user("moderator")
    first = services.board_groups(assembly.id)[0]
    page = new_page({"width": 1100, "height": 1080})
    log_in(page, moderator)
    page.goto(still_board(assembly.id))
    page.wait_for_function(
        "() => window.asambleaBoard && window.asambleaBoard.state.pieces.size > 0"
    )
    answer = page.evaluate(
        "([id, group]) => window.asambleaBoard.conn.request('plenary_command',"
        " {assembly_id: id, action: 'reveal', group_id: group})",
        [assembly.id, first.id],
    )
    assert answer["ok"], answer
    page.wait_for_function(
        "(id) => window.asambleaBoard.state.plenary.group_id === id"
        " && [...document.querySelectorAll('.board-stage .region')].every((r) => Number(r.dataset.groupId) === id)"
        " && document.querySelector('.board-vote-qr').checkVisibility()",
        arg=first.id,
    )
    page.wait_for_function(SETTLED)
    wait_for_animations(page)
    screenshot(page, "board-small-reveal-vote-1100x1080")
    count = page.evaluate("() => window.asambleaBoard.pages().length")
    for turn in range(count):
        page.wait_for_function(LIVE_SHOWN)
        wait_for_animations(page)
        _check(page, 28, f"1100x1080 reveal page {turn + 1} of {count}")
        assert page.locator(".board-stage .piece").count()
        assert page.evaluate("() => window.asambleaBoard.page().groups.map((g) => g.id)") == [
            first.id
        ]
        page.evaluate("() => window.asambleaBoard.turnPage(1)")


#: the vote's rule card when it shows: its texts, the panel's hidden sentence, whether it
#: overflows and whether it covers the stage exactly (null while it is not shown)
RULE_CARD = """
() => {
  const card = document.querySelector('.board-rule');
  if (!card.checkVisibility()) return null;
  const r = card.getBoundingClientRect();
  const s = document.querySelector('.board-stage').getBoundingClientRect();
  const rule = document.querySelector('.board-vote .vote-rule');
  return {
    text: card.querySelector('.board-rule-text').textContent,
    rule: rule.textContent, ruleShown: rule.checkVisibility(),
    overflows: card.scrollHeight > card.clientHeight + 1 || card.scrollWidth > card.clientWidth + 1,
    covers: ['left', 'top', 'right', 'bottom'].every((side) => Math.abs(r[side] - s[side]) < 2),
  };
}
"""


def test_a_short_window_gives_the_vote_s_rule_a_turn_of_the_rotation(new_page, make_user):
    """683×384 (a laptop at 200 %) with a phone vote open: the vote panel has no room for its
    rule's sentence, so once a round of the pages the rotation shows it over the stage, whole
    and at the legible minimum, and the next turn brings the first page back."""
    assembly = _demo("plenaria")
    page = new_page({"width": 683, "height": 384})
    log_in(page, make_user("moderator"))
    page.goto(f"/assemblies/{assembly.id}/board?ritmo=5")
    page.wait_for_function(SETTLED + " && document.querySelector('.board-vote .vote-rule')")
    pages = page.evaluate("() => window.asambleaBoard.pages().length")
    assert pages > 1
    assert page.evaluate(RULE_CARD) is None  # the pieces first
    page.wait_for_function(RULE_CARD, timeout=(pages + 2) * 5000)
    card = page.evaluate(RULE_CARD)
    screenshot(page, "board-small-rule-683x384")
    assert not card["ruleShown"]  # the panel's own line has no room for it
    assert card["text"] == card["rule"] and card["text"].startswith("Quórum: ")
    assert (
        page.locator(".board-vote .vote-head strong").inner_text().startswith("Agenda de la Mesa 2")
    )
    assert not card["overflows"] and card["covers"], card
    assert page.evaluate(MIN_FONT)["min"] >= 20
    assert page.evaluate("() => window.asambleaBoard.page().part") == pages  # after the round
    page.wait_for_function(f"() => ({RULE_CARD})() === null", timeout=10000)
    assert page.evaluate("() => window.asambleaBoard.page().part") == 1  # the round again


#: the rule card's changes from now on: [hidden, when] at each change
WATCH_CARD = """
() => {
  window.cardTimes = [];
  const card = document.querySelector('.board-rule');
  new MutationObserver(() => {
    const last = window.cardTimes[window.cardTimes.length - 1];
    if (!last || last[0] !== card.hidden) window.cardTimes.push([card.hidden, performance.now()]);
  }).observe(card, { attributes: true, attributeFilter: ['hidden'] });
}
"""


def test_on_one_page_the_rule_card_and_the_pieces_take_whole_turns(
    new_page, make_user, make_assembly
):
    """1280×720 (under 800 px high the panel has no room for the rule either) with a phone
    vote open and a board of one page: the card and the page take a whole turn each (the card
    came back half a second after it went)."""
    assembly = make_assembly()
    seed_pieces(assembly, 3)
    services.open_vote(None, assembly.id, services.board_groups(assembly.id)[0].id)
    db.session.commit()
    page = new_page({"width": 1280, "height": 720})
    log_in(page, make_user("moderator"))
    page.goto(f"/assemblies/{assembly.id}/board?ritmo=5")
    page.wait_for_function(SETTLED + " && document.querySelector('.board-vote .vote-rule')")
    assert page.evaluate("() => window.asambleaBoard.pages().length") == 1
    page.evaluate(WATCH_CARD)
    page.wait_for_function(
        "() => window.cardTimes.filter(([hidden]) => !hidden).length >= 2", timeout=40_000
    )
    times = page.evaluate("() => window.cardTimes")
    shown = [at for hidden, at in times if not hidden]
    gone = [at for hidden, at in times if hidden]
    assert gone and shown[0] < gone[0] < shown[1], times
    assert gone[0] - shown[0] >= 4500 and shown[1] - gone[0] >= 4500, times  # 5 s turns
