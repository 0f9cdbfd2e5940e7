"""The consent texts in English (issue 20.8) while the Spanish ones bind (Ley 1581 de 2012):
on ``?lang=en`` the form shows their translation, says in one line that the Spanish text is
the legal one, and holds the Spanish text under each authorisation (a disclosure); the version
stored with the person is the Spanish text's. A changed Spanish text needs a new version."""

import hashlib
import html
import re

import pytest
from sqlalchemy import select

from assembly.registration import consent
from assembly.registration.domain.fields import CONSENT_VERSION
from assembly.registration.models import Attendee
from tests.integration.test_registration import good_form, open_assembly  # noqa: F401

#: sha256 of the Spanish texts (data, then image) each stored consent version names: a text
#: changed without a new CONSENT_VERSION would be stored as accepted under another text
SPANISH_TEXTS = {
    "1": "e484a870d839a1f6c644c48e3434c3d01defc62bff43b65a63a236ac30f7c0a0",
    "2": "4e309239beb1891d057cdeeafe20bf0f82acdf7907e929c811e50b255df60eec",  # + names in a public role stay in the acta and commitments
}
AGREEMENT = "Convenio Interadministrativo No. 02 de 2023"  # the open_assembly's


def _element(page: str, element_id: str) -> str:
    found = re.search(rf'<(div|details|p)\b[^>]*\bid="{element_id}".*?</\1>', page, re.S)
    assert found, element_id
    return found.group(0)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _spanish(text: str) -> str:
    return text.format(responsable=f"las entidades del {AGREEMENT}").strip()


def test_the_stored_version_names_the_spanish_texts_as_they_are():
    digest = hashlib.sha256((consent.HABEAS_DATA_TEXT + consent.PHOTO_CONSENT_TEXT).encode())
    assert SPANISH_TEXTS.get(CONSENT_VERSION) == digest.hexdigest(), (
        "the Spanish consent text changed: give it a new CONSENT_VERSION (registration/domain/"
        "fields.py), record its digest here and translate the new text"
    )


def test_the_spanish_form_shows_the_spanish_texts_alone(client, open_assembly):  # noqa: F811
    page = client.get(f"/inscripcion/{open_assembly.id}?lang=es").text
    assert _text(_element(page, "habeas-text")) == _spanish(consent.HABEAS_DATA_TEXT)
    assert _text(_element(page, "photo-text")) == _spanish(consent.PHOTO_CONSENT_TEXT)
    assert "consent-original" not in page and 'id="consent-binding"' not in page


def test_the_english_form_shows_the_translation_and_the_spanish_text_that_binds(
    client,
    open_assembly,  # noqa: F811
):
    page = client.get(f"/inscripcion/{open_assembly.id}?lang=en").text
    habeas, photo = _element(page, "habeas-text"), _element(page, "photo-text")
    assert 'lang="es"' not in habeas and 'lang="es"' not in photo  # English, as the page
    habeas, photo = _text(habeas), _text(photo)
    assert habeas.startswith("AUTHORISATION FOR THE PROCESSING OF PERSONAL DATA")
    assert f"I give the parties to the {AGREEMENT}, as the data controller" in habeas
    assert "fifteen (15) business days" in habeas and '"I prefer not to answer"' in habeas
    assert photo.startswith("AUTHORISATION TO USE MY IMAGE") and "is not a condition" in photo
    assert _text(_element(page, "consent-binding")) == (
        "This is a translation: the Spanish text is the legally binding one (Ley 1581 de "
        "2012). You can read it below each authorisation."
    )
    for name, text in (("habeas", consent.HABEAS_DATA_TEXT), ("photo", consent.PHOTO_CONSENT_TEXT)):
        original = _element(page, f"{name}-original")
        assert original.startswith('<details class="consent-original"') and 'lang="es"' in original
        assert "Read the Spanish text (the binding one)" in original
        assert _text(original).endswith(_spanish(text))  # the whole text, word for word


def test_consent_given_on_the_english_form_stores_the_spanish_texts_version(
    client,
    open_assembly,  # noqa: F811
    db,
):
    client.get(f"/inscripcion/{open_assembly.id}?lang=en")
    response = client.post(f"/inscripcion/{open_assembly.id}", data=good_form())
    assert response.status_code == 302
    person = db.session.scalar(select(Attendee))
    assert person.consent_data and person.consent_version == CONSENT_VERSION == "2"


#: erasure keeps a spokesperson's or a commitment responsible's name in the acta and the
#: commitments (registration/privacy.py): the text the person accepts says so (issue 17.7)
PUBLIC_ROLE = {"es": "vocero o vocera de mi mesa", "en": "Names in a public role"}


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_text_says_that_names_in_a_public_role_stay(client, open_assembly, language):  # noqa: F811
    page = client.get(f"/inscripcion/{open_assembly.id}?lang={language}").text
    assert PUBLIC_ROLE[language] in _text(_element(page, "habeas-text"))
