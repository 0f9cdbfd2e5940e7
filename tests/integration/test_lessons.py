"""Lessons-learned cards (issue 19.5, seed 003): coded per area ("LA2_ISE"), linked to the
assembly and optionally to a mesa and commitments, found again by keyword, territory and type
across assemblies, exported to Excel and printed one card per A4 page."""

import io

import openpyxl
import pytest
from sqlalchemy import select

from assembly.errors import InvalidInput
from assembly.extensions import db
from assembly.followup import lessons
from assembly.followup.models import LessonArea, LessonCard
from assembly.grouping.models import Group

CARD = {
    "kind": "positiva",
    "finding": "Las redes de apoyo entre participantes crean entornos de apoyo mutuo.",
    "lesson": "Se fomenta la creación de redes de apoyo entre las organizaciones.",
    "territory": "Arauca, Saravena",
    "keywords": "Red de apoyo, Habilidades técnicas",
    "actors": "UNAD, Unidad Solidaria",
}


@pytest.fixture
def areas(app):
    lessons.add_default_areas()
    db.session.commit()
    return {a.code: a for a in db.session.scalars(select(LessonArea))}


def _new(assembly, area, **extra):
    lists = extra.pop("lists", {})
    card = lessons.create_card(None, assembly.id, {**CARD, "area_id": str(area.id), **extra}, lists)
    db.session.commit()
    return card


def test_cards_are_numbered_per_area_across_assemblies(make_assembly, areas):
    arauca, meta = make_assembly(), make_assembly(name="Asamblea Meta")
    first = _new(arauca, areas["ISE"])
    other_area = _new(arauca, areas["FOR"])
    second = _new(meta, areas["ISE"])
    assert (first.code, other_area.code, second.code) == ("LA1_ISE", "LA1_FOR", "LA2_ISE")
    moved = lessons.update_card(
        None, arauca.id, other_area.id, {**CARD, "area_id": str(areas["ISE"].id)}, {}
    )
    assert moved.code == "LA3_ISE"


def test_a_card_keeps_the_seed_fields_the_compact_and_its_links(make_assembly, areas):
    assembly = make_assembly()
    group = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).first()
    card = _new(
        assembly,
        areas["ISE"],
        group_id=str(group.id),
        not_learned="No se evaluó la permanencia de las redes.",
        lists={"gcm_principles": ["a", "j"], "gcm_objectives": ["16", "7"], "sdgs": ["8"]},
    )
    stored = db.session.get(LessonCard, card.id)
    assert stored.group_id == group.id and stored.kind == "positiva"
    assert stored.texts["not_learned"] == "No se evaluó la permanencia de las redes."
    assert stored.gcm_principles == ["a", "j"] and stored.gcm_objectives == [7, 16]
    assert stored.sdgs == [8]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"finding": ""}, "finding"),
        ({"lesson": "  "}, "lesson"),
        ({"kind": "neutra"}, "kind"),
        ({"area_id": "999"}, "area_id"),
        ({"group_id": "999"}, "group_id"),
        ({"territory": "x" * 301}, "territory"),
    ],
)
def test_a_bad_card_is_refused_with_the_field_and_nothing_is_stored(
    make_assembly, areas, change, field
):
    assembly = make_assembly()
    raw = {**CARD, "area_id": str(areas["ISE"].id), **change}
    with pytest.raises(InvalidInput) as refused:
        lessons.create_card(None, assembly.id, raw, {})
    assert field in refused.value.fields
    db.session.rollback()
    assert db.session.scalar(select(LessonCard)) is None


def test_a_relation_outside_the_lists_is_refused(make_assembly, areas):
    with pytest.raises(InvalidInput) as refused:
        lessons.create_card(
            None, make_assembly().id, {**CARD, "area_id": str(areas["ISE"].id)},
            {"gcm_objectives": ["24"], "commitment_ids": ["77"]},
        )  # fmt: skip
    assert set(refused.value.fields) == {"gcm_objectives", "commitment_ids"}


def test_cards_are_found_by_keyword_territory_and_type_across_assemblies(
    make_assembly, areas, client, auth
):
    arauca, meta = make_assembly(name="Asamblea Arauca"), make_assembly(name="Asamblea Meta")
    _new(arauca, areas["ISE"])
    _new(meta, areas["FOR"], kind="negativa", territory="Villavicencio",
         finding="La convocatoria llegó tarde a las veredas.", keywords="Convocatoria",
         lesson="Convocar con un mes de anticipación.", actors="Alcaldía")  # fmt: skip
    auth.login("supervisor")
    page = client.get("/lecciones?q=redes+apoyo").get_data(as_text=True)
    assert "LA1_ISE" in page and "LA1_FOR" not in page
    page = client.get("/lecciones?territory=villavicencio").get_data(as_text=True)
    assert "LA1_FOR" in page and "LA1_ISE" not in page
    page = client.get("/lecciones?kind=positiva").get_data(as_text=True)
    assert "LA1_ISE" in page and "LA1_FOR" not in page
    assert "LA1_FOR" in client.get("/lecciones?q=la1_for").get_data(as_text=True)
    auth.logout()
    regional = auth.make_user("supervisor", assembly_ids=[arauca.id])
    auth.login(regional)
    page = client.get("/lecciones").get_data(as_text=True)
    assert "LA1_ISE" in page and "LA1_FOR" not in page


def test_staff_fill_a_card_through_the_form_and_a_facilitator_cannot(
    make_assembly, areas, client, auth
):
    assembly = make_assembly()
    auth.login("facilitator")
    data = {**CARD, "area_id": str(areas["ISE"].id), "sdgs": ["8", "10"]}
    assert client.post(f"/assemblies/{assembly.id}/lecciones/nueva", data=data).status_code == 403
    auth.logout()
    auth.login("organizer")
    form = client.get(f"/assemblies/{assembly.id}/lecciones/nueva").get_data(as_text=True)
    assert "Lección no aprendida" in form and "Principios rectores" in form
    assert client.post(f"/assemblies/{assembly.id}/lecciones/nueva", data=data).status_code == 302
    card = db.session.scalar(select(LessonCard))
    assert card.sdgs == [8, 10] and card.texts["actors"] == "UNAD, Unidad Solidaria"
    bad = client.post(f"/assemblies/{assembly.id}/lecciones/nueva", data={**data, "lesson": ""})
    assert bad.status_code == 422 and "Falta: lección aprendida." in bad.get_data(as_text=True)
    assert "Las redes de apoyo" in bad.get_data(as_text=True)  # what was typed stays
    listing = client.get(f"/assemblies/{assembly.id}/lecciones").get_data(as_text=True)
    assert "LA1_ISE" in listing


def test_the_area_table_takes_new_areas_with_unique_codes(app, client, auth, areas):
    auth.login("organizer")
    ok = client.post("/lecciones/areas", data={"name": "Comercialización", "code": "com"})
    assert ok.status_code == 302
    assert db.session.scalar(select(LessonArea.code).where(LessonArea.name == "Comercialización"))
    taken = client.post("/lecciones/areas", data={"name": "Otra", "code": "ISE"})
    assert taken.status_code == 422 and "Ese código ya es de otra área." in taken.get_data(True)
    spaced = client.post("/lecciones/areas", data={"name": "Otra", "code": "A B"})
    assert spaced.status_code == 422


def test_cards_export_to_excel_with_every_field_and_print_one_per_page(
    make_assembly, areas, client, auth
):
    assembly = make_assembly(name="Asamblea Arauca")
    _new(assembly, areas["ISE"], finding="=HYPERLINK(\"x\")",
         lists={"gcm_principles": ["a"], "gcm_objectives": ["16"]})  # fmt: skip
    _new(assembly, areas["ISE"], kind="negativa")
    auth.login("supervisor")
    response = client.get("/lecciones/excel?kind=positiva")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Lecciones aprendidas"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Código", "Área", "Asamblea"] and "Lección no aprendida" in headers
    assert "Pacto Mundial: objetivos" in headers and sheet.max_row == 2
    row = {h: c.value for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Código"] == "LA1_ISE" and row["Hallazgo"] == '\'=HYPERLINK("x")'
    assert row["Pacto Mundial: principios rectores"] == "a) Centrarse en las personas"
    printed = client.get(f"/assemblies/{assembly.id}/lecciones/imprimir").get_data(as_text=True)
    assert printed.count('class="lesson-sheet"') == 2
    assert "LA1_ISE:" in printed and "16. Empoderar a los migrantes" in printed
