"""Importing a pre-registration list through the screens: upload, mapping with preview,
review with errors (shown and downloadable), confirm; idempotent and all-or-nothing."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from assembly.helpers import utcnow
from assembly.registration import services
from assembly.registration.models import Attendee, ImportBatch

pytestmark = pytest.mark.usefixtures("run_jobs_inline")

HEADER = "Tipo de documento;Cédula;Nombre completo;Sexo;Etnia;Departamento;Municipio;Edad;Celular"
ROWS = [
    "CC;1.057.111.001;María José Peña Ruiz;F;Ninguno;Arauca;Tame;34;3001112233",
    "CC;1057111002;Pedro Gómez Díaz;M;Afro;Arauca;Arauca;45;",
    "CC;1057111003;Ana Ríos Mora;Mujer;Indígena;Arauca;Saravena;60;",
    "CC;12ab;Error Documento Malo;F;Ninguno;Arauca;Tame;30;",  # bad document
    "CC;1057111005;Sin Municipio Aquí;F;Ninguno;Arauca;Atlantis;30;",  # unknown municipality
    "CC;1057111001;Repetida En Archivo;F;Ninguno;Arauca;Tame;30;",  # repeats row 2
]


def csv_bytes(rows=ROWS, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def desk(auth, make_assembly):
    auth.login("organizer")
    return make_assembly()


def upload(client, assembly, data=None, name="lista.csv"):
    return client.post(
        f"/assemblies/{assembly.id}/import",
        data={"file": (io.BytesIO(data if data is not None else csv_bytes()), name)},
        content_type="multipart/form-data",
    )


def mapping_form(page: str, consent=True, **changes) -> dict:
    """The mapping step's form as the browser would send it (its selected options)."""
    form = {}
    for index, select_html in re.findall(
        r'<select id="col-(\d+)" name="col-\d+">(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', select_html)
        form[f"col-{index}"] = chosen.group(1) if chosen else ""
    form.update(changes)
    if consent:
        form["consent_default"] = "si"
    return form


def values_form(page: str, **picks) -> dict:
    """The value step's form: what is selected, with ``picks`` ({raw value: choice}) for the
    values to choose by hand; any other value still waiting becomes "sin dato"."""
    form = {}
    for name, raw, select_html in re.findall(
        r'<label for="(v-[^"]+)">([^<]*)</label>.*?<select[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', select_html)
        value = chosen.group(1) if chosen else ""
        form[name] = picks.get(raw, "" if value == "__pending__" else value)
    return form


def run_values(client, values_url, **picks):
    page = client.get(values_url).get_data(as_text=True)
    response = client.post(values_url, data=values_form(page, **picks))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def run_to_review(client, assembly, data=None, consent=True, **picks):
    response = upload(client, assembly, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    mapping_url = response.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    response = client.post(mapping_url, data=mapping_form(page, consent=consent))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/values")
    return mapping_url, run_values(client, response.headers["Location"], **picks)


def confirm(client, review_url, *, status="done"):
    """Confirm the import: the request only starts the job and sends the browser to its
    progress page, which (the job having run) says what it did; the page's text."""
    response = client.post(review_url.replace("/review", "/confirm"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    job_url = response.headers["Location"]
    assert re.search(r"/import/jobs/\d+$", job_url), job_url
    page = client.get(job_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    expected = "Importación terminada" if status == "done" else "no se completó"
    assert expected in text, text[:800]
    return text


def count(db, assembly):
    return db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.assembly_id == assembly.id)
    )


def test_mapping_step_suggests_columns_and_previews_rows(client, desk, app):
    response = upload(client, desk)
    key = response.headers["Location"].rsplit("/", 1)[1]
    # the file waits in the instance folder under a random name, not in the session cookie
    assert (Path(app.instance_path) / "imports" / f"{key}.data").read_bytes() == csv_bytes()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(
        r'<label for="col-1">Cédula</label>.*?<option value="document_number" selected>', page, re.S
    )
    assert re.search(
        r'<label for="col-2">Nombre completo</label>.*?<option value="full_name" selected>',
        page,
        re.S,
    )
    assert "María José Peña Ruiz" in page and "Pedro Gómez Díaz" in page
    assert "Repetida En Archivo" not in page  # the preview shows the first 5 rows only


def test_mapping_without_document_column_is_refused(client, desk):
    mapping_url = upload(client, desk).headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    response = client.post(mapping_url, data=mapping_form(page, **{"col-1": ""}))
    assert response.status_code == 422
    assert "número de documento" in response.get_data(as_text=True)


def test_review_counts_errors_duplicates_and_confirm_imports_valid_rows(client, desk, db):
    _, review_url = run_to_review(client, desk)
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">4<', page)
    assert re.search(r'id="count-errors">1<', page)
    assert re.search(r'id="count-repeated">1<', page)
    assert re.search(r'id="count-incomplete">1<', page)  # Atlantis -> sin dato
    assert "Número de documento:" in page
    assert count(db, desk) == 0  # nothing stored before the confirmation

    errors = client.get(review_url.replace("/review", "/errors.xlsx"))
    assert errors.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(errors.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Fila" and rows[0][-1] == "Errores"
    assert [row[0] for row in rows[1:]] == [5, 7]

    page = confirm(client, review_url)
    assert "personas nuevas." in page and "Importación terminada: 4 personas nuevas." in page
    people = db.session.scalars(select(Attendee).order_by(Attendee.document_number)).all()
    assert [p.document_number for p in people] == [
        "1057111001",
        "1057111002",
        "1057111003",
        "1057111005",
    ]
    # "Atlantis" was mapped to "sin dato": the person is kept, incompleto
    assert people[3].municipality_code is None and people[3].missing_fields == ["municipality_code"]
    assert people[1].sex == "hombre"  # "M" in a column with F/Mujer and no H is masculino
    assert {p.source for p in people} == {"importado"}
    assert people[0].full_name == "María José Peña Ruiz" and people[0].municipality_code == "81794"
    assert people[0].name_key == "maria jose pena ruiz" and people[0].consent_data
    assert len({p.ticket_token for p in people}) == 4
    # the uploaded file is gone once imported
    assert client.get(review_url).status_code == 404


def test_the_same_file_twice_changes_nothing(client, desk, db):
    _, review_url = run_to_review(client, desk)
    confirm(client, review_url)
    assert count(db, desk) == 4
    # the second time the file's repeat of row 2 is also "already registered"
    tokens = set(db.session.scalars(select(Attendee.ticket_token)))
    _, review_url = run_to_review(client, desk)
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">0<', page) and re.search(r'id="count-existing">5<', page)
    confirm(client, review_url)
    assert count(db, desk) == 4
    assert set(db.session.scalars(select(Attendee.ticket_token))) == tokens


def test_import_is_all_or_nothing(client, desk, db, monkeypatch):
    _, review_url = run_to_review(client, desk)
    calls = []
    real = services.new_ticket_token

    def failing_token():
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disco lleno")
        return real()

    monkeypatch.setattr(services, "new_ticket_token", failing_token)
    page = confirm(client, review_url, status="failed")
    assert "No se guardó ninguna persona" in page and "disco lleno" not in page
    assert count(db, desk) == 0
    assert db.session.scalar(select(ImportBatch.status)) == "failed"
    monkeypatch.setattr(services, "new_ticket_token", real)
    confirm(client, review_url)  # the file is still there: retry
    assert count(db, desk) == 4


def test_without_consent_rows_are_errors(client, desk, db):
    _, review_url = run_to_review(client, desk, consent=False)
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">0<', page) and "Ley 1581" in page


def test_xlsx_lists_import_too(client, desk, db):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    for row in ROWS[:3]:
        sheet.append(row.split(";"))
    out = io.BytesIO()
    workbook.save(out)
    _, review_url = run_to_review(client, desk, out.getvalue())
    confirm(client, review_url)
    assert count(db, desk) == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("lista.csv", b"", "vacío"),
        ("lista.pdf", b"%PDF-1.4", ".xlsx"),
        ("lista.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, ".xlsx"),
    ],
)
def test_unreadable_files_are_explained(client, desk, name, data, message):
    response = upload(client, desk, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_upload_belongs_to_its_assembly(client, desk, make_assembly):
    mapping_url = upload(client, desk).headers["Location"]
    other = make_assembly()
    key = mapping_url.rsplit("/", 1)[1]
    assert client.get(f"/assemblies/{other.id}/import/{key}").status_code == 404
    assert client.post(f"/assemblies/{other.id}/import/{key}/confirm").status_code == 404
    assert client.get(f"/assemblies/{desk.id}/import/..%2F..%2Fsecret_key").status_code == 404


def test_cancel_forgets_the_file(client, desk, app):
    mapping_url = upload(client, desk).headers["Location"]
    key = mapping_url.rsplit("/", 1)[1]
    client.post(f"{mapping_url}/cancel")
    assert not (Path(app.instance_path) / "imports" / f"{key}.data").exists()
    assert client.get(mapping_url).status_code == 404


def test_extra_questions_are_mapping_targets(client, desk, db, auth):
    from assembly.assemblies.models import ExtraQuestion

    db.session.add(
        ExtraQuestion(
            assembly_id=desk.id,
            position=1,
            label="Producto",
            kind="choice",
            choices=["Cacao", "Plátano"],
        )
    )
    db.session.commit()
    data = csv_bytes([row + ";cacao" for row in ROWS[:2]], HEADER + ";Producto")
    _, review_url = run_to_review(client, desk, data)
    confirm(client, review_url)
    question = db.session.scalar(select(ExtraQuestion))
    answers = [a.extra_answers for a in db.session.scalars(select(Attendee))]
    assert answers == [{str(question.id): "Cacao"}] * 2


def big_list(rows: int) -> bytes:
    return csv_bytes(
        [f"CC;{1057300000 + n};Persona{chr(65 + n % 26)} Apellido Prueba;F;Ninguno;Arauca;Tame;30;"
         for n in range(rows)]
    )  # fmt: skip


def test_the_import_job_reports_progress_while_it_checks_then_stores(client, desk, db, monkeypatch):
    from assembly.core import jobs

    _, review_url = run_to_review(client, desk, big_list(600))
    seen = []
    real = jobs.JobContext.progress

    def watch(self, done, total=None, message=None):
        real(self, done, total, message)
        # what the job stored so far is committed with its progress: another session sees it
        with db.engine.connect() as other:
            stored = other.execute(select(func.count(Attendee.id))).scalar_one()
        seen.append((message, done, total, stored))

    monkeypatch.setattr(jobs.JobContext, "progress", watch)
    confirm(client, review_url)
    phases = [message for message, *_ in seen]
    assert phases[0] == "Revisando filas…" and phases[-1] == "Guardando personas…"
    saving = [
        (done, total, stored) for message, done, total, stored in seen if "Guardando" in message
    ]
    assert saving[0] == (0, 600, 0)
    assert [stored for *_, stored in saving] == [0, 250, 500, 600]  # chunk by chunk
    assert count(db, desk) == 600


def test_a_job_failing_half_way_removes_what_its_batch_had_stored(client, desk, db, monkeypatch):
    _, review_url = run_to_review(client, desk, big_list(600))
    calls = []
    real = services.new_ticket_token

    def failing_token():
        calls.append(1)
        if len(calls) == 400:  # the first chunk of 250 is already committed
            raise RuntimeError("disco lleno")
        return real()

    monkeypatch.setattr(services, "new_ticket_token", failing_token)
    confirm(client, review_url, status="failed")
    assert count(db, desk) == 0
    assert db.session.scalar(select(ImportBatch.status)) == "failed"


def test_an_import_is_undone_as_a_whole_while_nobody_of_it_has_arrived(
    client, desk, db, make_attendee
):
    walk_in = make_attendee(desk, document_number="52000111")
    _, review_url = run_to_review(client, desk)
    page = confirm(client, review_url)
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.status, batch.created, batch.filename) == ("done", 4, "lista.csv")
    assert "Deshacer esta importación" in page
    listing = client.get(f"/assemblies/{desk.id}/import").get_data(as_text=True)
    assert f'id="batch-{batch.id}"' in listing and "/undo" in listing

    # someone of the batch arrives: the undo is refused, nothing changes
    person = db.session.scalar(select(Attendee).where(Attendee.import_batch_id == batch.id))
    person.checked_in_at = utcnow()
    db.session.commit()
    response = client.post(f"/assemblies/{desk.id}/imports/{batch.id}/undo")
    assert response.status_code == 302
    flashes = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ya registraron su llegada" in flashes
    assert count(db, desk) == 5

    person.checked_in_at = None
    db.session.commit()
    response = client.post(f"/assemblies/{desk.id}/imports/{batch.id}/undo", follow_redirects=True)
    assert "se quitaron 4 personas" in response.get_data(as_text=True)
    db.session.expire_all()
    remaining = db.session.scalars(select(Attendee.document_number)).all()
    assert remaining == [walk_in.document_number]  # only the batch's people went
    assert db.session.get(ImportBatch, batch.id).status == "undone"
    again = client.post(f"/assemblies/{desk.id}/imports/{batch.id}/undo", follow_redirects=True)
    assert "Solo se puede deshacer una importación terminada" in again.get_data(as_text=True)
    assert (
        client.post(f"/assemblies/{desk.id}/imports/999/undo", follow_redirects=True).status_code
        == 404
    )


def test_a_job_page_belongs_to_its_starter(client, desk, auth, db):
    _, review_url = run_to_review(client, desk)
    job_url = client.post(review_url.replace("/review", "/confirm")).headers["Location"]
    auth.logout()
    auth.login("organizer")  # another account of the same role
    assert client.get(job_url).status_code == 404


def test_reimporting_a_fuller_list_fills_the_incompletos_and_never_overwrites(
    client, desk, db, make_attendee
):
    # first list: only document and name, so everyone is "incompleto"
    thin = csv_bytes(
        ["1057500001;Rosa Elena Mora Ríos", "1057500002;Luis Alberto Peña Díaz"],
        "Cédula;Nombre completo",
    )
    _, review_url = run_to_review(client, desk, thin)
    confirm(client, review_url)
    rosa = db.session.scalar(select(Attendee).where(Attendee.document_number == "1057500001"))
    assert rosa.missing_fields == ["sex", "ethnicity", "municipality_code", "age_range"]
    rosa.ethnicity = "indigena"  # the desk completed one field in the meantime
    db.session.commit()
    complete = make_attendee(
        desk, document_number="1057500003", first_names="Ana", age_range="41-59"
    )

    fuller = csv_bytes(
        [
            "CC;1057500001;Rosa Elena Mora Ríos;F;Ninguno;Arauca;Tame;34;3001112233",
            "CC;1057500002;Luis Alberto Peña Díaz;H;Afro;Arauca;Saravena;45;",
            "CC;1057500003;Ana Otra Persona;H;Ninguno;Arauca;Tame;50;3009998877",
            "CC;1057500004;Nueva Persona Aquí;F;Ninguno;Arauca;Tame;22;",
        ]
    )
    _, review_url = run_to_review(client, desk, fuller)
    page = client.get(review_url).get_data(as_text=True)
    assert re.search(r'id="count-new">1<', page) and re.search(r'id="count-existing">3<', page)
    assert re.search(r'id="count-filled">2<', page)  # the complete person is not touched
    page = confirm(client, review_url)
    assert 'id="result-filled"' in page
    db.session.expire_all()
    assert count(db, desk) == 4  # nobody twice
    rosa = db.session.get(Attendee, rosa.id)
    assert (rosa.sex, rosa.age_range, rosa.municipality_code, rosa.phone) == (
        "mujer",
        "29-40",
        "81794",
        "3001112233",
    )
    assert rosa.ethnicity == "indigena"  # what was stored stays: only empty fields are filled
    assert rosa.missing_fields == [] and rosa.first_names == "Rosa Elena"
    luis = db.session.scalar(select(Attendee).where(Attendee.document_number == "1057500002"))
    assert (luis.ethnicity, luis.municipality_code, luis.department_code) == (
        "negro_afrocolombiano",
        "81736",
        "81",
    )
    untouched = db.session.get(Attendee, complete.id)
    assert (untouched.sex, untouched.phone, untouched.first_names) == ("mujer", None, "Ana")
    assert db.session.scalar(select(ImportBatch.filled).order_by(ImportBatch.id.desc())) == 2


def test_undoing_a_reimport_empties_what_it_filled_but_keeps_corrections(
    client, desk, db, make_attendee
):
    thin = csv_bytes(
        ["1057600001;Rosa Elena Mora Ríos", "1057600002;Luis Alberto Peña Díaz"],
        "Cédula;Nombre completo",
    )
    _, review_url = run_to_review(client, desk, thin)
    confirm(client, review_url)
    rosa = db.session.scalar(select(Attendee).where(Attendee.document_number == "1057600001"))
    rosa.ethnicity = "indigena"  # completed at the desk before the second list
    db.session.commit()
    fuller = csv_bytes(
        [
            "CC;1057600001;Rosa Elena Mora Ríos;F;Ninguno;Arauca;Tame;34;3001112233",
            "CC;1057600002;Luis Alberto Peña Díaz;H;Afro;Arauca;Saravena;45;",
            "CC;1057600004;Nueva Persona Aquí;F;Ninguno;Arauca;Tame;22;",
        ]
    )
    _, review_url = run_to_review(client, desk, fuller)
    page = confirm(client, review_url)
    assert "vaciar de nuevo los datos que llenó a 2 personas" in page  # the undo's question
    batch = db.session.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()))
    db.session.expire_all()
    rosa = db.session.get(Attendee, rosa.id)
    luis = db.session.scalar(select(Attendee).where(Attendee.document_number == "1057600002"))
    assert (rosa.sex, rosa.municipality_code, rosa.phone) == ("mujer", "81794", "3001112233")
    rosa.phone = "3105556677"  # corrected after the import: the correction stays
    luis.checked_in_at = utcnow()  # arrived since: the desk had his data in hand
    db.session.commit()

    listing = client.get(f"/assemblies/{desk.id}/import").get_data(as_text=True)
    assert "vaciar de nuevo los datos que llenó a 2 personas" in listing
    response = client.post(f"/assemblies/{desk.id}/imports/{batch.id}/undo", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "se quitaron 1 personas" in text
    assert "Se vaciaron de nuevo los datos que llenó a 1 personas ya inscritas" in text
    assert "se conservaron" in text
    db.session.expire_all()
    rosa = db.session.get(Attendee, rosa.id)
    assert (rosa.sex, rosa.age_range, rosa.municipality_code, rosa.department_code) == (
        None,
        None,
        None,
        None,
    )
    assert rosa.phone == "3105556677" and rosa.ethnicity == "indigena"
    assert rosa.missing_fields == ["sex", "municipality_code", "age_range"]
    luis = db.session.get(Attendee, luis.id)
    assert (luis.sex, luis.ethnicity, luis.municipality_code) == (
        "hombre",
        "negro_afrocolombiano",
        "81736",
    )
    assert count(db, desk) == 2  # the new person went, the two earlier ones stay


def test_the_mapping_and_values_steps_speak_the_page_language(client, desk):
    """The fields a column goes to and the values' labels went out in Spanish on English
    pages (found by the English walk in the day's states: a list on its way)."""
    mapping_url = upload(client, desk).headers["Location"]
    page = client.get(mapping_url + "?lang=en").get_data(as_text=True)
    assert '<option value="document_number" selected>Document number</option>' in page
    assert ">Número de documento</option>" not in page
    client.post(mapping_url, data=mapping_form(page))
    values = client.get(mapping_url + "/values?lang=en").get_data(as_text=True)
    assert "<h2>Sex</h2>" in values and "<h2>Sexo</h2>" not in values
    assert ">Citizenship card (CC)</option>" in values
