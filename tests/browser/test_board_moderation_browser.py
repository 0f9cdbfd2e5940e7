"""Hiding and merging on the projected board (issue 14.4), live: a hidden need leaves with its
solution and plan and comes back with them; a need merged into another of the mesa brings its
chain under the kept need's sub-mesa, each piece naming the sub-mesa it was written in."""

import uuid

from assembly.extensions import db
from assembly.puzzle.models import Piece
from tests.browser.conftest import PROJECTOR, log_in, screenshot, wait_for_animations
from tests.support.board_seed import tables_for


def _chain(table, texts):
    pieces = []
    for kind, text in zip(("need", "solution", "plan"), texts, strict=True):
        piece = Piece(id=str(uuid.uuid4()), table_id=table.id, kind=kind, text=text)
        piece.parent_id = pieces[-1].id if pieces else None
        if kind == "plan":
            piece.who, piece.due = "Cooperativas", "2025-T2"
        db.session.add(piece)
        db.session.flush()
        pieces.append(piece)
    return pieces


def test_hiding_and_merging_move_whole_chains_on_the_board(new_page, make_user, make_assembly):
    assembly = make_assembly()
    t1, t2 = tables_for(assembly, per_group=2)[:2]
    kept = _chain(t1, ("Crédito blando", "Fondo rotatorio", "Crear el fondo"))
    dup = _chain(t2, ("Crédito barato", "Banco comunal", "Abrir el banco"))
    db.session.commit()
    page = new_page(PROJECTOR)
    log_in(page, make_user("moderator"))
    page.goto(f"/assemblies/{assembly.id}/board")
    page.wait_for_function("() => document.querySelectorAll('.board-stage .piece').length === 6")
    ask = "(args) => window.asambleaBoard.conn.request(args[0], args[1])"
    gone = "(ids) => ids.every((id) => !document.querySelector(`.board-stage [data-piece-id='${id}']`))"
    back = (
        "(ids) => ids.every((id) => document.querySelector(`.board-stage [data-piece-id='${id}']`))"
    )

    assert page.evaluate(ask, ["hide_piece", {"id": kept[0].id, "hidden": True}])["ok"]
    page.wait_for_function(gone, arg=[p.id for p in kept])
    assert page.locator(".board-stage .piece").count() == 3
    assert page.evaluate(ask, ["hide_piece", {"id": kept[0].id, "hidden": False}])["ok"]
    page.wait_for_function(back, arg=[p.id for p in kept])

    answer = page.evaluate(ask, ["merge_piece", {"id": dup[0].id, "into_id": kept[0].id}])
    assert answer["ok"], answer
    page.wait_for_function(gone, arg=[dup[0].id])
    page.wait_for_function(
        "() => document.querySelectorAll('.board-stage .table-label').length === 1"
    )
    # both chains in sub-mesa 1's block, the moved ones naming where they were written
    assert page.locator(".board-stage .table-label").inner_text() == "Sub-mesa 1"
    for piece in dup[1:]:
        node = page.locator(f".board-stage [data-piece-id='{piece.id}'] .piece-from")
        assert node.inner_text() == "De la sub-mesa 2"
    wait_for_animations(page)  # the arrival animation (scale) of the pieces shown again
    # the moved solution interlocks with the kept need: its top sits inside the need's rows
    need = page.locator(f"[data-piece-id='{kept[0].id}']").bounding_box()
    moved = page.locator(f"[data-piece-id='{dup[1].id}']").bounding_box()
    assert need["y"] - 1 <= moved["y"] < need["y"] + need["height"]
    assert abs(moved["x"] - (need["x"] + need["width"])) < 2
    screenshot(page, "board-merged-projector")
