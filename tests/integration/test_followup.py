"""Commitments after the day: made from an approved agenda, annulled with it, amended with
the piece; reported through a private link (photo stripped), confirmed or corrected by staff."""

import io
import zipfile
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from assembly.board import services as board
from assembly.errors import InvalidInput, NotFound
from assembly.extensions import db
from assembly.followup import domain
from assembly.followup import services as followup
from assembly.followup.models import Commitment, CommitmentUpdate, FollowupLink
from tests.support.board_seed import seed_pieces


@pytest.fixture
def plenary(make_assembly, make_attendee):
    from datetime import datetime

    assembly = make_assembly()
    for _ in range(10):  # the room present for the show of hands
        make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8))
    pieces = seed_pieces(assembly, 6, per_group=2)  # two need → solution → plan chains
    groups = board.board_groups(assembly.id)
    group_of = {p.id: p.table.group_id for p in pieces}
    plans = [p for p in pieces if p.kind == "plan"]
    return {
        "assembly": assembly,
        "pieces": pieces,
        "plans": plans,
        "group_of": group_of,
        "groups": groups,
    }


def _approve(assembly, group_id):
    board.record_hands(None, assembly.id, group_id, {"for": 9, "against": 1})
    db.session.commit()


def _commitments(assembly_id, **kw):
    return followup.commitments_of(assembly_id, **kw)


def test_approval_makes_one_commitment_per_plan_piece_with_its_chain(plenary):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    group_id = plenary["group_of"][plan.id]
    assert _commitments(assembly.id) == []
    _approve(assembly, group_id)
    made = _commitments(assembly.id)
    assert [c.piece_id for c in made] == [plan.id]
    commitment = made[0]
    assert commitment.what == plan.text and commitment.who == plan.who
    assert commitment.due == plan.due
    assert commitment.solution == plan.parent.text
    assert commitment.need == plan.parent.parent.text
    assert (commitment.status, commitment.progress) == ("pendiente", 0)
    link = db.session.scalar(select(FollowupLink).where(FollowupLink.assembly_id == assembly.id))
    assert link.who == plan.who and len(link.token) >= 40


def test_annulling_annuls_and_reapproving_brings_back_the_same_commitment(plenary):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    group_id = plenary["group_of"][plan.id]
    _approve(assembly, group_id)
    first = _commitments(assembly.id)[0]
    link = followup.link_for(assembly.id, plan.who)
    followup.report_progress(link.token, first.id, {"status": "en_curso", "progress": "30"})
    db.session.commit()
    board.reset_approval(None, assembly.id, group_id)
    db.session.commit()
    assert _commitments(assembly.id) == []
    assert [c.annulled for c in _commitments(assembly.id, include_annulled=True)] == [True]
    _approve(assembly, group_id)
    again = _commitments(assembly.id)
    assert [c.id for c in again] == [first.id]
    assert (again[0].status, again[0].progress, len(again[0].updates)) == ("en_curso", 30, 1)


def test_a_rejected_agenda_makes_no_commitment(plenary):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    board.record_hands(None, assembly.id, plenary["group_of"][plan.id], {"for": 1, "against": 9})
    db.session.commit()
    assert db.session.scalars(select(Commitment)).all() == []


def test_plenary_amendments_carry_over_to_the_commitment(plenary):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    _approve(assembly, plenary["group_of"][plan.id])
    board.amend_piece(
        None,
        assembly.id,
        plan.id,
        {
            "text": "Reglamento aprobado en asamblea",
            "who": "Alcaldía de Arauca",
            "due": "2025-T4",
            "reason": "Ajuste de la plenaria",
        },
    )
    need = plan.parent.parent
    board.amend_piece(None, assembly.id, need.id, {"text": "Crédito blando", "reason": "Más corto"})
    db.session.commit()
    commitment = _commitments(assembly.id)[0]
    assert (commitment.what, commitment.who, commitment.due) == (
        "Reglamento aprobado en asamblea",
        "Alcaldía de Arauca",
        "2025-T4",
    )
    assert commitment.need == "Crédito blando"
    # the new responsible has a link that shows this commitment
    link = followup.link_for(assembly.id, "  alcaldia DE arauca ")
    assert [c.id for c in followup.commitments_for_link(link)] == [commitment.id]


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (4.0, 35.0, 0.0)}  # GPS latitude
    exif[0x0112] = 1  # orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_the_responsible_reports_with_a_photo_stripped_of_metadata(plenary):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    _approve(assembly, plenary["group_of"][plan.id])
    commitment = _commitments(assembly.id)[0]
    link = followup.link_for(assembly.id, plan.who)
    raw_photo = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw_photo)).getexif()  # the phone's photo has its metadata
    update = followup.report_progress(
        link.token,
        commitment.id,
        {"status": "en_riesgo", "progress": "40", "note": "Falta el lote"},
        raw_photo,
    )
    db.session.commit()
    stored = Image.open(io.BytesIO(update.photo))
    assert stored.format == "JPEG" and max(stored.size) == 1600
    assert not stored.getexif() and "exif" not in stored.info
    assert (commitment.status, commitment.progress) == ("en_riesgo", 40)
    assert update.review == "pendiente" and update.source == "responsable"
    flags = followup.flags_of(commitment)
    assert flags["at_risk"] is True


def test_bad_reports_change_nothing_and_say_why(plenary):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    _approve(assembly, plenary["group_of"][plan.id])
    commitment = _commitments(assembly.id)[0]
    link = followup.link_for(assembly.id, plan.who)
    cases = [
        ({"status": "cumplido", "progress": "80"}, None, "progress"),
        ({"status": "hecho", "progress": "10"}, None, "status"),
        ({"status": "en_curso", "progress": "101"}, None, "progress"),
        ({"status": "en_curso", "progress": "10"}, b"not an image at all", "photo"),
    ]
    for raw, photo, field in cases:
        with pytest.raises(InvalidInput) as refused:
            followup.report_progress(link.token, commitment.id, raw, photo)
        assert field in refused.value.fields
        db.session.rollback()
    assert db.session.scalars(select(CommitmentUpdate)).all() == []
    assert commitment.status == "pendiente"
    with pytest.raises(NotFound):
        followup.report_progress("no-such-token", commitment.id, {"status": "en_curso"})
    other = followup.link_for(assembly.id, "Otra organización")
    with pytest.raises(NotFound):  # a link reports only its own commitments
        followup.report_progress(other.token, commitment.id, {"status": "en_curso", "progress": 5})


def test_staff_confirm_or_correct_a_report(plenary, make_user):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    staff = make_user("supervisor")
    _approve(assembly, plenary["group_of"][plan.id])
    commitment = _commitments(assembly.id)[0]
    link = followup.link_for(assembly.id, plan.who)
    first = followup.report_progress(
        link.token, commitment.id, {"status": "en_curso", "progress": 50}
    )
    second = followup.report_progress(
        link.token, commitment.id, {"status": "cumplido", "progress": 100}
    )
    db.session.commit()
    assert followup.pending_reviews(assembly.id) == [first, second]
    followup.review_update(staff, assembly.id, first.id, {"action": "confirm"})
    followup.review_update(
        staff,
        assembly.id,
        second.id,
        {"action": "correct", "status": "en_curso", "progress": 90, "note": "Falta el acta"},
    )
    db.session.commit()
    assert followup.pending_reviews(assembly.id) == []
    assert (first.review, second.review) == ("confirmado", "corregido")
    assert (commitment.status, commitment.progress) == ("en_curso", 90)
    assert [u.source for u in commitment.updates] == ["responsable", "responsable", "equipo"]


def test_overdue_is_flagged_only_while_unfinished():
    assert domain.flags("en_curso", "2025-T1", date(2025, 4, 1))["overdue"] is True
    assert domain.flags("en_curso", "2025-T1", date(2025, 3, 31))["overdue"] is False
    assert domain.flags("cumplido", "2025-T1", date(2026, 1, 1))["overdue"] is False
    assert domain.flags("pendiente", "2025-06-30", date(2025, 7, 1))["overdue"] is True
    assert domain.flags("pendiente", None, date(2030, 1, 1))["overdue"] is False


# --- pages ----------------------------------------------------------------------------------


def _closed_with_commitment(plenary):
    from assembly.assemblies.services import close_assembly

    assembly, plan = plenary["assembly"], plenary["plans"][0]
    _approve(assembly, plenary["group_of"][plan.id])
    close_assembly(None, assembly, "Las demás mesas no presentaron agenda")
    db.session.commit()
    return assembly, plan, _commitments(assembly.id)[0]


def _csrf(page: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_after_closing_the_responsible_reports_from_the_private_link(plenary, client):
    assembly, plan, commitment = _closed_with_commitment(plenary)
    link = followup.link_for(assembly.id, plan.who)
    db.session.commit()
    page = client.get(f"/seguimiento/{link.token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert commitment.what in html
    photo = (io.BytesIO(_jpeg_with_gps()), "foto.jpg")
    sent = client.post(
        f"/seguimiento/{link.token}/{commitment.id}",
        data={
            "csrf_token": _csrf(html),
            "status": "en_curso",
            "progress": "35",
            "note": "Reunión hecha",
            "photo": photo,
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    db.session.expire_all()
    commitment = db.session.get(Commitment, commitment.id)
    assert (commitment.status, commitment.progress) == ("en_curso", 35)
    assert commitment.updates[0].photo
    # refused input comes back in the form with its reason, nothing stored
    bad = client.post(
        f"/seguimiento/{link.token}/{commitment.id}",
        data={"csrf_token": _csrf(html), "status": "cumplido", "progress": "70", "note": "Casi"},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "100 %" in text and "Casi" in text
    assert len(db.session.get(Commitment, commitment.id).updates) == 1
    assert client.get("/seguimiento/no-such-token").status_code == 404


def test_staff_pages_list_flag_print_and_confirm(plenary, client, auth):
    assembly, plan, commitment = _closed_with_commitment(plenary)
    link = followup.link_for(assembly.id, plan.who)
    update = followup.report_progress(
        link.token, commitment.id, {"status": "en_riesgo", "progress": 20}
    )
    db.session.commit()
    auth.login("supervisor")
    page = client.get(f"/assemblies/{assembly.id}/compromisos")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert commitment.what in html and "Reportes por revisar" in html and link.token in html
    sheet = client.get(f"/assemblies/{assembly.id}/compromisos/hoja").get_data(as_text=True)
    assert "<svg" in sheet and plan.who in sheet and link.token in sheet
    done = client.post(
        f"/assemblies/{assembly.id}/compromisos/avances/{update.id}",
        data={"csrf_token": _csrf(html), "action": "confirm"},
    )
    assert done.status_code == 302
    assert db.session.get(CommitmentUpdate, update.id).review == "confirmado"
    details = client.post(
        f"/assemblies/{assembly.id}/compromisos/{commitment.id}",
        data={
            "csrf_token": _csrf(html),
            "action": "details",
            "who_kind": "institucion",
            "indicator": "Reglamento firmado",
            "money": "$2.000.000",
        },
    )
    assert details.status_code == 302
    db.session.expire_all()
    again = db.session.get(Commitment, commitment.id)
    assert (again.who_kind, again.indicator, again.money) == (
        "institucion",
        "Reglamento firmado",
        "$2.000.000",
    )
    auth.logout()
    auth.login("facilitator")  # sees the list, may not change it
    seen = client.get(f"/assemblies/{assembly.id}/compromisos")
    assert seen.status_code == 200
    assert "Completar y actualizar" not in seen.get_data(as_text=True)
    refused = client.post(
        f"/assemblies/{assembly.id}/compromisos/{commitment.id}",
        data={
            "csrf_token": _csrf(seen.get_data(as_text=True)),
            "action": "details",
            "who_kind": "persona",
        },
    )
    assert refused.status_code == 403


def test_followup_workbook_has_status_progress_and_the_history(plenary, client, auth):
    import openpyxl

    assembly, plan = plenary["assembly"], plenary["plans"][0]
    _approve(assembly, plenary["group_of"][plan.id])
    commitment = _commitments(assembly.id)[0]
    link = followup.link_for(assembly.id, plan.who)
    followup.report_progress(
        link.token, commitment.id, {"status": "en_curso", "progress": 30, "note": "Primera reunión"}
    )
    followup.report_progress(
        link.token,
        commitment.id,
        {"status": "en_riesgo", "progress": 40, "note": "Sin lote"},
        _jpeg_with_gps(),
    )
    db.session.commit()
    auth.login("supervisor")
    sent = client.post(
        "/reports/export",
        data={
            "report": "seguimiento",
            "assembly_ids": [str(assembly.id)],
            "variant": "seudonimizada",
        },
    )
    sent.get_data()
    sent.close()
    assert sent.status_code == 200, sent.get_data(as_text=True)[:300]
    book = openpyxl.load_workbook(io.BytesIO(sent.data))
    assert book.sheetnames == ["Compromisos", "Historial de seguimiento"]

    def table(sheet):
        rows = [r for r in sheet.iter_rows(values_only=True)]
        start = next(i for i, r in enumerate(rows) if r and r[0] == "Código")
        return list(rows[start]), [r for r in rows[start + 1 :] if any(r)]

    headers, rows = table(book["Compromisos"])
    by_what = {r[headers.index("Compromiso (qué se hará)")]: r for r in rows}
    row = by_what[plan.text]
    assert row[headers.index("Estado")] == "En riesgo"
    assert row[headers.index("Avance (%)")] == 40
    assert row[headers.index("Observaciones de seguimiento")] == "Sin lote"
    headers, rows = table(book["Historial de seguimiento"])
    assert [
        (r[headers.index("Estado")], r[headers.index("Avance (%)")], r[headers.index("Foto")])
        for r in rows
    ] == [("En curso", 30, "No"), ("En riesgo", 40, "Sí")]
    assert {r[headers.index("Revisión")] for r in rows} == {"Por revisar"}


# --- monitoring and the public page ---------------------------------------------------------


def test_monitoring_is_scoped_filtered_summarised_and_exported(
    plenary, make_assembly, client, auth, make_user
):
    import openpyxl

    assembly, plan = plenary["assembly"], plenary["plans"][0]
    _approve(assembly, plenary["group_of"][plan.id])
    commitment = _commitments(assembly.id)[0]
    link = followup.link_for(assembly.id, plan.who)
    followup.report_progress(link.token, commitment.id, {"status": "en_curso", "progress": 60})
    other = make_assembly(name="Asamblea de otra región", region="Caribe")
    other_plan = next(p for p in seed_pieces(other, 3, per_group=1) if p.kind == "plan")
    other_plan.text = "Feria regional del Caribe"
    other_commitment = followup.commit_agenda(other_plan.table.group)[0]
    db.session.commit()
    national = make_user("supervisor", all_assemblies=True)
    auth.login(national)
    page = client.get("/compromisos").get_data(as_text=True)
    assert commitment.what in page and other_commitment.what in page
    by_region = client.get("/compromisos?region=Caribe").get_data(as_text=True)
    assert other_commitment.what in by_region and "60 %" not in by_region
    book = client.get("/compromisos/excel?por=theme")
    assert book.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(book.data))
    assert workbook.sheetnames == ["Compromisos", "Resumen"]
    with zipfile.ZipFile(io.BytesIO(book.data)) as archive:  # a native Excel chart
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())
    assert workbook["Compromisos"].max_row == 3
    auth.logout()
    regional = make_user("supervisor", assembly_ids=[assembly.id])
    auth.login(regional)
    mine = client.get("/compromisos").get_data(as_text=True)
    assert commitment.what in mine and other_commitment.what not in mine


def test_public_accountability_is_opt_in_and_never_names_a_person(
    plenary, client, auth, make_attendee
):
    assembly, plan = plenary["assembly"], plenary["plans"][0]
    make_attendee(assembly, first_names="María José", last_names="Pérez Gómez")
    _approve(assembly, plenary["group_of"][plan.id])
    commitment = _commitments(assembly.id)[0]
    db.session.commit()
    assert client.get(f"/rendicion/{assembly.id}").status_code == 404
    auth.login("supervisor")
    html = client.get(f"/assemblies/{assembly.id}/compromisos").get_data(as_text=True)
    client.post(
        f"/assemblies/{assembly.id}/compromisos/publico",
        data={"csrf_token": _csrf(html), "public": "1"},
    )
    auth.logout()
    page = client.get(f"/rendicion/{assembly.id}").get_data(as_text=True)
    assert commitment.what in page and plan.who in page
    commitment = db.session.get(Commitment, commitment.id)
    commitment.who = "maria jose PEREZ y Fundación Tejido"  # a registered person's name
    db.session.commit()
    page = client.get(f"/rendicion/{assembly.id}").get_data(as_text=True)
    assert commitment.what in page and "PEREZ" not in page and "Tejido" not in page
    commitment = db.session.get(Commitment, commitment.id)
    commitment.who, commitment.who_kind = "Juana Ríos", "persona"
    db.session.commit()
    assert "Juana" not in client.get(f"/rendicion/{assembly.id}").get_data(as_text=True)
