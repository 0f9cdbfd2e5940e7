"""Ley 1581: consent recorded with date, channel and text version; a person can be erased,
keeping only the aggregates, with a record of who erased and why."""

from datetime import date

from sqlalchemy import func, select

from assembly.registration import services
from assembly.registration.domain.fields import CONSENT_VERSION
from assembly.registration.models import Attendee, Erasure


def _raw(**extra):
    return {
        "document_type": "CC",
        "document_number": "1122334455",
        "first_names": "Ana María",
        "last_names": "Pérez Gómez",
        "sex": "mujer",
        "age_range": "29-40",
        "ethnicity": "ninguno",
        "department_code": "81",
        "municipality_code": "81001",
        "consent_data": "1",
        **extra,
    }


def test_consent_is_stored_with_date_channel_and_text_version(make_assembly, db):
    assembly = make_assembly()
    for source, channel, number in (
        ("preregistro", "form", "101"),
        ("mesa", "desk", "102"),
        ("importado", "import", "103"),
    ):
        person = services.register(
            assembly, _raw(document_number=number), source=source, today=date(2026, 3, 1)
        )
        assert person.consent_data is True and person.consent_at is not None
        assert person.consent_channel == channel and person.consent_version == CONSENT_VERSION


def test_an_admin_erases_a_person_and_the_counts_stay(
    make_assembly, make_attendee, auth, client, db
):
    assembly = make_assembly()
    person = make_attendee(
        assembly,
        first_names="Ana María",
        last_names="Pérez",
        document_number="1122334455",
        phone="3001234567",
        email="ana@example.org",
        organization_name="Asociación de Cinco",
        is_victim=True,
    )
    old_ticket = person.ticket_token
    auth.login("admin")
    page = client.get(f"/assemblies/{assembly.id}/attendees/{person.id}/edit")
    assert "Borrar los datos de esta persona" in page.get_data(as_text=True)
    url = f"/assemblies/{assembly.id}/attendees/{person.id}/erase"
    refused = client.post(url, data={"reason": "Lo pidió"})
    assert refused.status_code == 422  # no confirmation: nothing erased
    db.session.expire_all()
    assert person.erased_at is None and person.phone == "3001234567"
    assert (
        client.post(url, data={"reason": "Lo pidió en la mesa", "confirm": "yes"}).status_code
        == 302
    )
    db.session.expire_all()
    stored = db.session.get(Attendee, person.id)
    for value in ("Ana María", "Pérez", "1122334455", "3001234567", "ana@example.org", "Cinco"):
        assert value not in repr([getattr(stored, c.key) for c in Attendee.__table__.columns]), (
            value
        )
    assert stored.erased_at is not None and stored.consent_data is False
    assert stored.is_victim is True and stored.sex == "mujer"  # the aggregates
    assert client.get(f"/t/{old_ticket}").status_code == 404  # the old ticket is dead
    (record,) = db.session.scalars(select(Erasure)).all()
    assert record.attendee_id == person.id and record.reason == "Lo pidió en la mesa"
    assert record.actor.startswith("admin")
    # the registered count still includes the person
    assert db.session.scalar(select(func.count(Attendee.id))) == 1
    again = client.post(url, data={"confirm": "yes"})
    assert again.status_code == 409


def test_only_admins_erase(make_assembly, make_attendee, auth, client, db):
    assembly = make_assembly()
    person = make_attendee(assembly)
    auth.login("organizer")
    url = f"/assemblies/{assembly.id}/attendees/{person.id}/erase"
    assert client.post(url, data={"confirm": "yes"}).status_code == 403
    page = client.get(f"/assemblies/{assembly.id}/attendees/{person.id}/edit")
    assert "Borrar los datos" not in page.get_data(as_text=True)
    db.session.expire_all()
    assert person.erased_at is None


def test_retention_erases_the_people_of_long_closed_assemblies(
    app, make_assembly, make_attendee, db
):
    old = make_assembly(date="2024-03-01")
    recent = make_assembly(date="2099-01-01")
    old.status = recent.status = "closed"
    db.session.commit()
    gone = make_attendee(old, first_names="Antigua", phone="3110000000")
    kept = make_attendee(recent, first_names="Reciente")
    result = app.test_cli_runner().invoke(args=["assembly", "retention", "--days", "365"])
    assert result.exit_code == 0, result.output
    assert "1 personas borradas" in result.output
    db.session.expire_all()
    assert gone.erased_at is not None and gone.phone is None and gone.first_names != "Antigua"
    assert kept.erased_at is None and kept.first_names == "Reciente"
    (record,) = db.session.scalars(select(Erasure)).all()
    assert record.actor == "retención" and "365" in record.reason
    again = app.test_cli_runner().invoke(args=["assembly", "retention", "--days", "365"])
    assert "0 personas borradas" in again.output  # nothing twice
