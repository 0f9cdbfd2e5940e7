"""Ley 1581 for imported people (issue 17.7): each one's consent is stored with its date, the
channel "import" and the text's version, and a list's collective consent ("todos
autorizaron") is attributed on its batch to the account that confirmed it and the file."""

import pytest
from sqlalchemy import select

from assembly.registration.domain.fields import CONSENT_VERSION
from assembly.registration.models import Attendee, ImportBatch
from tests.integration.test_registration_import_routes import confirm, csv_bytes, run_to_review

pytestmark = pytest.mark.usefixtures("run_jobs_inline")


def test_an_imported_persons_consent_has_its_date_channel_version_and_who_stated_it(
    client, auth, make_assembly, db
):
    user = auth.login("organizer")
    assembly = make_assembly()
    _, review_url = run_to_review(client, assembly)  # the list has no consent column: the box
    confirm(client, review_url)
    people = db.session.scalars(select(Attendee)).all()
    assert len(people) == 4
    for person in people:
        assert person.consent_data is True and person.consent_at is not None
        assert (person.consent_channel, person.consent_version) == ("import", CONSENT_VERSION)
    batch = db.session.get(ImportBatch, people[0].import_batch_id)
    assert batch.consent_collective is True
    assert (batch.user_id, batch.filename) == (user.id, "lista.csv")


def test_a_list_with_its_own_consent_column_is_not_a_collective_consent(
    client, auth, make_assembly, db
):
    auth.login("organizer")
    assembly = make_assembly()
    data = csv_bytes(
        ["1057800001;Rosa Elena Mora Ríos;Sí", "1057800002;Luis Alberto Peña Díaz;No"],
        "Cédula;Nombre completo;Autoriza tratamiento de datos",
    )
    mapping_url, _ = run_to_review(client, assembly, data, consent=False, **{"No": "no"})
    review_url = mapping_url + "/review"
    page = confirm(client, review_url)
    assert "Importación terminada: 1 personas nuevas." in page
    (person,) = db.session.scalars(select(Attendee)).all()
    assert (person.document_number, person.consent_channel) == ("1057800001", "import")
    assert db.session.get(ImportBatch, person.import_batch_id).consent_collective is False
