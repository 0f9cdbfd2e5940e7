"""Moments 2 and 3 on the record (issue 19.6): staff note the allies' offers and the
experiences live; they appear in the acta and start lessons-learned cards."""

import pytest
from sqlalchemy import select

from assembly.agenda import notes
from assembly.agenda.models import MomentNote
from assembly.assemblies import services as assemblies
from assembly.errors import Conflict, InvalidInput
from assembly.extensions import db
from assembly.followup import lessons

OFFER = {"kind": "oferta", "who": "SENA", "summary": "Cursos de cooperativismo en 2025",
         "details": "Formación para 200 asociados", "lessons": "no aplica"}  # fmt: skip
EXPERIENCE = {"kind": "experiencia", "who": "Asociación de Cacaoteros de Arauca",
              "summary": "Cómo vendieron juntos a un comprador nacional",
              "details": "¿Qué los unió? ¿Qué les costó?",
              "lessons": "Comprar insumos en común baja costos",
              "practices": "Un fondo rotatorio administrado por mujeres"}  # fmt: skip


def test_staff_note_offers_and_experiences_and_the_acta_keeps_them(make_assembly, client, auth):
    assembly = make_assembly()
    auth.login("moderator")
    assert client.post(f"/assemblies/{assembly.id}/momentos", data=EXPERIENCE).status_code == 302
    assert client.post(f"/assemblies/{assembly.id}/momentos", data=OFFER).status_code == 302
    page = client.get(f"/assemblies/{assembly.id}/momentos").get_data(as_text=True)
    assert "SENA" in page and "Un fondo rotatorio administrado por mujeres" in page
    stored = notes.notes_of(assembly.id)
    assert [n.kind for n in stored] == ["oferta", "experiencia"]  # offers first
    assert stored[0].lessons == ""  # an offer keeps no lessons
    assemblies.close_assembly(None, assembly, reason="Prueba sin votaciones")
    db.session.commit()
    acta = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert "Momento 2: ofertas institucionales de los aliados" in acta
    assert "Cursos de cooperativismo en 2025" in acta and "Formación para 200 asociados" in acta
    assert "Momento 3: diálogo de experiencias" in acta
    assert "Comprar insumos en común baja costos" in acta


def test_a_note_needs_who_and_what_and_the_kind(make_assembly, client, auth):
    assembly = make_assembly()
    auth.login("moderator")
    response = client.post(f"/assemblies/{assembly.id}/momentos", data={"kind": "otra"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Elija oferta institucional o experiencia." in page
    assert "Escriba quién presentó" in page
    assert db.session.scalar(select(MomentNote)) is None
    with pytest.raises(InvalidInput, match="Máximo 200 caracteres"):
        notes.add_note(None, assembly.id, {**OFFER, "who": "x" * 201})


def test_notes_are_refused_after_closing_and_a_facilitator_cannot_write(
    make_assembly, client, auth
):
    assembly = make_assembly()
    auth.login("facilitator")
    assert client.post(f"/assemblies/{assembly.id}/momentos", data=OFFER).status_code == 403
    assemblies.close_assembly(None, assembly, reason="Prueba")
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        notes.add_note(None, assembly.id, OFFER)
    assert refused.value.code == "closed"


def test_a_note_starts_a_lessons_card(make_assembly, client, auth):
    assembly = make_assembly()
    note = notes.add_note(None, assembly.id, EXPERIENCE)
    lessons.add_default_areas()
    db.session.commit()
    auth.login("organizer")
    form = client.get(f"/assemblies/{assembly.id}/lecciones/nueva?nota={note.id}")
    page = form.get_data(as_text=True)
    assert "Cómo vendieron juntos a un comprador nacional" in page  # description
    assert "Comprar insumos en común baja costos" in page  # lesson
    assert "Asociación de Cacaoteros de Arauca" in page  # actors
    other = make_assembly(name="Otra")
    assert client.get(f"/assemblies/{other.id}/lecciones/nueva?nota={note.id}").status_code == 404
