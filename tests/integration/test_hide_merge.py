"""Hiding and merging are whole (issue 14.4): hiding a need hides its solutions and plans
(showing it again brings them back); merging a need into another moves its solutions and
plans under the kept need, each keeping its own table. One rule (puzzle.domain.shown_pieces)
and four readers that agree piece for piece: the board, the consolidated agenda, the acta and
the workbooks (agenda and commitments)."""

import io
import uuid

import openpyxl

from assembly.assemblies import services as assemblies
from assembly.board import services as board
from assembly.extensions import db
from assembly.puzzle import services as puzzle
from assembly.puzzle.models import Piece, PieceVersion
from tests.support.board_seed import tables_for

HEADER_ROW = 3  # the workbooks' header block takes rows 1-2


def _chain(tables, need, solution, plan, who="Cooperativa"):
    pieces = []
    for kind, text, table in (("need", *need), ("solution", *solution), ("plan", *plan)):
        piece = Piece(id=str(uuid.uuid4()), table_id=table.id, kind=kind, text=text)
        if pieces:
            piece.parent_id = pieces[-1].id
        if kind == "plan":
            piece.who, piece.due = who, "2025-T2"
        db.session.add(piece)
        db.session.flush()
        pieces.append(piece)
    return pieces


def _triples_from_pieces(pieces):
    """(need, solution, plan) texts from flat payloads, read independently of the app's code."""
    by_id = {p["id"]: p for p in pieces}
    out = set()
    for plan in (p for p in pieces if p["kind"] == "plan"):
        solution = by_id[plan["parent_id"]]
        out.add((by_id[solution["parent_id"]]["text"], solution["text"], plan["text"]))
    return out


def _triples_from_rows(rows):
    out, need, solution = set(), None, None
    for row in rows:
        need = row["need"]["text"] if row["need"] else need
        solution = row["solution"]["text"] if row["solution"] else solution
        assert row["need_span"] == 0 or row["need"], "a row without its need («—»)"
        if row["plan"]:
            out.add((need, solution, row["plan"]["text"]))
    return out


def _sheet(client, kind, assembly_id, title):
    response = client.post(
        "/reports/export",
        data={"report": kind, "assembly_ids": [str(assembly_id)], "variant": "completa"},
    )
    response.get_data()
    response.close()
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))[title]
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_hiding_and_merging_agree_on_the_board_agenda_acta_and_workbooks(
    make_assembly, make_user, client, auth, socket_client
):
    assembly = make_assembly()
    t1, t2 = tables_for(assembly, per_group=2)[:2]  # mesa 1, sub-mesas 1 and 2
    kept = _chain([t1], ("Crédito blando", t1), ("Fondo rotatorio", t1), ("Crear el fondo", t1))
    dup = _chain([t2], ("Crédito barato", t2), ("Banco comunal", t2), ("Abrir el banco", t2))
    other = _chain([t2], ("Formación", t2), ("Escuela itinerante", t2), ("Talleres", t2))
    gone = _chain([t1], ("Acopio", t1), ("Centro de acopio", t1), ("Conseguir lote", t1))
    db.session.commit()
    moderator = make_user("moderator")
    auth.login(moderator)
    staff = socket_client()
    assert staff.emit("join_board", {"assembly_id": assembly.id}, callback=True)["ok"]
    staff.get_received()

    # hide a need: its solution and plan leave the board with it (the board room hears each)
    ack = staff.emit("hide_piece", {"id": gone[0].id, "hidden": True}, callback=True)
    assert ack["ok"] and ack["below"] == [gone[1].id, gone[2].id]
    said = {
        e["args"][0]["id"]: e["args"][0] for e in staff.get_received() if e["name"] == "piece_saved"
    }
    assert said[gone[0].id]["hidden"] is True
    assert [said[p.id]["shown"] for p in gone[1:]] == [False, False]
    assert "text" not in said[gone[1].id]  # the board (public phones too) learns only that it went

    # merge a need into another of the mesa: its chain moves under the kept need, from sub-mesa 2
    ack = staff.emit("merge_piece", {"id": dup[0].id, "into_id": kept[0].id}, callback=True)
    assert ack["ok"] and ack["moved"] == [dup[1].id]
    moved = db.session.get(Piece, dup[1].id)
    assert (moved.parent_id, moved.table_id) == (kept[0].id, t2.id)  # provenance kept
    reasons = [v.reason for v in db.session.query(PieceVersion).filter_by(piece_id=dup[1].id)]
    assert reasons == [f"Movida bajo la pieza {kept[0].id[:8]} al unir un duplicado"]

    expected = {
        ("Crédito blando", "Fondo rotatorio", "Crear el fondo"),
        ("Crédito blando", "Banco comunal", "Abrir el banco"),
        ("Formación", "Escuela itinerante", "Talleres"),
    }
    snapshot = board.board_snapshot(assembly.id)["pieces"]
    assert _triples_from_pieces(snapshot) == expected
    assert {p["id"] for p in snapshot} == {p.id for p in kept + dup[1:] + other}
    agenda = board.consolidated_agenda(assembly.id)
    assert _triples_from_rows(agenda[0]["rows"]) == expected
    # the printed agenda names where the merged-in pieces were written
    page = client.get(f"/assemblies/{assembly.id}/agenda-consolidada").get_data(as_text=True)
    assert page.count("(de la Sub-mesa 1.2)") == 2  # «Banco comunal» and «Abrir el banco»
    assert "(también de la Sub-mesa 1.2)" in page  # the kept need: its duplicate's sub-mesa
    assert "Fondo rotatorio <span" not in page  # sub-mesa 1's own solution: no mark
    auth.logout()
    auth.login("supervisor")
    _, rows = _sheet(client, "agenda", assembly.id, "Agenda consolidada")
    workbook = {(r["Necesidad"], r["Solución"], r["Plan de trabajo: qué se hará"]) for r in rows}
    assert workbook == expected and len(rows) == 3  # no «—» rows
    _, rows = _sheet(client, "compromisos", assembly.id, "Compromisos")
    commitments = {(r["Necesidad"], r["Solución"], r["Compromiso (qué se hará)"]) for r in rows}
    assert commitments == expected
    assemblies.close_assembly(moderator, assembly, reason="Fin de la jornada")
    db.session.commit()
    acta = board.latest_acta(assembly.id).snapshot["agenda"]
    assert _triples_from_rows(acta[0]["rows"]) == expected

    # shown again, the need brings back its solution and plan (not the one hidden on its own)
    assemblies.set_status(make_user("admin"), assembly.id, "live", "Falta una corrección")
    db.session.commit()
    auth.logout()
    auth.login(moderator)
    staff = socket_client()
    db.session.get(Piece, gone[2].id).hidden = True
    db.session.commit()
    ack = staff.emit("hide_piece", {"id": gone[0].id, "hidden": False}, callback=True)
    assert ack["ok"], ack
    ids = {p["id"] for p in board.board_snapshot(assembly.id)["pieces"]}
    assert gone[0].id in ids and gone[1].id in ids and gone[2].id not in ids
    rows = board.consolidated_agenda(assembly.id)[0]["rows"]
    assert ("Acopio", "Centro de acopio") in {
        (r["need"]["text"], r["solution"]["text"]) for r in rows if r["need"] and r["solution"]
    }


def test_the_commitments_of_an_approved_agenda_leave_out_a_hidden_chain(make_assembly, make_user):
    from assembly.followup import services as followup

    assembly = make_assembly()
    t1, t2 = tables_for(assembly, per_group=2)[:2]
    shown = _chain([t1], ("Crédito", t1), ("Fondo", t1), ("Crear el fondo", t1))
    hidden = _chain([t2], ("Duplicado", t2), ("Otra", t2), ("Otro plan", t2))
    hidden[0].hidden = True
    db.session.commit()
    made = followup.commit_agenda(t1.group)
    assert [c.piece_id for c in made] == [shown[2].id]
    assert puzzle.is_shown(hidden[2]) is False and puzzle.is_shown(shown[2]) is True
