"""The unified registration form three ways (public link, desk walk-in, desk edit), duplicates,
the attendees list, extra questions, tickets, QR codes, badges and the poster."""

import io
import re

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from assembly.auth.domain import GRANTS, Permission, Role
from assembly.core.qr import qr_matrix
from assembly.registration import domain
from assembly.registration.models import Attendee
from tests.conftest import TEST_LAN_ADDRESS
from tests.support.qr_read import decode_png, decode_svg


def good_form(**overrides) -> dict:
    form = {
        "document_type": "CC",
        "document_number": "1.057.123.456",
        "first_names": "maría josé",
        "last_names": "PÉREZ GÓMEZ",
        "birth_date": "1990-05-04",
        "age_range": "",
        "sex": "mujer",
        "gender_identity": "femenino",
        "sexual_orientation": "prefiero_no_responder",
        "ethnicity": "negro_afrocolombiano",
        "has_disability": "no",
        "disability_kind": "",
        "is_victim": "si",
        "is_migrant": "no",
        "zone": "rural",
        "phone": "300 123 4567",
        "email": "maria@example.com",
        "department_code": "81",
        "municipality_code": "81794",
        "organization_name": "Asociación de Cacaoteros",
        "organization_kind": "economia_solidaria",
        "organization_role": "Tesorera",
        "line_of_work": "campesino",
        "knows_pit": "si",
        "took_part_before": "no",
        "preferred_theme_id": "",
        "consent_data": "si",
        "consent_photos": "",
    }
    form.update(overrides)
    return form


@pytest.fixture
def open_assembly(make_assembly, db):
    assembly = make_assembly(agreement_line="Convenio Interadministrativo No. 02 de 2023")
    assembly.status = "open"
    db.session.commit()
    return assembly


def count(db, assembly) -> int:
    return db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly.id)
    )


# --- the public form --------------------------------------------------------------------------


def test_public_form_shows_every_field_and_the_full_consent(client, open_assembly):
    page = client.get(f"/inscripcion/{open_assembly.id}").get_data(as_text=True)
    for field in domain.FIELDS:
        assert f'name="{field.key}"' in page, field.key
    # the habeas data text in full, naming who processes the data, and the photo consent apart
    assert "Ley Estatutaria 1581 de 2012" in page
    assert "quince (15) días hábiles" in page
    assert "Convenio Interadministrativo No. 02 de 2023" in page
    assert "AUTORIZACIÓN DE USO DE IMAGEN" in page
    assert page.count('type="checkbox"') == 2
    # the department -> municipality select reuses divipola.js
    assert "data-municipalities" in page and "js/screens/divipola.js" in page


def test_public_registration_creates_a_preregistration_and_says_it_was_received(
    client, open_assembly, db
):
    response = client.post(f"/inscripcion/{open_assembly.id}", data=good_form())
    assert response.status_code == 302
    attendee = db.session.scalar(select(Attendee))
    # never the ticket: a registered document must get the very same answer (issue 17.2)
    assert response.headers["Location"].endswith(f"/inscripcion/{open_assembly.id}/recibida")
    assert attendee.source == "preregistro"
    assert attendee.document_number == "1057123456"
    assert attendee.full_name == "María José Pérez Gómez"
    assert attendee.name_key == "maria jose perez gomez"
    assert attendee.age_range == "29-40"
    assert attendee.is_victim and not attendee.is_migrant and attendee.knows_pit
    assert attendee.consent_data and not attendee.consent_photos
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Recibimos su inscripción" in page and "mesa de registro" in page
    assert attendee.ticket_token not in page and "/t/" not in page


def test_a_new_and_a_registered_document_run_the_same_statements(client, open_assembly, db):
    """Issue 17.2: not even the work done tells a registered document from a new one (a
    timing difference would): both POSTs run the very same SQL, counted by a listener."""
    from sqlalchemy import event

    from assembly.extensions import db as _db

    def statements_of(form):
        seen = []

        def note(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        # the test's session outlives requests (one app context): each POST starts from
        # nothing loaded, as each request does in production
        _db.session.expire_all()
        event.listen(_db.engine, "before_cursor_execute", note)
        try:
            response = client.post(f"/inscripcion/{open_assembly.id}", data=form)
        finally:
            event.remove(_db.engine, "before_cursor_execute", note)
        return response, seen

    first = good_form()
    client.post(f"/inscripcion/{open_assembly.id}", data=first)  # registered, and warmed up
    db.session.expire_all()
    stored = db.session.scalar(select(Attendee))
    before = (stored.ticket_token, stored.first_names, stored.phone)
    again, known = statements_of(good_form(first_names="Otra", phone="311 000 0000"))
    new, fresh = statements_of(good_form(document_number="52.000.111"))
    assert again.status_code == new.status_code == 302
    assert again.headers["Location"] == new.headers["Location"]
    assert known == fresh and any(s.startswith("INSERT INTO attendees") for s in known)
    db.session.expire_all()
    assert count(db, open_assembly) == 2
    stored = db.session.get(Attendee, stored.id)
    assert (stored.ticket_token, stored.first_names, stored.phone) == before  # unchanged


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_public_form_only_while_registrations_are_open(client, open_assembly, db, status):
    open_assembly.status = status
    db.session.commit()
    page = client.get(f"/inscripcion/{open_assembly.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "mesa de registro" in text and 'name="document_number"' not in text
    response = client.post(f"/inscripcion/{open_assembly.id}", data=good_form())
    assert response.status_code == 403
    assert count(db, open_assembly) == 0


def test_public_form_is_open_while_live(client, open_assembly, db):
    open_assembly.status = "live"
    db.session.commit()
    assert client.post(f"/inscripcion/{open_assembly.id}", data=good_form()).status_code == 302


def test_unknown_assembly_is_404(client):
    assert client.get("/inscripcion/999999").status_code == 404


# Every field, with a bad value (and where its message shows) and a good one.
FIELD_CASES = [
    ("document_type", {"document_type": "XX"}, "document_type", {"document_type": "CE"}),
    ("document_type", {"document_type": ""}, "document_type", {"document_type": "cédula"}),
    ("document_number", {"document_number": "12ab"}, "document_number", {"document_number": "1 234 567"}),
    ("document_number", {"document_number": ""}, "document_number", {"document_type": "PA", "document_number": "AB12345"}),
    ("first_names", {"first_names": "J4n"}, "first_names", {"first_names": "Ana-Lucía"}),
    ("first_names", {"first_names": "J"}, "first_names", {"first_names": "Jo"}),
    ("last_names", {"last_names": ""}, "last_names", {"last_names": "O'Neil"}),
    ("birth_date", {"birth_date": "2999-01-01"}, "birth_date", {"birth_date": "04/05/1990"}),
    ("birth_date", {"birth_date": "ayer"}, "birth_date", {"birth_date": "2000-02-29"}),
    ("birth_date", {"birth_date": "", "age_range": ""}, "birth_date", {"birth_date": "", "age_range": "60+"}),
    ("age_range", {"birth_date": "", "age_range": "muy joven"}, "age_range", {"birth_date": "", "age_range": "18-28"}),
    ("sex", {"sex": ""}, "sex", {"sex": "hombre"}),
    ("sex", {"sex": "otro"}, "sex", {"sex": "prefiero_no_responder"}),
    ("gender_identity", {"gender_identity": "zzz"}, "gender_identity", {"gender_identity": "no_binario"}),
    ("sexual_orientation", {"sexual_orientation": "zzz"}, "sexual_orientation", {"sexual_orientation": ""}),
    ("ethnicity", {"ethnicity": ""}, "ethnicity", {"ethnicity": "rrom"}),
    ("has_disability", {"has_disability": "tal vez"}, "has_disability", {"has_disability": ""}),
    ("disability_kind", {"has_disability": "si"}, "disability_kind", {"has_disability": "si", "disability_kind": "visual"}),
    ("disability_kind", {"has_disability": "no", "disability_kind": "visual"}, "disability_kind", {"has_disability": "no", "disability_kind": ""}),
    ("is_victim", {"is_victim": "quizá"}, "is_victim", {"is_victim": "no"}),
    ("is_migrant", {"is_migrant": "quizá"}, "is_migrant", {"is_migrant": "si"}),
    ("zone", {"zone": "playa"}, "zone", {"zone": "urbana"}),
    ("phone", {"phone": "12"}, "phone", {"phone": "+58 412 555 1234"}),
    ("email", {"email": "no-es-correo"}, "email", {"email": ""}),
    ("department_code", {"department_code": "42"}, "department_code", {"department_code": "81"}),
    ("department_code", {"department_code": "", "municipality_code": ""}, "department_code", {"department_code": "", "municipality_code": "81001"}),
    ("municipality_code", {"municipality_code": "05001"}, "municipality_code", {"municipality_code": "81001"}),
    ("municipality_code", {"municipality_code": ""}, "municipality_code", {"municipality_code": "81065"}),
    ("organization_name", {"organization_name": "x" * 201}, "organization_name", {"organization_name": ""}),
    ("organization_kind", {"organization_kind": "zzz"}, "organization_kind", {"organization_kind": "comunitaria"}),
    ("organization_role", {"organization_role": "x" * 121}, "organization_role", {"organization_role": "Presidente"}),
    ("line_of_work", {"line_of_work": "astronauta"}, "line_of_work", {"line_of_work": "reciclador"}),
    ("knows_pit", {"knows_pit": "quizá"}, "knows_pit", {"knows_pit": "no"}),
    ("took_part_before", {"took_part_before": "quizá"}, "took_part_before", {"took_part_before": "si"}),
    ("preferred_theme_id", {"preferred_theme_id": "999999"}, "preferred_theme_id", {"preferred_theme_id": "THEME"}),
    ("consent_data", {"consent_data": ""}, "consent_data", {"consent_data": "si"}),
    ("consent_photos", {"consent_photos": "quizá"}, "consent_photos", {"consent_photos": "si"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("field", "bad", "error_key", "good"),
    FIELD_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(FIELD_CASES)],
)
def test_each_field_bad_then_good(client, open_assembly, db, field, bad, error_key, good):
    url = f"/inscripcion/{open_assembly.id}"
    response = client.post(url, data=good_form(**bad))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # the message sits next to the field, and the summary on top links to it
    assert f'id="e-{error_key}"' in page
    assert f'href="#f-{error_key}"' in page
    assert page.index('id="error-summary"') < page.index('id="registration-form"')
    # nothing typed is lost
    assert 'value="Asociación de Cacaoteros"' in page or "x" * 201 in page
    assert 'value="300 123 4567"' in page or field == "phone"
    assert count(db, open_assembly) == 0

    good = {
        key: (str(open_assembly.themes[0].id) if value == "THEME" else value)
        for key, value in good.items()
    }
    response = client.post(url, data=good_form(**good))
    assert response.status_code == 302, re.findall(
        r'class="error"[^>]*>([^<]*)', response.get_data(as_text=True)
    )
    assert count(db, open_assembly) == 1


def test_selected_municipality_list_is_kept_after_an_error(client, open_assembly):
    page = client.post(f"/inscripcion/{open_assembly.id}", data=good_form(first_names="")).get_data(
        as_text=True
    )
    assert re.search(r'<option value="81794"\s+selected>Tame</option>', page)


# --- duplicates -------------------------------------------------------------------------------


def test_public_form_answers_a_registered_document_as_a_new_one_and_changes_nothing(
    client, open_assembly, make_attendee, db
):
    """Issue 17.2: the public form never tells whether a document is registered."""
    holder = make_attendee(
        open_assembly, document_number="1057123456", first_names="Rosa", last_names="Secreta"
    )
    before = (holder.full_name, holder.ticket_token, holder.phone, holder.source)
    url = f"/inscripcion/{open_assembly.id}"
    known = client.post(url, data=good_form())  # the same document, another name
    new = client.post(url, data=good_form(document_number="1057999888"))
    assert known.status_code == new.status_code == 302
    assert known.headers["Location"] == new.headers["Location"]
    known_page = client.get(known.headers["Location"])
    new_page = client.get(new.headers["Location"])
    assert known_page.status_code == new_page.status_code == 200
    assert known_page.get_data() == new_page.get_data()
    assert "Secreta" not in known_page.get_data(as_text=True)
    # the second submission changed nothing: same name, same ticket
    db.session.expire_all()
    assert (holder.full_name, holder.ticket_token, holder.phone, holder.source) == before
    assert count(db, open_assembly) == 2
    # a bad form is refused the same way whether or not the document is known
    bad_known = client.post(url, data=good_form(first_names="J4n"))
    bad_new = client.post(url, data=good_form(document_number="1057000111", first_names="J4n"))
    assert bad_known.status_code == bad_new.status_code == 422
    assert "ya está inscrito" not in bad_known.get_data(as_text=True)
    assert count(db, open_assembly) == 2


def test_desk_duplicate_names_the_holder_and_offers_the_record(
    client, auth, open_assembly, make_attendee, db
):
    holder = make_attendee(
        open_assembly, document_number="1057123456", first_names="Rosa", last_names="Ruiz"
    )
    auth.login("organizer")
    response = client.post(
        f"/assemblies/{open_assembly.id}/attendees/new?desk=Mesa%201&return=desk",
        data=good_form(),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Rosa Ruiz" in page
    assert f"/assemblies/{open_assembly.id}/attendees/{holder.id}/edit" in page
    assert f"/t/{holder.ticket_token}" in page
    assert f"checkin={holder.ticket_token}" in page
    assert count(db, open_assembly) == 1


def test_a_duplicate_document_is_explained_in_the_staff_members_language(
    client, auth, open_assembly, make_attendee
):
    make_attendee(
        open_assembly, document_number="1057123456", first_names="Rosa", last_names="Ruiz"
    )
    auth.login("organizer")
    refresh()  # the test's one app context keeps the locale it last chose
    response = client.post(
        f"/assemblies/{open_assembly.id}/attendees/new?lang=en", data=good_form()
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This document is already registered in this assembly." in page
    assert "ya está inscrito" not in page


def test_same_document_may_register_in_another_assembly(
    client, auth, open_assembly, make_assembly, make_attendee
):
    other = make_assembly()
    make_attendee(other, document_number="1057123456")
    auth.login("organizer")
    response = client.post(f"/assemblies/{open_assembly.id}/attendees/new", data=good_form())
    assert response.status_code == 302


# --- desk walk-in and edit --------------------------------------------------------------------


def test_walk_in_from_the_desk_goes_back_to_the_desk_checking_in(client, auth, open_assembly, db):
    auth.login("organizer")
    response = client.post(
        f"/assemblies/{open_assembly.id}/attendees/new?desk=Mesa%202&return=desk",
        data=good_form(),
    )
    attendee = db.session.scalar(select(Attendee))
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/assemblies/{open_assembly.id}/desk?desk=Mesa+2&checkin={attendee.ticket_token}"
    )
    assert attendee.source == "mesa"


def test_walk_in_without_desk_goes_to_the_list(client, auth, open_assembly, db):
    auth.login("admin")
    page = client.get(f"/assemblies/{open_assembly.id}/attendees/new").get_data(as_text=True)
    assert 'name="consent_data"' in page
    response = client.post(f"/assemblies/{open_assembly.id}/attendees/new", data=good_form())
    assert response.headers["Location"].endswith(f"/assemblies/{open_assembly.id}/attendees")


def test_walk_in_works_in_a_draft_assembly(client, auth, make_assembly):
    assembly = make_assembly()  # the desk is not limited by the public form's status
    auth.login("organizer")
    assert (
        client.post(f"/assemblies/{assembly.id}/attendees/new", data=good_form()).status_code == 302
    )


def test_edit_prefills_and_saves_keeping_the_ticket(client, auth, open_assembly, db):
    auth.login("organizer")
    client.post(f"/assemblies/{open_assembly.id}/attendees/new", data=good_form())
    attendee = db.session.scalar(select(Attendee))
    token = attendee.ticket_token
    url = f"/assemblies/{open_assembly.id}/attendees/{attendee.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="María José"' in page
    assert re.search(r'value="si" checked>\s*Sí', page)  # is_victim
    response = client.post(url, data=good_form(first_names="Marta", is_victim="no"))
    assert response.status_code == 302
    db.session.refresh(attendee)
    assert attendee.first_names == "Marta" and not attendee.is_victim
    assert attendee.name_key == "marta perez gomez"
    assert attendee.ticket_token == token and attendee.source == "mesa"


def test_unanswered_yes_no_questions_stay_unanswered_through_form_and_edit(
    client, auth, open_assembly, db
):
    auth.login("organizer")
    client.post(
        f"/assemblies/{open_assembly.id}/attendees/new",
        data=good_form(is_victim="", knows_pit="", has_disability=""),
    )
    attendee = db.session.scalar(select(Attendee))
    assert (attendee.is_victim, attendee.knows_pit, attendee.has_disability) == (None, None, None)
    assert attendee.is_migrant is False and attendee.took_part_before is False
    url = f"/assemblies/{open_assembly.id}/attendees/{attendee.id}/edit"
    page = client.get(url).get_data(as_text=True)
    # each question offers «Sin responder», checked where nothing was answered
    block = re.search(r'id="f-is_victim".*?</fieldset>', page, re.S).group(0)
    assert re.search(r'value="" checked>\s*Sin responder', block)
    block = re.search(r'id="f-is_migrant".*?</fieldset>', page, re.S).group(0)
    assert re.search(r'value="no" checked>\s*No', block) and 'value="" checked' not in block
    client.post(url, data=good_form(is_victim="si", is_migrant=""))
    db.session.refresh(attendee)
    assert attendee.is_victim is True and attendee.is_migrant is None


def test_edit_to_someone_elses_document_is_refused(client, auth, open_assembly, make_attendee, db):
    other = make_attendee(
        open_assembly, document_number="999888777", first_names="Otro", last_names="Dueño"
    )
    mine = make_attendee(open_assembly, document_number="111222333")
    auth.login("organizer")
    url = f"/assemblies/{open_assembly.id}/attendees/{mine.id}/edit"
    response = client.post(url, data=good_form(document_number="999888777"))
    assert response.status_code == 422
    assert "Otro Dueño" in response.get_data(as_text=True)
    db.session.refresh(mine)
    assert mine.document_number == "111222333"
    assert other.document_number == "999888777"


def test_edit_of_an_attendee_of_another_assembly_is_404(
    client, auth, open_assembly, make_assembly, make_attendee
):
    stranger = make_attendee(make_assembly())
    auth.login("organizer")
    assert (
        client.get(f"/assemblies/{open_assembly.id}/attendees/{stranger.id}/edit").status_code
        == 404
    )


# --- the attendees list -----------------------------------------------------------------------


def test_list_searches_without_accents_and_by_document(client, auth, open_assembly, make_attendee):
    make_attendee(
        open_assembly,
        first_names="María",
        last_names="Peña",
        name_key="maria pena",
        document_number="52111222",
    )
    make_attendee(
        open_assembly,
        first_names="Pedro",
        last_names="Gómez",
        name_key="pedro gomez",
        document_number="79333444",
    )
    auth.login("organizer")
    url = f"/assemblies/{open_assembly.id}/attendees"
    page = client.get(url + "?q=MARIA pena").get_data(as_text=True)
    assert "María Peña" in page and "Pedro Gómez" not in page
    page = client.get(url + "?q=Peña").get_data(as_text=True)
    assert "María Peña" in page
    page = client.get(url + "?q=79.333").get_data(as_text=True)
    assert "Pedro Gómez" in page and "María Peña" not in page
    page = client.get(url + "?q=zzz").get_data(as_text=True)
    assert "Nadie coincide" in page


def test_list_pages_and_counts(client, auth, open_assembly, make_attendee, db):
    for n in range(53):
        make_attendee(open_assembly, name_key=f"persona {n:03d}")
    make_attendee(open_assembly, source="importado", name_key="zz ultima")
    auth.login("organizer")
    url = f"/assemblies/{open_assembly.id}/attendees"
    first = client.get(url).get_data(as_text=True)
    assert first.count('name="ids"') == 50 and "Página 1 de 2" in first
    assert re.search(r'stat-value">54<', first)
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert second.count('name="ids"') == 4
    partial = client.get(url + "?q=ultima&partial=1").get_data(as_text=True)
    assert "<html" not in partial and partial.count('name="ids"') == 1


def test_personal_data_visible_only_with_permission(
    client, auth, open_assembly, make_attendee, monkeypatch
):
    make_attendee(open_assembly, document_number="52111222", phone="3001234567", email="a@b.co")
    auth.login("organizer")
    page = client.get(f"/assemblies/{open_assembly.id}/attendees").get_data(as_text=True)
    assert "52111222" in page and "3001234567" in page and "a@b.co" in page
    auth.logout()
    # a role that works the desk without the personal-data permission sees them masked
    monkeypatch.setitem(GRANTS, Role.FACILITATOR, GRANTS[Role.FACILITATOR] | {Permission.DESK})
    auth.login("facilitator")
    page = client.get(f"/assemblies/{open_assembly.id}/attendees").get_data(as_text=True)
    assert "52111222" not in page and "•••••222" in page
    assert "3001234567" not in page and "a@b.co" not in page


@pytest.mark.parametrize("role", ["facilitator", "moderator", "supervisor"])
def test_desk_screens_refuse_roles_without_desk(client, auth, open_assembly, role):
    auth.login(role)
    for path in ("attendees", "attendees/new", "badges?all=1", "import", "poster"):
        assert client.get(f"/assemblies/{open_assembly.id}/{path}").status_code == 403, path


# --- extra questions --------------------------------------------------------------------------


def _add_question(client, assembly, **form):
    return client.post(f"/assemblies/{assembly.id}/questions/0/add", data=form)


def test_questions_admin_add_edit_reorder_delete(client, auth, open_assembly, db):
    auth.login("admin")
    _add_question(client, open_assembly, label="¿Cuántas personas asocia?", kind="text")
    _add_question(
        client,
        open_assembly,
        label="Producto principal",
        kind="choice",
        choices="Cacao\nPlátano\ncacao",
        required="si",
    )
    _add_question(client, open_assembly, label="¿Viene en bus del convenio?", kind="yesno")
    db.session.refresh(open_assembly)
    first, second, third = open_assembly.extra_questions
    assert second.choices == ["Cacao", "Plátano"] and second.required
    client.post(f"/assemblies/{open_assembly.id}/questions/{third.id}/up")
    client.post(
        f"/assemblies/{open_assembly.id}/questions/{first.id}/update",
        data={"label": "¿Cuántos socios?", "kind": "text"},
    )
    db.session.expire_all()
    assert [q.label for q in open_assembly.extra_questions] == [
        "¿Cuántos socios?",
        "¿Viene en bus del convenio?",
        "Producto principal",
    ]
    client.post(f"/assemblies/{open_assembly.id}/questions/{first.id}/delete")
    db.session.expire_all()
    assert [q.position for q in open_assembly.extra_questions] == [1, 2]
    page = client.get(f"/assemblies/{open_assembly.id}/questions").get_data(as_text=True)
    assert "Producto principal" in page and "¿Cuántos socios?" not in page


def test_question_needs_options_and_a_label(client, auth, open_assembly, db):
    auth.login("admin")
    response = _add_question(
        client, open_assembly, label="Producto", kind="choice", choices="Solo una"
    )
    assert response.status_code == 302
    assert "al menos dos opciones" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    _add_question(client, open_assembly, label="", kind="text")
    db.session.refresh(open_assembly)
    assert open_assembly.extra_questions == []


def test_organizer_cannot_manage_questions(client, auth, open_assembly):
    auth.login("organizer")
    assert client.get(f"/assemblies/{open_assembly.id}/questions").status_code == 403
    assert _add_question(client, open_assembly, label="X", kind="text").status_code == 403


def test_extra_questions_appear_in_the_form_and_are_validated(client, auth, open_assembly, db):
    auth.login("admin")
    _add_question(
        client,
        open_assembly,
        label="Producto principal",
        kind="choice",
        choices="Cacao\nPlátano",
        required="si",
    )
    _add_question(client, open_assembly, label="¿Viene en bus?", kind="yesno")
    auth.logout()
    db.session.refresh(open_assembly)
    product, bus = open_assembly.extra_questions
    url = f"/inscripcion/{open_assembly.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Producto principal" in page and f'name="extra_{product.id}"' in page
    response = client.post(url, data=good_form())
    assert response.status_code == 422 and f'id="e-extra_{product.id}"' in response.get_data(
        as_text=True
    )
    response = client.post(url, data=good_form(**{f"extra_{product.id}": "Café"}))
    assert response.status_code == 422
    response = client.post(
        url, data=good_form(**{f"extra_{product.id}": "Plátano", f"extra_{bus.id}": "si"})
    )
    assert response.status_code == 302
    attendee = db.session.scalar(select(Attendee))
    assert attendee.extra_answers == {str(product.id): "Plátano", str(bus.id): True}


# --- tickets and QR codes ---------------------------------------------------------------------


def _png_pixels(data: bytes) -> tuple[int, list[list[int]]]:
    """The PNG's pixels as 0 (black) / 1 (white), read with Pillow."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("1")
    assert image.format is None or image.width == image.height
    width = image.width
    pixels = image.load()
    return width, [[1 if pixels[x, y] else 0 for x in range(width)] for y in range(width)]


def test_ticket_qr_png_encodes_the_ticket_url(client, open_assembly, make_attendee):
    attendee = make_attendee(open_assembly)
    response = client.get(f"/t/{attendee.ticket_token}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    url = f"http://{TEST_LAN_ADDRESS}/t/{attendee.ticket_token}"
    assert decode_png(response.data).text == url  # read back by zxing-cpp
    width, pixels = _png_pixels(response.data)
    matrix = qr_matrix(url)
    box = width // len(matrix)
    assert box * len(matrix) == width
    read = [
        [pixels[y * box + box // 2][x * box + box // 2] == 0 for x in range(len(matrix))]
        for y in range(len(matrix))
    ]
    assert read == matrix
    download = client.get(f"/t/{attendee.ticket_token}.png?download=1")
    assert "attachment" in download.headers["Content-Disposition"]


def test_public_url_setting_goes_into_the_qr(
    app, client, open_assembly, make_attendee, monkeypatch
):
    attendee = make_attendee(open_assembly)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "http://192.168.1.10:5000/")
    data = client.get(f"/t/{attendee.ticket_token}.png").data
    assert decode_png(data).text == f"http://192.168.1.10:5000/t/{attendee.ticket_token}"


def test_ticket_page_shows_name_and_seat_but_never_the_document(
    app, client, open_assembly, make_attendee, db
):
    from assembly.grouping.models import Group, Table

    attendee = make_attendee(
        open_assembly, document_number="52987654", first_names="Luz", last_names="Mar"
    )
    page = client.get(f"/t/{attendee.ticket_token}").get_data(as_text=True)
    assert "Luz Mar" in page and "52987654" not in page and "987654" not in page
    assert "se asigna al llegar" in page
    # the vote link shows exactly when the board feature serves /t/<token>/votar
    serves_vote = any(rule.rule.endswith("/votar") for rule in app.url_map.iter_rules())
    assert (f'href="/t/{attendee.ticket_token}/votar"' in page) == serves_vote
    group = db.session.scalar(
        select(Group).where(Group.assembly_id == open_assembly.id, Group.number == 3)
    )
    table = Table(group_id=group.id, number=2, join_code="TCK234")
    db.session.add(table)
    db.session.flush()
    attendee.group, attendee.table = group, table
    db.session.commit()
    page = client.get(f"/t/{attendee.ticket_token}").get_data(as_text=True)
    assert re.search(r"<dt>Mesa</dt><dd>3 — ", page)
    assert re.search(r"<dt>Sub-mesa</dt><dd>2</dd>", page)


def test_unknown_ticket_is_404(client):
    assert client.get("/t/" + "x" * 43).status_code == 404
    assert client.get("/t/" + "x" * 43 + ".png").status_code == 404
    assert client.get("/t/..%2F..%2Fetc").status_code == 404


def test_tickets_are_unguessable(client, open_assembly, db):
    for n in range(3):
        client.post(
            f"/inscripcion/{open_assembly.id}", data=good_form(document_number=f"7000000{n}")
        )
    tokens = db.session.scalars(select(Attendee.ticket_token)).all()
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(token) >= 43 and "7000000" not in token


# --- badges and poster ------------------------------------------------------------------------


def test_badges_carry_name_org_seat_qr_and_agreement(client, auth, open_assembly, make_attendee):
    one = make_attendee(
        open_assembly, first_names="Ana", last_names="Uno", organization_name="Coop Arauca"
    )
    two = make_attendee(open_assembly, first_names="Beto", last_names="Dos")
    make_attendee(open_assembly, first_names="Caro", last_names="Tres")
    auth.login("organizer")
    url = f"/assemblies/{open_assembly.id}/badges"
    page = client.get(f"{url}?ids={one.id},{two.id}").get_data(as_text=True)
    assert page.count('class="badge"') == 2
    assert "Ana" in page and "Coop Arauca" in page and "Caro" not in page
    assert page.count("Convenio Interadministrativo No. 02 de 2023") >= 2
    assert page.count("<svg") == 2 and "css/page/a4-badges.css" in page  # @page: A4
    codes = [decode_svg(svg).text for svg in re.findall(r"<svg.*?</svg>", page, re.S)]
    assert codes == [f"http://{TEST_LAN_ADDRESS}/t/{p.ticket_token}" for p in (one, two)]
    page = client.get(f"{url}?ids={one.id}&ids={two.id}&format=roll").get_data(as_text=True)
    assert page.count('class="badge"') == 2 and "css/page/roll.css" in page  # @page: 62 mm
    page = client.get(f"{url}?all=1").get_data(as_text=True)
    assert page.count('class="badge"') == 3


def test_poster_links_to_the_public_form(client, auth, open_assembly):
    auth.login("organizer")
    page = client.get(f"/assemblies/{open_assembly.id}/poster").get_data(as_text=True)
    assert f"http://{TEST_LAN_ADDRESS}/inscripcion/{open_assembly.id}" in page  # never localhost
    assert "<svg" in page and "Convenio Interadministrativo No. 02 de 2023" in page
    assert "css/page/a4-poster.css" in page  # @page: A4


def test_assembly_page_links_to_the_registration_screens(client, auth, open_assembly):
    auth.login("admin")
    page = client.get(f"/assemblies/{open_assembly.id}").get_data(as_text=True)
    for path in ("attendees", "attendees/new", "import", "poster", "questions"):
        assert f"/assemblies/{open_assembly.id}/{path}" in page
    assert f"/inscripcion/{open_assembly.id}" in page


def test_the_edit_page_lists_what_an_incompleto_lacks_and_the_arrival_in_venue_time(
    client, auth, open_assembly, make_attendee
):
    from datetime import datetime

    person = make_attendee(
        open_assembly,
        sex=None,
        municipality_code=None,
        checked_in_at=datetime(2026, 3, 14, 12, 45),  # stored UTC: 07:45 in Bogotá
        checked_in_desk="Mesa 1",
    )
    auth.login("organizer")
    page = client.get(f"/assemblies/{open_assembly.id}/attendees/{person.id}/edit").get_data(
        as_text=True
    )
    block = re.search(r'id="missing-fields".*?</div>', page, re.S).group(0)
    assert '<a href="#f-sex">Sexo</a>' in block
    assert '<a href="#f-municipality_code">Municipio</a>' in block
    assert '<a href="#f-age_range">Rango de edad</a>' in block
    assert "Llegó a las 07:45 por Mesa 1." in page

    complete = make_attendee(open_assembly, age_range="29-40")
    page = client.get(f"/assemblies/{open_assembly.id}/attendees/{complete.id}/edit").get_data(
        as_text=True
    )
    assert 'id="missing-fields"' not in page
