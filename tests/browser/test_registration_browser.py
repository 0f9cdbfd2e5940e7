"""Registration in Chromium: the public form on a phone (error, fix, ticket), the attendees
list searching as you type, badges, the import with its progress, and the public rate limit
on a real server."""

import http.cookiejar
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, SCREENSHOTS, log_in, screenshot
from tests.support.live_server import start_server
from tests.support.qr_read import decode_png


@pytest.fixture
def open_assembly(make_assembly, db):
    assembly = make_assembly(
        name="Asamblea Regional PIT Arauca",
        agreement_line=(
            "Convenio Interadministrativo No. 02 de 2023 suscrito entre la Unidad Solidaria y la UNAD"
        ),
    )
    assembly.status = "open"
    db.session.commit()
    return assembly


def no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal overflow"


def test_public_form_on_a_phone_error_fix_and_ticket(new_page, open_assembly):
    page = new_page(PHONE)
    page.goto(f"/inscripcion/{open_assembly.id}")
    screenshot(page, "registration-form-phone")
    no_horizontal_scroll(page)

    page.get_by_label("Tipo de documento").select_option("CC")
    page.get_by_label("Número de documento").fill("1.057.444.555")
    page.get_by_label("Nombres").fill("Ma3ría")  # a digit in the name: the error to fix
    page.get_by_label("Apellidos").fill("Peña Ruiz")
    page.get_by_label("Fecha de nacimiento").fill("1988-07-21")
    page.locator("#f-sex").select_option("mujer")
    page.get_by_label("Autorreconocimiento étnico").select_option("ninguno")
    page.locator('input[name="is_victim"][value="si"]').check()
    # the kind of disability appears only after answering "Sí"
    assert page.locator("#f-disability_kind").is_hidden()
    page.locator('input[name="has_disability"][value="si"]').check()
    page.get_by_label("Tipo de discapacidad").select_option("visual")
    page.get_by_label("Departamento").select_option("81")
    page.wait_for_function(
        "() => document.querySelector('#f-municipality_code').options.length > 2"
    )
    page.get_by_label("Municipio").select_option("81794")
    page.get_by_label("Teléfono o celular").fill("300 444 5555")
    page.locator("#f-consent_data").check()
    page.get_by_role("button", name="Inscribirme").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Hay 1 dato por corregir" in summary.inner_text()
    assert page.locator("#e-first_names").is_visible()
    # nothing typed is lost: the municipality list and the answers are still there
    assert page.get_by_label("Municipio").input_value() == "81794"
    assert page.get_by_label("Teléfono o celular").input_value() == "300 444 5555"
    assert page.locator("#f-consent_data").is_checked()
    screenshot(page, "registration-form-error-phone")
    no_horizontal_scroll(page)

    summary.get_by_role("link", name="Nombres").click()
    page.get_by_label("Nombres").fill("María")
    page.get_by_role("button", name="Inscribirme").click()
    # the same answer as for a document already registered: the ticket is handed at the desk
    page.wait_for_url(re.compile(r"/inscripcion/\d+/recibida$"))
    assert page.get_by_role("heading", name="Recibimos su inscripción").is_visible()
    assert "1057444555" not in page.content() and "María" not in page.content()
    screenshot(page, "registration-received-phone")
    no_horizontal_scroll(page)


@pytest.mark.parametrize(
    ("size", "name"),
    [(PHONE, "phone"), (PROJECTOR, "1920"), ({"width": 1280, "height": 720}, "1280")],
)
def test_yes_no_questions_offer_sin_responder_which_is_stored_as_no_answer(
    new_page, open_assembly, db, size, name
):
    from assembly.registration.models import Attendee

    page = new_page(size)
    page.goto(f"/inscripcion/{open_assembly.id}")
    # nothing answered yet: «Sin responder» is what the form says, not "No"
    for key in ("has_disability", "is_victim", "is_migrant", "knows_pit", "took_part_before"):
        assert page.locator(f'input[name="{key}"][value=""]').is_checked(), key
    page.locator('input[name="has_disability"][value="si"]').check()
    page.get_by_label("Tipo de discapacidad").select_option("visual")
    # back to «Sin responder»: the kind hides and is cleared (it would answer "sí" again)
    page.locator('input[name="has_disability"][value=""]').check()
    assert page.locator("#f-disability_kind").is_hidden()
    assert page.locator("#f-disability_kind").input_value() == ""
    page.locator('input[name="is_migrant"][value="no"]').check()
    page.locator("#f-is_victim").scroll_into_view_if_needed()
    screenshot(page, f"registration-yes-no-tri-state-{name}")
    no_horizontal_scroll(page)

    page.get_by_label("Tipo de documento").select_option("CC")
    page.get_by_label("Número de documento").fill("1057444666")
    page.get_by_label("Nombres").fill("Rosa")
    page.get_by_label("Apellidos").fill("Mora Ríos")
    page.get_by_label("Fecha de nacimiento").fill("1979-02-11")
    page.locator("#f-sex").select_option("mujer")
    page.get_by_label("Autorreconocimiento étnico").select_option("indigena")
    page.get_by_label("Departamento").select_option("81")
    page.wait_for_function(
        "() => document.querySelector('#f-municipality_code').options.length > 2"
    )
    page.get_by_label("Municipio").select_option("81794")
    page.locator("#f-consent_data").check()
    page.get_by_role("button", name="Inscribirme").click()
    page.wait_for_url(re.compile(r"/inscripcion/\d+/recibida$"))
    person = db.session.scalar(db.select(Attendee).where(Attendee.document_number == "1057444666"))
    assert (person.has_disability, person.disability_kind, person.is_victim) == (None, None, None)
    assert person.is_migrant is False


def test_attendees_list_searches_as_you_type_and_prints_badges(
    new_page, make_user, open_assembly, make_attendee, db
):
    from assembly.grouping.models import Group
    from assembly.registration.models import Attendee

    group = db.session.scalar(
        db.select(Group).where(Group.assembly_id == open_assembly.id, Group.number == 2)
    )
    make_attendee(
        open_assembly,
        first_names="María José",
        last_names="Peña Ruiz",
        name_key="maria jose pena ruiz",
        organization_name="Asociación de Cacaoteros de Tame",
        group_id=group.id,
        phone="3004445555",
    )
    for first, last in [("Pedro", "Gómez Díaz"), ("Ana Lucía", "Ríos"), ("Jhon Jairo", "Pérez")]:
        make_attendee(
            open_assembly,
            first_names=first,
            last_names=last,
            name_key=f"{first} {last}".lower(),
            organization_name="Cooperativa Arauca",
        )
    page = new_page(LAPTOP)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{open_assembly.id}/attendees")
    screenshot(page, "registration-attendees-laptop")
    page.get_by_label("Buscar por nombre o documento").press_sequentially("PENA", delay=30)
    page.wait_for_function("() => document.querySelectorAll('input[name=ids]').length === 1")
    assert "María José Peña Ruiz" in page.locator("#results").inner_text()
    assert "q=PENA" in page.url

    page.goto(f"/assemblies/{open_assembly.id}/badges?all=1")
    assert page.locator("article.badge").count() == 4
    assert page.locator(".badge-agreement").first.inner_text().startswith("Convenio")
    # each badge's QR as Chromium draws it (30 mm, ~3 px a module) reads as its own ticket
    tokens = set(
        db.session.scalars(
            db.select(Attendee.ticket_token).where(Attendee.assembly_id == open_assembly.id)
        )
    )
    qrs = page.locator(".badge-qr")
    read = [decode_png(qrs.nth(i).screenshot()).text for i in range(4)]
    assert {text.rpartition("/t/")[2] for text in read} == tokens
    screenshot(page, "registration-badges-laptop")
    page.goto(f"/assemblies/{open_assembly.id}/badges?all=1&format=roll")
    screenshot(page, "registration-badges-roll-laptop")
    page.goto(f"/assemblies/{open_assembly.id}/poster")
    assert page.locator(".poster-qr svg").is_visible()
    screenshot(page, "registration-poster-laptop")
    page.emulate_media(media="print")
    # printed A4: two badges side by side; the toolbar is not printed
    page.goto(f"/assemblies/{open_assembly.id}/badges?all=1")
    boxes = [b.bounding_box() for b in page.locator("article.badge").all()[:2]]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[1]["x"] > boxes[0]["x"]
    assert page.locator(".badge-toolbar").is_hidden()


def test_import_in_the_browser_shows_progress_and_imports(
    new_page, make_user, open_assembly, tmp_path
):
    rows = "\n".join(
        f"CC;{1057200000 + n};Persona{chr(65 + n % 26)} Apellido Prueba;F;Ninguno;Arauca;Tame;{20 + n}"
        for n in range(40)
    )
    path = tmp_path / "lista.csv"
    path.write_text(
        "Tipo documento;Cédula;Nombre completo;Sexo;Etnia;Departamento;Municipio;Edad\n" + rows
    )
    page = new_page(LAPTOP)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{open_assembly.id}/import")
    page.get_by_label("Archivo de la lista").set_input_files(str(path))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{22}$"))
    screenshot(page, "registration-import-mapping-laptop")
    page.get_by_label("Las personas de esta lista ya autorizaron").check()
    page.get_by_role("button", name="Revisar las filas").click()
    page.wait_for_url(re.compile(r"/(values|review)$"))
    if page.url.endswith("/values"):  # step 3: how each distinct value is read ("F" → Mujer)
        screenshot(page, "registration-import-values-laptop")
        page.get_by_role("button", name="Guardar y revisar las filas").click()
        page.wait_for_url(re.compile(r"/review$"))
    assert page.locator("#count-new").inner_text() == "40"
    screenshot(page, "registration-import-review-laptop")
    page.get_by_role("button", name="Importar 40 personas").click()
    page.wait_for_url(re.compile(r"/import/jobs/\d+$"))
    # the job runs in the background; the page reloads itself when it has ended
    page.locator("#import-result").wait_for(timeout=60_000)
    assert "40 personas nuevas" in page.locator("#import-result").inner_text()
    screenshot(page, "registration-import-done-laptop")
    page.get_by_role("link", name="Ver las personas inscritas").click()
    page.wait_for_url(re.compile(r"/attendees$"))


def test_a_big_list_is_reviewed_with_a_progress_bar(new_page, make_user, open_assembly, tmp_path):
    """1,000 rows (ASSEMBLY_IMPORT_REVIEW_JOB_FROM): the review page first shows the job's
    bar, then reloads itself to the review."""
    rows = "\n".join(
        f"CC;{1057300000 + n};Persona{chr(65 + n % 26)} Apellido Prueba;F;Ninguno;Arauca;Tame;{20 + n % 50}"
        for n in range(1000)
    )
    path = tmp_path / "lista-mediana.csv"
    path.write_text(
        "Tipo documento;Cédula;Nombre completo;Sexo;Etnia;Departamento;Municipio;Edad\n" + rows
    )
    page = new_page(LAPTOP)
    # Each response is counted when it arrives and its body read after: the handler reading the
    # reload's body could still be waiting when the page already showed it (a loaded machine).
    reviews, bodies = [], {}

    def seen(response):
        if response.url.endswith("/review"):
            reviews.append(response)
            bodies[len(reviews) - 1] = response.text()

    page.on("response", seen)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{open_assembly.id}/import")
    page.get_by_label("Archivo de la lista").set_input_files(str(path))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{22}$"))
    page.get_by_label("Las personas de esta lista ya autorizaron").check()
    page.get_by_role("button", name="Revisar las filas").click()
    page.wait_for_url(re.compile(r"/(values|review)$"))
    if page.url.endswith("/values"):
        page.get_by_role("button", name="Guardar y revisar las filas").click()
        page.wait_for_url(re.compile(r"/review$"))
    page.locator("#count-new").wait_for(timeout=120_000)  # reloaded once the job ended
    # the first answer was the job's bar (the request only started the job), then the review
    assert len(reviews) >= 2 and 'id="review-progress"' in bodies[0]
    assert 'id="count-new"' in page.content()
    assert page.locator("#count-new").inner_text() == "1000"
    assert page.get_by_role("button", name="Importar 1000 personas").is_enabled()


def _timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
    return time.perf_counter() - start


@pytest.mark.slow
def test_a_big_import_runs_in_the_background_with_a_progress_bar_while_the_room_is_served(
    new_page, make_user, open_assembly, live_server, tmp_path
):
    rows = "\n".join(
        f"CC;{1057400000 + n};Persona{chr(65 + n % 26)} Apellido Prueba;F;Ninguno;Arauca;Tame;{20 + n % 50}"
        for n in range(4000)
    )
    path = tmp_path / "lista-grande.csv"
    path.write_text(
        "Tipo documento;Cédula;Nombre completo;Sexo;Etnia;Departamento;Municipio;Edad\n" + rows
    )
    page = new_page(LAPTOP)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{open_assembly.id}/import")
    page.get_by_label("Archivo de la lista").set_input_files(str(path))
    page.get_by_role("button", name="Subir y continuar").click()
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{22}$"))
    page.get_by_label("Las personas de esta lista ya autorizaron").check()
    page.get_by_role("button", name="Revisar las filas").click()
    page.wait_for_url(re.compile(r"/(values|review)$"))
    if page.url.endswith("/values"):
        page.get_by_role("button", name="Guardar y revisar las filas").click()
        page.wait_for_url(re.compile(r"/review$"))
    page.locator("#count-new").wait_for(timeout=120_000)  # after the review job's bar
    page.get_by_role("button", name="Importar 4000 personas").click()
    page.wait_for_url(re.compile(r"/import/jobs/\d+$"))
    progress = page.locator("#import-progress")
    progress.wait_for()  # the request only started the job: its bar is on the page
    page.wait_for_function(
        "() => document.querySelector('#import-progress')?.dataset.jobStatus === 'running'"
    )
    screenshot(page, "registration-import-progress-laptop")
    # the room is served meanwhile: other requests answer while the job is still running
    answered_while_running = []
    while progress.count() and progress.get_attribute("data-job-status") == "running":
        answered_while_running.append(_timed_get(f"{live_server.url}/healthz"))
        if len(answered_while_running) >= 5:
            break
    assert answered_while_running, "the job ended before any other request was timed"
    assert max(answered_while_running) < 1.0, answered_while_running
    page.locator("#import-result").wait_for(timeout=120_000)  # the page reloads when it ends
    assert "4000 personas nuevas" in page.locator("#import-result").inner_text()


def _post_form(opener, url: str, token: str) -> int:
    data = urllib.parse.urlencode({"csrf_token": token, "first_names": "X"}).encode()
    try:
        return opener.open(urllib.request.Request(url, data=data), timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_public_registration_is_rate_limited(app, database_url, open_assembly, tmp_path):
    """A real server with its limiter on (the test app runs with RATELIMIT_ENABLED off)."""
    server = start_server(
        database_url,
        secret_key=secrets.token_hex(16),
        log_dir=tmp_path,
        extra_env={"ASSEMBLY_PUBLIC_RATE_LIMIT": "3 per minute"},
    )
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        url = f"{server.url}/inscripcion/{open_assembly.id}"
        page = opener.open(url, timeout=10).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        statuses = [_post_form(opener, url, token) for _ in range(4)]
        assert statuses == [422, 422, 422, 429], server.log()[-2000:]
        assert opener.open(url, timeout=10).status == 200  # reading the form is not limited
    finally:
        server.stop()


def test_walk_in_with_a_registered_document_offers_that_record(
    new_page, make_user, open_assembly, make_attendee
):
    holder = make_attendee(
        open_assembly, document_number="52111222", first_names="Rosa", last_names="Ruiz"
    )
    page = new_page(LAPTOP)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{open_assembly.id}/attendees/new?desk=Mesa%201&return=desk")
    page.get_by_label("Tipo de documento").select_option("CC")
    page.get_by_label("Número de documento").fill("52.111.222")
    page.get_by_label("Nombres").fill("Rosa")
    page.get_by_label("Apellidos").fill("Ruiz")
    page.get_by_label("Rango de edad").select_option("41-59")
    page.locator("#f-sex").select_option("mujer")
    page.get_by_label("Autorreconocimiento étnico").select_option("ninguno")
    page.get_by_label("Departamento").select_option("81")
    page.wait_for_function(
        "() => document.querySelector('#f-municipality_code').options.length > 2"
    )
    page.get_by_label("Municipio").select_option("81001")
    page.locator("#f-consent_data").check()
    page.get_by_role("button", name="Guardar y registrar llegada").click()
    notice = page.locator(".holder")
    notice.wait_for()
    assert "Rosa Ruiz" in notice.inner_text()
    link = notice.get_by_role("link", name="Registrar su llegada")
    assert link.get_attribute("href").endswith(f"checkin={holder.ticket_token}")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "registration-walkin-duplicate-laptop.png"))


@pytest.mark.parametrize(
    ("size", "name"),
    [(PHONE, "phone"), (PROJECTOR, "1920"), ({"width": 1280, "height": 720}, "1280")],
)
def test_the_imports_list_and_an_incompletos_missing_fields_fit_every_screen(
    new_page, make_user, open_assembly, make_attendee, db, size, name
):
    from assembly.registration.models import ImportBatch

    batch = ImportBatch(
        assembly_id=open_assembly.id, filename="preinscritos-convenio-045.xlsx", status="done"
    )
    db.session.add(batch)
    db.session.commit()
    person = make_attendee(open_assembly, sex=None, import_batch_id=batch.id, source="importado")
    batch.created = 1
    db.session.commit()
    page = new_page(size)
    log_in(page, make_user("organizer"))
    page.goto(f"/assemblies/{open_assembly.id}/import")
    row = page.locator(f"#batch-{batch.id}")
    assert "preinscritos-convenio-045.xlsx" in row.inner_text()
    assert row.get_by_role("button", name="Deshacer").is_visible()
    screenshot(page, f"registration-import-batches-{name}")
    no_horizontal_scroll(page)

    page.goto(f"/assemblies/{open_assembly.id}/attendees/{person.id}/edit")
    missing = page.locator("#missing-fields")
    assert missing.is_visible()
    missing.get_by_role("link", name="Sexo").click()
    assert page.evaluate("document.activeElement?.id || location.hash") in ("f-sex", "#f-sex")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"registration-incompleto-{name}.png"))
    no_horizontal_scroll(page)
