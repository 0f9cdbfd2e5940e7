"""The printed agenda and the acta say where a merged piece came from (issue 14.4): a kept
need or solution names the sub-mesas of the duplicates merged into it, through a chain of
merges («(también de las Sub-mesas 1.2, 1.3)»), and a solution or plan moved in from another
sub-mesa names the one it was written in («(de la Sub-mesa 1.2)»); the acta stores it."""

import re
from datetime import datetime

from flask import render_template
from flask_babel import force_locale

from assembly.assemblies import services as assemblies
from assembly.board import domain
from assembly.board import services as board
from assembly.extensions import db
from assembly.puzzle.models import Piece
from tests.integration.test_hide_merge import _chain
from tests.support.board_seed import tables_for


def _cell(page: str, text: str) -> str:
    """The table cell that starts with ``text``, tags removed, spaces collapsed."""
    match = re.search(r"<td[^>]*>" + re.escape(text) + r"(.*?)</td>", page, re.S)
    assert match, f"no cell for {text!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", text + match.group(1)).split())


def test_merged_pieces_name_their_sub_mesas_in_the_printed_agenda_and_the_acta(
    make_assembly, make_user, make_attendee, client, auth, socket_client
):
    assembly = make_assembly()
    t1, t2, t3 = tables_for(assembly, per_group=3)[:3]  # mesa 1, sub-mesas 1.1, 1.2, 1.3
    kept = _chain([t1], ("Crédito blando", t1), ("Fondo rotatorio", t1), ("Crear el fondo", t1))
    dup = _chain([t2], ("Crédito barato", t2), ("Banco comunal", t2), ("Abrir el banco", t2))
    lone = Piece(id="00000000-0000-4000-8000-000000000003", table_id=t3.id, kind="need")
    lone.text = "Créditos para el campo"  # a duplicate need of sub-mesa 1.3, nothing under it
    db.session.add(lone)
    make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8))
    db.session.commit()
    moderator = make_user("moderator")
    auth.login(moderator)
    staff = socket_client()

    def merge(piece, into):
        ack = staff.emit("merge_piece", {"id": piece.id, "into_id": into.id}, callback=True)
        assert ack["ok"], ack

    # a chain of merges: 1.3's need into 1.2's, then 1.2's into 1.1's
    merge(lone, dup[0])
    merge(dup[0], kept[0])
    # and a solution: 1.2's «Banco comunal» (now under the kept need) into «Fondo rotatorio»
    merge(dup[1], kept[1])
    assert db.session.get(Piece, dup[1].id).merged_into_id == kept[1].id

    rows = board.consolidated_agenda(assembly.id)[0]["rows"]
    pieces = {r[k]["text"]: r[k] for r in rows for k in ("need", "solution", "plan") if r[k]}
    assert set(pieces) == {"Crédito blando", "Fondo rotatorio", "Crear el fondo", "Abrir el banco"}
    assert pieces["Crédito blando"]["merged_from"] == ["1.2", "1.3"]
    assert pieces["Fondo rotatorio"]["merged_from"] == ["1.2"]
    assert (
        pieces["Abrir el banco"]["merged_from"] == []
        and pieces["Crear el fondo"]["merged_from"] == []
    )
    assert pieces["Abrir el banco"]["table_label"] == "1.2"

    page = client.get(f"/assemblies/{assembly.id}/agenda-consolidada").get_data(as_text=True)
    need = _cell(page, "Crédito blando")
    assert need.startswith("Crédito blando · Sub-mesa 1.1 (también de las Sub-mesas 1.2, 1.3)"), (
        need
    )
    assert _cell(page, "Fondo rotatorio").startswith("Fondo rotatorio (también de la Sub-mesa 1.2)")
    assert _cell(page, "Abrir el banco").startswith("Abrir el banco (de la Sub-mesa 1.2)")
    assert "Sub-mesa" not in _cell(page, "Crear el fondo")  # written where it stands: no mark
    # shown again, a duplicate is no longer merged: its sub-mesa leaves the mark
    ack = staff.emit("hide_piece", {"id": lone.id, "hidden": False}, callback=True)
    assert ack["ok"], ack
    assert db.session.get(Piece, lone.id).merged_into_id is None
    again = board.consolidated_agenda(assembly.id)[0]["rows"]
    assert next(r["need"]["merged_from"] for r in again if r["need"]) == ["1.2"]
    merge(lone, kept[0])  # merged again, straight into the kept need

    # the acta: the approved agenda, stored as it closes, with the same marks
    board.record_hands(None, assembly.id, t1.group_id, {"for": 1, "against": 0})
    assemblies.close_assembly(moderator, assembly, reason="Fin de la jornada")
    db.session.commit()
    stored = board.latest_acta(assembly.id).snapshot["agenda"][0]["rows"]
    assert stored[0]["need"]["merged_from"] == ["1.2", "1.3"]
    acta = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert _cell(acta, "Crédito blando").startswith(
        "Crédito blando · Sub-mesa 1.1 (también de las Sub-mesas 1.2, 1.3)"
    )
    assert _cell(acta, "Abrir el banco").startswith("Abrir el banco (de la Sub-mesa 1.2)")


def _section(rows):
    return {"number": 2, "title": "Agua", "approval": None, "rows": rows}


def test_the_marks_read_in_english_and_an_old_acta_falls_back(app):
    """An acta stored before «table_label» / «merged_from» existed still names the sub-mesa;
    the marks are in the page's language."""
    old = {"id": "x", "kind": "need", "text": "Agua", "group_number": 2, "table_number": 4}
    assert domain.table_label(old) == "2.4"
    need = {**old, "table_label": "2.4", "merged_from": ["2.1", "2.5"]}
    plan = {"id": "y", "kind": "plan", "text": "Pozo", "group_number": 2, "table_number": 5,
            "table_label": "2.5", "merged_from": []}  # fmt: skip
    with app.test_request_context():
        html = render_template(
            "board/_agenda_section.html",
            section=_section([{"need": old, "need_span": 1, "solution": None, "solution_span": 1,
                               "plan": None}]),
            methods={},
        )  # fmt: skip
        with force_locale("en"):
            english = render_template(
                "board/_agenda_section.html",
                section=_section([{"need": need, "need_span": 1, "solution": None,
                                   "solution_span": 1, "plan": plan}]),
                methods={},
            )  # fmt: skip
    assert "· Sub-mesa 2.4" in _text(html) and "también" not in html
    assert "Water" not in english and "(also from sub-tables 2.1, 2.5)" in _text(english)
    assert "Pozo (from sub-table 2.5)" in _text(english)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_merged_sources_follow_chains_and_skip_the_kept_pieces_own_sub_mesa():
    def p(pid, table, into=None):
        return {"id": pid, "group_number": 1, "table_number": table, "merged_into_id": into}

    pieces = [p("a", 1), p("b", 3, "a"), p("c", 2, "b"), p("d", 1, "a"), p("e", 2, "a"),
              p("loop1", 4, "loop2"), p("loop2", 5, "loop1"), p("gone", 6, "missing")]  # fmt: skip
    sources = domain.merged_sources(pieces)
    assert sources["a"] == ["1.2", "1.3"]  # c through b; d is a's own sub-mesa
    assert "missing" not in sources and "b" not in sources
    assert set(sources) <= {"a", "loop1", "loop2"}  # a loop ends instead of running forever
