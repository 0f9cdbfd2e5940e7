"""Ley 1581 from the ticket (issue 17.7): the person sees their data, corrects it, or withdraws
consent (which erases it, after a confirmation). No log-in: the ticket token is the key."""

from datetime import date

from sqlalchemy import select

from assembly.assemblies.models import Assembly
from assembly.registration import services
from assembly.registration.models import Attendee, Erasure
from tests.integration.test_privacy import _raw


def _person(make_assembly, db):
    assembly = make_assembly()
    person = services.register(
        assembly, _raw(phone="3001234567"), source="preregistro", today=date(2026, 3, 1)
    )
    db.session.commit()
    return person


def test_the_ticket_links_to_the_persons_data_which_they_see_and_correct(make_assembly, client, db):
    person = _person(make_assembly, db)
    url = f"/t/{person.ticket_token}/mis-datos"
    assert url in client.get(f"/t/{person.ticket_token}").get_data(as_text=True)
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    assert 'value="Ana María"' in text and 'value="3001234567"' in text
    assert "Retirar mi autorización" in text
    values = services.form_values(person)
    corrected = client.post(url, data={**values, "phone": "310 555 6677", "last_names": "Pérez"})
    assert corrected.status_code == 302
    db.session.expire_all()
    assert person.phone == "3105556677" and person.last_names == "Pérez"
    assert "Sus datos quedaron corregidos" in client.get(url).get_data(as_text=True)


def test_the_document_is_corrected_only_at_the_desk_and_a_bad_value_changes_nothing(
    make_assembly, make_attendee, client, db
):
    person = _person(make_assembly, db)
    other = make_attendee(
        db.session.get(Assembly, person.assembly_id), document_number="99887766", first_names="Rosa"
    )
    url = f"/t/{person.ticket_token}/mis-datos"
    values = services.form_values(person)
    moved = client.post(url, data={**values, "document_number": "99887766"})
    assert moved.status_code == 422
    text = moved.get_data(as_text=True)
    assert "solo se corrige en la mesa de registro" in text and other.first_names not in text
    bad = client.post(url, data={**values, "first_names": "J4n"})
    assert bad.status_code == 422
    db.session.expire_all()
    assert (person.document_number, person.first_names) == ("1122334455", "Ana María")
    assert client.get("/t/no-such-ticket-token-0000/mis-datos").status_code == 404


def test_withdrawing_consent_erases_the_data_after_a_confirmation(make_assembly, client, db):
    person = _person(make_assembly, db)
    token = person.ticket_token
    url = f"/t/{token}/retirar"
    assert client.post(url, data={}).status_code == 422  # no confirmation: nothing erased
    db.session.expire_all()
    assert person.erased_at is None
    done = client.post(url, data={"confirm": "yes"})
    assert done.status_code == 200
    assert "Sus datos fueron borrados" in done.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Attendee, person.id)
    assert stored.erased_at is not None and stored.phone is None
    assert "Ana" not in stored.full_name and stored.sex == "mujer"  # the counts stay
    (record,) = db.session.scalars(select(Erasure)).all()
    assert record.actor == "titular" and "consentimiento" in record.reason
    assert client.get(f"/t/{token}").status_code == 404
    assert client.post(url, data={"confirm": "yes"}).status_code == 404
