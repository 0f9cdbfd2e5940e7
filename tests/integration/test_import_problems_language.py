"""A list's row problems are kept as msgid + parameters and said in the reader's language
(issue 20.8): a review made under Spanish (a Spanish request, or the background job) reads in
English for an English reader, and in Spanish again for a Spanish one; the errors file stays
in Spanish, as every workbook; a review kept before this change still shows its texts."""

import datetime as dt
import io
import json

import flask_babel
import openpyxl

from assembly import marks
from assembly.registration.domain import MAX_AGE, MIN_AGE, validate_registration
from assembly.registration.imports import apply, review_job, uploads
from tests.integration.test_registration import good_form
from tests.integration.test_registration_import_routes import mapping_form, run_to_review, upload

# Row 5: a cédula with letters (refused); row 6: a municipality not in Arauca (kept, left
# blank; the value step of the screens maps it to "sin dato" first); row 7: an impossible
# age and a phone that is none (kept, both left blank).
HEADER = "Tipo de documento;Cédula;Nombre completo;Sexo;Etnia;Departamento;Municipio;Edad;Celular"
ROWS = [
    "CC;1057111001;María José Peña Ruiz;F;Ninguno;Arauca;Tame;34;3001112233",
    "CC;1057111002;Pedro Gómez Díaz;Hombre;Afro;Arauca;Arauca;45;",
    "CC;1057111003;Ana Ríos Mora;Mujer;Indígena;Arauca;Saravena;60;",
    "CC;12ab;Error Documento Malo;F;Ninguno;Arauca;Tame;30;",
    "CC;1057111005;Sin Municipio Aquí;F;Ninguno;Arauca;Atlantis;30;",
    "CC;1057111006;Luz Dary Rincón;F;Ninguno;Arauca;Tame;130;no tiene",
]
SPANISH = [
    "La cédula de ciudadanía debe tener entre 3 y 10 dígitos, solo números.",
    "No se encontró el municipio «Atlantis» en Arauca. (se deja en blanco)",
    f"La edad debe estar entre {MIN_AGE} y {MAX_AGE} años. (se deja en blanco)",
]
ENGLISH = [
    "A citizenship card number has 3 to 10 digits, numbers only.",
    "Municipality “Atlantis” not found in Arauca. (left blank)",
    f"The age must be between {MIN_AGE} and {MAX_AGE} years. (left blank)",
    "Enter a 10-digit mobile number starting with 3",
]


def list_bytes() -> bytes:
    return ("\n".join([HEADER, *ROWS]) + "\n").encode()


def test_a_review_made_in_spanish_reads_in_english_for_an_english_reader(
    client, auth, make_assembly
):
    auth.login("organizer")
    assembly = make_assembly()
    _, review_url = run_to_review(client, assembly, list_bytes())
    spanish = client.get(review_url).get_data(as_text=True)
    for text in (SPANISH[0], SPANISH[2], "Escriba un celular de 10 dígitos que empiece por 3"):
        assert text in spanish
    assert "<strong>Número de documento:</strong>" in spanish

    # the test's app context outlives each request: forget the locale the last one chose
    flask_babel.refresh()
    english = client.get(review_url + "?lang=en").get_data(as_text=True)  # the kept review
    for text in (ENGLISH[0], ENGLISH[2], ENGLISH[3]):
        assert text in english
    for label in ("Document number", "Age range", "Phone or mobile"):
        assert f"<strong>{label}:</strong>" in english
    for text in (SPANISH[0], SPANISH[2], "se deja en blanco", "Escriba un celular"):
        assert text not in english
    # the errors file is Spanish whoever downloads it, as every workbook the app writes
    data = client.get(review_url.replace("/review", "/errors.xlsx")).data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    reasons = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert reasons == [f"Número de documento: {SPANISH[0]}"]

    flask_babel.refresh()
    again = client.get(review_url + "?lang=es").get_data(as_text=True)
    assert SPANISH[2] in again and ENGLISH[2] not in again


def test_the_review_jobs_summary_is_said_in_the_language_of_each_request(
    app, tmp_path, make_assembly
):
    """The service calls one after the other, as the job (no request: Spanish) and then an
    English reader's request would make them."""
    assembly = make_assembly()
    upload = uploads.save_upload(tmp_path, assembly, "lista.csv", list_bytes())
    mapping = apply.suggested_mapping(assembly, upload.table.headers)
    apply.set_mapping(tmp_path, assembly, upload, mapping, consent_default=True)
    made = review_job.review_now(tmp_path, assembly, upload)  # outside any request
    kept = review_job.state(tmp_path, assembly, upload)["summary"]
    assert kept == made
    stored = json.dumps(kept["warnings"], ensure_ascii=False)
    assert "(se deja en blanco)" in stored  # the Spanish msgid, with its parameters
    assert '"name": "Atlantis"' in stored

    with app.test_request_context("/?lang=en"):
        flask_babel.refresh()
        english = review_job.shown(kept)
    with app.test_request_context("/?lang=es"):
        flask_babel.refresh()
        spanish = review_job.shown(kept)
    said_en = [m for _, found in english["errors"] + english["warnings"] for m in found.values()]
    said_es = [m for _, found in spanish["errors"] + spanish["warnings"] for m in found.values()]
    assert said_en[:3] == ENGLISH[:3]
    assert said_en[3].startswith(ENGLISH[3]) and said_en[3].endswith("(left blank)")
    assert said_es[:3] == SPANISH
    assert all(isinstance(message, str) for message in said_en)
    # the rest of the summary is as kept (counts, names)
    assert {k: v for k, v in english.items() if k not in ("errors", "warnings")} == {
        k: v for k, v in kept.items() if k not in ("errors", "warnings")
    }


def test_a_review_kept_before_problems_were_stored_as_msgids_still_shows(
    app, tmp_path, make_assembly
):
    """A summary kept by the earlier version (finished Spanish sentences) is shown as it was
    written, never an error."""
    kept = {
        "errors": [[5, {"document_number": "Escriba el número de documento."}]],
        "warnings": [[6, {"phone": "Número raro (se deja en blanco)"}]],
        "new": 1,
    }
    with app.test_request_context("/?lang=en"):
        flask_babel.refresh()
        shown = review_job.shown(kept)
    assert shown["errors"] == [[5, {"document_number": "Escriba el número de documento."}]]
    assert shown["warnings"] == [[6, {"phone": "Número raro (se deja en blanco)"}]]


def test_a_problem_reads_as_its_spanish_sentence_and_keeps_what_to_translate():
    """The public form and the CLI keep using the problems as the Spanish text they are."""
    today = dt.date(2026, 3, 14)
    raw = {"document_type": "CC", "document_number": "12ab", "first_names": "A", "sex": "quizás"}
    _, errors = validate_registration(raw, theme_ids=set(), today=today)
    assert errors["document_number"] == SPANISH[0]
    assert errors["first_names"] == "Escriba los nombres completos, no solo una inicial."
    assert errors["consent_data"].msgid.startswith("Debe aceptar el tratamiento")
    sex = marks.stored(errors["sex"])
    assert sex["msgid"] == "Opción no válida. Elija una de estas: %(labels)s."
    assert sex["params"]["labels"][:2] == [
        {"msgid": "Mujer", "params": {}},
        {"msgid": "Hombre", "params": {}},
    ]
    assert errors["sex"].startswith("Opción no válida. Elija una de estas: Mujer, Hombre, ")

    def bracketed(msgid, **params):  # a catalog that writes every msgid in brackets
        return f"[{msgid}]" % params if params else f"[{msgid}]"

    assert marks.said(sex, bracketed).startswith(
        "[Opción no válida. Elija una de estas: [Mujer], [Hombre], "
    )


def test_the_forms_field_problems_are_said_in_the_language_of_the_page(client, make_assembly, db):
    """The same problems on the public form: an English page says them in English."""
    assembly = make_assembly()
    assembly.status = "open"
    db.session.commit()
    form = good_form(document_number="12ab", email="ana@correo")
    flask_babel.refresh()
    page = client.post(f"/inscripcion/{assembly.id}?lang=en", data=form).get_data(as_text=True)
    assert ENGLISH[0] in page
    assert "Enter a valid e-mail address, such as name@mail.com." in page
    assert SPANISH[0] not in page
    flask_babel.refresh()
    page = client.post(f"/inscripcion/{assembly.id}?lang=es", data=form).get_data(as_text=True)
    assert SPANISH[0] in page and ENGLISH[0] not in page


def test_the_mapping_steps_own_messages_and_targets_are_in_english(client, auth, make_assembly):
    auth.login("organizer")
    assembly = make_assembly()
    mapping_url = upload(client, assembly, list_bytes()).headers["Location"]
    flask_babel.refresh()
    page = client.get(mapping_url + "?lang=en").get_data(as_text=True)
    assert ">Second first name</option>" in page and ">Segundo nombre</option>" not in page
    assert ">Full name (split into first and last names)</option>" in page
    response = client.post(mapping_url, data=mapping_form(page, **{"col-1": ""}))  # no document
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say which column holds the document number." in page
    assert "Indique qué columna" not in page


def test_a_failed_import_job_reads_in_the_language_of_its_page(
    app, client, auth, make_assembly, make_user, db, tmp_path, run_jobs_inline
):
    """The import job failing under a Spanish request (its upload gone) keeps the reason's
    msgid: its page in English says it in English, and in Spanish again (issue 20.8)."""
    from assembly.core import jobs
    from assembly.registration.imports import batches
    from assembly.registration.models import ImportBatch

    assembly, owner = make_assembly(), make_user("organizer")
    batch = ImportBatch(assembly_id=assembly.id, filename="lista.csv", status="importing")
    db.session.add(batch)
    db.session.commit()
    flask_babel.refresh()
    with app.test_request_context("/?lang=es"):
        job = jobs.start_job(
            "import", batches.run_import, assembly_id=assembly.id, user_id=owner.id,
            folder=str(tmp_path), key="A" * 22, batch_id=batch.id,
        )  # fmt: skip
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).status == "failed"
    auth.login(owner)
    page = f"/assemblies/{assembly.id}/import/jobs/{job.id}"
    flask_babel.refresh()
    english = client.get(f"{page}?lang=en").get_data(as_text=True)
    assert "This import does not exist or has already finished. Upload the file again." in english
    flask_babel.refresh()
    spanish = client.get(f"{page}?lang=es").get_data(as_text=True)
    assert "Esta importación no existe o ya terminó. Suba el archivo de nuevo." in spanish
