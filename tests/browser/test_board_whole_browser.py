"""The whole puzzle (issue 14.2): the plenary's «gran rompecabezas solidario» in Chromium at
both projector sizes: every mesa one interlocking block on the agreement line, named with its
spokesperson, its counts and its needs as short titles, legible (28 px at 1080, 20 px at 720),
the needs that do not fit turning at the board's pace; the spokesperson named on the revealed
mesa, live."""

import pytest
from sqlalchemy import func, select

from assembly.board import services
from assembly.extensions import db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from tests.browser.conftest import (
    PHONE,
    PROJECTOR,
    log_in,
    screenshot,
    still_board,
    wait_for_animations,
)
from tests.support.board_measure import CLIPPED, MIN_FONT, settled_clipped
from tests.support.board_seed import seed_pieces

SMALL_PROJECTOR = {"width": 1280, "height": 720}

#: what each block shows, and every way its text could leave it or be cut
BLOCKS = """
() => [...document.querySelectorAll('.board-whole .whole-block')].map((block) => {
  const box = block.querySelector('.whole-text');
  const list = block.querySelector('.whole-needs').getBoundingClientRect();
  const needs = [...block.querySelectorAll('.whole-need')].filter((n) => !n.hidden);
  const cut = needs.filter((n) => {
    const shown = n.textContent, full = n.title;
    if (!shown.endsWith('…')) return shown !== full;
    const kept = shown.slice(0, -1);
    return !(full.startsWith(kept) && /\\s/.test(full.charAt(kept.length)));
  }).map((n) => n.textContent);
  return {
    title: block.querySelector('.whole-title').textContent,
    speaker: block.querySelector('.whole-speaker').hidden ? '' : block.querySelector('.whole-speaker').textContent,
    counts: [...block.querySelectorAll('.whole-count')].map((c) => Number(c.textContent)),
    caption: block.querySelector('.whole-caption').textContent,
    needs: needs.length,
    overflow: box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1,
    below: needs.filter((n) => n.getBoundingClientRect().bottom > list.bottom + 1).length,
    cut,
    arcs: (block.querySelector('.whole-shape path').getAttribute('d').match(/A/g) || []).length,
  };
})
"""


def _counts(assembly):
    rows = db.session.execute(
        select(Group.number, Piece.kind, func.count(Piece.id))
        .join(Table, Piece.table_id == Table.id)
        .join(Group, Table.group_id == Group.id)
        .where(Group.assembly_id == assembly.id, Piece.hidden.is_(False))
        .group_by(Group.number, Piece.kind)
    ).all()
    out = {}
    for number, kind, n in rows:
        out.setdefault(number, {"need": 0, "solution": 0, "plan": 0})[kind] = n
    return out


@pytest.mark.parametrize("count", [5, pytest.param(600, marks=pytest.mark.slow)])  # 600: ~16 s
def test_the_whole_puzzle_joins_every_mesa_legibly(
    count, new_page, make_user, make_assembly, make_attendee
):
    moderator = make_user("moderator")
    assembly = make_assembly()
    seed_pieces(assembly, count)
    groups = services.board_groups(assembly.id)
    speaker = make_attendee(assembly, group_id=groups[0].id, first_names="Ana María")
    groups[0].spokesperson_id = speaker.id
    services.plenary_command(moderator, assembly.id, "whole")
    db.session.commit()
    counts = _counts(assembly)
    for name, viewport, smallest in (
        ("projector", PROJECTOR, 28),
        ("projector720", SMALL_PROJECTOR, 20),
    ):
        page = new_page(viewport)
        log_in(page, moderator)
        page.goto(f"/assemblies/{assembly.id}/board?ritmo=5")
        page.wait_for_function(
            "(n) => document.querySelectorAll('.board-whole .whole-block').length === 5"
            " && window.asambleaBoard.state.pieces.size === n",
            arg=count,
        )
        wait_for_animations(page)  # the blocks' joining animation
        screenshot(page, f"board-whole{count}-{name}")
        assert page.locator("[data-mode-text]").inner_text() == "El rompecabezas completo"
        assert page.locator(".board-stage").is_hidden()
        blocks = page.evaluate(BLOCKS)
        for number, block in enumerate(blocks, start=1):
            assert block["title"].startswith(f"Mesa {number}")
            c = counts.get(number, {"need": 0, "solution": 0, "plan": 0})
            assert block["counts"] == [c["need"], c["solution"], c["plan"]]
            assert not block["overflow"] and block["below"] == 0 and block["cut"] == []
            if c["need"]:
                assert block["needs"] >= 1
            assert block["arcs"] >= 2  # it interlocks with a neighbour and the agreement line
        assert blocks[0]["speaker"] == f"Vocería: Ana María {speaker.last_names}"
        assert all(block["speaker"] == "" for block in blocks[1:])
        band = page.locator(".whole-agreement")
        assert band.inner_text() == assembly.agreement_line
        assert page.evaluate(MIN_FONT)["min"] >= smallest, page.evaluate(MIN_FONT)
        doc = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        assert doc[0] <= viewport["width"] and doc[1] <= viewport["height"]
        if count == 600:
            # more needs than fit: each block shows a slice and the slices turn at the pace
            first = blocks[0]["caption"]
            assert first.startswith(("Necesidades 1–", "Necesidad 1 de")) and first.endswith(
                f"de {counts[1]['need']}"
            )
            page.wait_for_function(
                "(first) => document.querySelector('.whole-caption').textContent !== first",
                arg=first,
                timeout=12_000,
            )
            turned = page.evaluate(BLOCKS)[0]
            assert not turned["caption"].startswith(("Necesidades 1–", "Necesidad 1 de"))
            assert turned["below"] == 0 and turned["cut"] == []
            screenshot(page, f"board-whole{count}-{name}-turned")


def test_the_whole_puzzle_on_a_phone_stacks_the_mesas(new_page, make_user, make_assembly):
    assembly = make_assembly()
    seed_pieces(assembly, 40)
    services.plenary_command(make_user("moderator"), assembly.id, "whole")
    db.session.commit()
    phone = new_page(PHONE)
    phone.goto(f"/tablero/{assembly.board_token}")
    phone.wait_for_function(
        "() => document.querySelectorAll('.board-whole .whole-block').length === 5"
        " && window.asambleaBoard.state.pieces.size === 40"
    )
    screenshot(phone, "board-whole-phone")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    blocks = phone.evaluate(BLOCKS)
    assert [b["title"].split()[1] for b in blocks] == ["1", "2", "3", "4", "5"]
    assert all(b["cut"] == [] and not b["overflow"] for b in blocks)
    assert all(b["needs"] >= 2 for b in blocks)  # the page scrolls: every need is listed


def test_the_revealed_mesa_names_its_spokesperson_live(
    new_page, make_user, make_assembly, make_attendee
):
    moderator = make_user("moderator")
    assembly = make_assembly()
    seed_pieces(assembly, 30)
    groups = services.board_groups(assembly.id)
    speaker = make_attendee(assembly, group_id=groups[1].id, first_names="Luz Dary")
    services.plenary_command(moderator, assembly.id, "reveal", group_id=groups[1].id)
    db.session.commit()
    page = new_page(PROJECTOR)
    log_in(page, moderator)
    page.goto(still_board(assembly.id))
    page.locator("[data-mode-text]", has_text="Turno de la Mesa 2").wait_for()
    page.wait_for_function("() => document.querySelectorAll('.board-stage .piece').length > 0")
    assert page.locator(".region-speaker").is_hidden()  # none named yet
    answer = page.evaluate(
        "(args) => window.asambleaBoard.conn.request('set_group_spokesperson', args)",
        {"group_id": groups[1].id, "attendee_id": speaker.id},
    )
    assert answer["ok"], answer
    name = f"Vocería: Luz Dary {speaker.last_names}"
    page.locator(".region-speaker", has_text=name).wait_for()
    screenshot(page, "board-reveal-spokesperson-projector")
    # the whole puzzle names it on its block too
    page.evaluate(
        "(id) => window.asambleaBoard.conn.request('plenary_command', {assembly_id: id, action: 'whole'})",
        assembly.id,
    )
    page.locator(
        f".whole-block[data-group-id='{groups[1].id}'] .whole-speaker", has_text=name
    ).wait_for()


@pytest.mark.parametrize("count", [40, pytest.param(600, marks=pytest.mark.slow)])  # 600: ~18 s
def test_no_badge_or_label_is_cut_when_every_mesa_has_decided(
    count, new_page, make_user, make_assembly
):
    """Every mesa's «✓ Agenda aprobada» (or «✗ …») badge, title and label lies whole inside its
    block and the window, in the whole puzzle and on the live board, at both projector sizes
    (the badge was cut on the blocks whose left side is a neighbour's blank)."""
    moderator = make_user("moderator")
    assembly = make_assembly()
    seed_pieces(assembly, count)
    groups = services.board_groups(assembly.id)
    services.set_headcount(moderator, assembly.id, "240", "Conteo en la sala")
    for i, group in enumerate(groups):
        tally = {"for": 40, "against": 90} if i == 2 else {"for": 210, "against": 12}
        services.record_hands(moderator, assembly.id, group.id, tally)
    for name, viewport in (("projector", PROJECTOR), ("projector720", SMALL_PROJECTOR)):
        services.plenary_command(moderator, assembly.id, "whole")
        db.session.commit()
        page = new_page(viewport)
        log_in(page, moderator)
        page.goto(still_board(assembly.id))
        page.wait_for_function(
            "(n) => document.querySelectorAll('.board-whole .whole-badge:not([hidden])').length === 5"
            " && window.asambleaBoard.state.pieces.size === n",
            arg=count,
        )
        wait_for_animations(page)  # the blocks' joining animation
        screenshot(page, f"board-whole{count}-decided-{name}")
        # settled: in long loaded runs one need was once found cut for a moment (cause not
        # found; a cut that stays still fails here)
        assert settled_clipped(page) == []
        assert page.evaluate(BLOCKS)[2]["title"].startswith("Mesa 3")
        # the live board: the regions carry the same badges
        answer = page.evaluate(
            "(id) => window.asambleaBoard.conn.request('plenary_command', {assembly_id: id, action: 'live'})",
            assembly.id,
        )
        assert answer["ok"], answer
        page.wait_for_function(
            "() => document.querySelector('.board-stage .region-badge:not([hidden])')"
            " && !window.asambleaBoard.fitsPending()"
        )
        screenshot(page, f"board-live{count}-decided-{name}")
        assert page.evaluate(CLIPPED) == []
        page.close()
