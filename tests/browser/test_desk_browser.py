"""The registration desk in Chromium against the real server: scan, search, undo, walk-in, badge."""

import re
from datetime import UTC, datetime, timedelta

from assembly.core.qr import qr_matrix
from assembly.extensions import db as _db
from assembly.registration.domain import normalize_name
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot


def _person(make_attendee, assembly, first, last, **kwargs):
    return make_attendee(
        assembly,
        first_names=first,
        last_names=last,
        name_key=normalize_name(f"{first} {last}"),
        organization_name=kwargs.pop("organization_name", "Cooperativa El Progreso"),
        **kwargs,
    )


def _stored(attendee_id):
    _db.session.expire_all()
    row = _db.session.get(Attendee, attendee_id)
    _db.session.rollback()  # never hold a read open while the server writes
    return row


def test_desk_scan_search_undo_walk_in_and_badge(new_page, make_user, make_assembly, make_attendee):
    organizer = make_user("organizer")
    assembly = make_assembly()
    ana = _person(make_attendee, assembly, "Ana Lucía", "Pérez Gómez")
    jose = _person(make_attendee, assembly, "José", "Muñoz", organization_name="Asociación Río")
    for n in range(3):
        _person(
            make_attendee,
            assembly,
            f"Persona{n}",
            "Llegada",
            checked_in_at=datetime.now(UTC).replace(tzinfo=None),
            checked_in_desk="Mesa 2",
        )
    _db.session.rollback()

    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk")

    # first visit: the desk asks its name once
    page.get_by_label("¿Cómo se llama esta mesa de registro?").wait_for()
    screenshot(page, "desk-setup-laptop")
    page.get_by_label("¿Cómo se llama esta mesa de registro?").fill("Mesa 1")
    page.get_by_role("button", name="Empezar").click()
    scan_input = page.locator("#scan-input")
    assert scan_input.evaluate("el => el === document.activeElement")
    assert "desk=Mesa+1" in page.url or "desk=Mesa%201" in page.url

    # live counters arrive over Socket.IO
    page.wait_for_selector("[data-net][data-state=online]")
    assert page.locator("[data-count-in]").inner_text() == "3"
    assert page.locator("[data-count-registered]").inner_text() == "5"

    # a USB scanner types the ticket URL and Enter -> green
    result = page.locator("[data-result]")
    page.keyboard.type(f"{page.url.split('/assemblies')[0]}/t/{ana.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert result.get_by_text("Ana Lucía Pérez Gómez").is_visible()
    assert result.get_by_text("Llegada registrada").is_visible()
    assert _stored(ana.id).checked_in_desk == "Mesa 1"
    page.wait_for_function("() => document.querySelector('[data-count-in]').textContent === '4'")
    assert scan_input.input_value() == ""
    assert scan_input.evaluate("el => el === document.activeElement")
    screenshot(page, "desk-desk-laptop")

    # badge print link for that person
    badge = page.locator("[data-result-badge]")
    assert badge.get_attribute("href") == f"/assemblies/{assembly.id}/badges?ids={ana.id}"

    # the same ticket again -> amber, with the time and desk
    page.keyboard.type(f"/t/{ana.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=already]")
    assert re.search(r"Ya registrada a las \d\d:\d\d en Mesa 1", result.inner_text())
    screenshot(page, "desk-already-laptop")

    # an unknown ticket -> red
    page.keyboard.type("http://otra.org/t/" + "Q" * 43 + "\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=unknown]")
    assert result.get_by_text("Tiquete no válido").is_visible()
    screenshot(page, "desk-unknown-laptop")

    # search by name without accents, pick with Enter -> green
    page.keyboard.type("jose munoz", delay=20)
    option = page.get_by_role("option", name=re.compile("José Muñoz"))
    option.wait_for()
    assert option.get_attribute("aria-selected") == "true"
    screenshot(page, "desk-search-laptop")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert result.get_by_text("José Muñoz").is_visible()
    assert _stored(jose.id).checked_in_at is not None

    # undo the last check-in
    page.get_by_role("button", name="Deshacer última llegada").click()
    page.wait_for_selector("[data-result][data-kind=undone]")
    assert _stored(jose.id).checked_in_at is None
    page.wait_for_function("() => document.querySelector('[data-count-in]').textContent === '4'")
    assert page.get_by_role("button", name="Deshacer última llegada").is_disabled()

    # and a tap on a search result checks in as well
    page.keyboard.type("perez", delay=20)
    page.get_by_role("option", name=re.compile("Ana Lucía")).wait_for()
    assert "Llegó" in page.get_by_role("option", name=re.compile("Ana Lucía")).inner_text()
    page.keyboard.press("Escape")

    # the print view opens the registration feature's badge page
    page.keyboard.type(f"/t/{ana.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=already]")
    with page.context.expect_page() as popup:
        badge.click()
    badge_page = popup.value
    badge_page.wait_for_load_state()
    assert f"/assemblies/{assembly.id}/badges?ids={ana.id}" in badge_page.url
    assert badge_page.get_by_text("Ana Lucía").first.is_visible()
    badge_page.close()

    # walk-in: the button leads to the registration form in desk mode
    walk_in = page.get_by_role("link", name="Inscribir persona nueva")
    assert walk_in.get_attribute("href") == (
        f"/assemblies/{assembly.id}/attendees/new?desk=Mesa+1&return=desk"
    )
    walk_in.click()
    page.wait_for_url(f"**/assemblies/{assembly.id}/attendees/new?*")
    assert "desk=Mesa+1" in page.url
    # the registration form, filled and saved, comes back to the desk with the person checked in
    page.get_by_label("Tipo de documento").select_option("CC")
    page.get_by_label("Número de documento").fill("1.057.888.999")
    page.get_by_label("Nombres").fill("Walter")
    page.get_by_label("Apellidos").fill("Ingreso Directo")
    page.get_by_label("Fecha de nacimiento").fill("1979-02-11")
    page.locator("#f-sex").select_option("hombre")
    page.get_by_label("Autorreconocimiento étnico").select_option("ninguno")
    page.get_by_text("Más preguntas opcionales").click()  # folded at the desk (issue 20.5)
    page.locator('input[name="is_victim"][value="no"]').check()
    page.locator('input[name="has_disability"][value="no"]').check()
    page.get_by_label("Departamento").select_option("81")
    page.wait_for_function(
        "() => document.querySelector('#f-municipality_code').options.length > 2"
    )
    page.get_by_label("Municipio").select_option("81794")
    page.locator("#f-consent_data").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/assemblies/{assembly.id}/desk?*")
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert page.locator("[data-result]").get_by_text("Walter Ingreso Directo").is_visible()
    _db.session.expire_all()
    walter = _db.session.query(Attendee).filter_by(document_number="1057888999").one()
    assert (walter.checked_in_desk, walter.source) == ("Mesa 1", "mesa")
    _db.session.rollback()


def test_walk_in_return_checks_the_new_person_in(new_page, make_user, make_assembly, make_attendee):
    """The walk-in form redirects to ...desk?desk=<name>&checkin=<token>: checked in on load."""
    organizer = make_user("organizer")
    assembly = make_assembly()
    newcomer = _person(make_attendee, assembly, "Nueva", "Persona")
    _db.session.rollback()
    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+3&checkin={newcomer.ticket_token}")
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert page.locator("[data-result]").get_by_text("Nueva Persona").is_visible()
    assert "checkin=" not in page.url  # a reload must not scan again
    assert _stored(newcomer.id).checked_in_desk == "Mesa 3"


def test_scans_made_offline_wait_as_pending_survive_a_reload_and_sync_in_order(
    new_page, make_user, make_assembly, make_attendee
):
    """Issue 13.5: no network, the desk keeps scanning; the scans wait on the laptop
    ("pendiente"), survive a reload, and go by themselves when the server answers: green for
    a first arrival, amber for a ticket checked in earlier elsewhere; nothing is stored twice."""
    organizer = make_user("organizer")
    assembly = make_assembly()
    ana = _person(make_attendee, assembly, "Ana", "Sin Red")
    earlier = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    beto = _person(
        make_attendee, assembly, "Beto", "Ya Vino", checked_in_at=earlier, checked_in_desk="Mesa 2"
    )
    _db.session.rollback()
    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+1")
    page.wait_for_selector("[data-net][data-state=online]")
    queue_key = f"asamblea.desk.queue.{assembly.id}"

    page.context.set_offline(True)
    page.wait_for_selector("[data-net][data-state=offline]")
    page.keyboard.type(f"/t/{ana.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=pending]")
    page.keyboard.type(f"/t/{beto.ticket_token}\n", delay=2)
    page.get_by_text("Escaneos pendientes de enviar: 2").wait_for()
    result = page.locator("[data-result]")
    assert "Pendiente: se registrará al volver la conexión" in result.inner_text()
    assert "no se registró" not in page.locator("body").inner_text().lower()
    assert page.locator(".queue-item[data-state=pending]").count() == 2
    assert page.locator("#scan-input").input_value() == ""  # ready for the next person
    queued = page.evaluate(f"JSON.parse(localStorage.getItem('{queue_key}'))")
    assert [item["ticket"] for item in queued] == [
        f"/t/{ana.ticket_token}",
        f"/t/{beto.ticket_token}",
    ]
    assert set(queued[0]) == {"id", "ticket", "desk", "at"}  # tokens and times, no list copy
    screenshot(page, "desk-offline-pending-laptop")
    assert _stored(ana.id).checked_in_at is None
    scanned_by = datetime.now(UTC).replace(tzinfo=None)

    # the network comes back but the server does not answer check-ins yet; a reload keeps them
    page.route("**/desk/checkin", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    page.reload()
    page.get_by_text("Escaneos pendientes de enviar: 2").wait_for()
    assert page.locator(".queue-item[data-state=pending]").count() == 2

    # the server answers again: they go by themselves, oldest first
    page.unroute("**/desk/checkin")
    page.get_by_text("Escaneos enviados al volver la conexión").wait_for(timeout=20_000)
    page.locator(".queue-item[data-state=ok]", has_text="Ana Sin Red").wait_for()
    amber = page.locator(".queue-item[data-state=already]", has_text="Beto Ya Vino")
    assert "Mesa 2" in amber.inner_text()
    assert page.evaluate(f"localStorage.getItem('{queue_key}')") is None
    screenshot(page, "desk-offline-synced-laptop")
    stored = _stored(ana.id)
    assert stored.checked_in_desk == "Mesa 1"
    assert stored.checked_in_at <= scanned_by  # counted at the scan's time, not the sync's
    again = _stored(beto.id)
    assert (again.checked_in_at, again.checked_in_desk) == (earlier, "Mesa 2")
    page.wait_for_function("() => document.querySelector('[data-count-in]').textContent === '2'")


def test_a_search_pick_that_gets_no_answer_says_it_was_not_recorded(
    new_page, make_user, make_assembly, make_attendee
):
    """A pick from the search is not queued (it needs the server): the desk says so."""
    organizer = make_user("organizer")
    assembly = make_assembly()
    person = _person(make_attendee, assembly, "Única", "Persona Buscada")
    _db.session.rollback()
    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+1")
    page.keyboard.type("Única Persona", delay=2)
    page.get_by_text("Una persona coincide").wait_for()
    page.route("**/desk/checkin", lambda route: route.abort("internetdisconnected"))
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-result][data-kind=error]")
    assert page.get_by_text("Sin conexión: NO se registró").is_visible()
    assert _stored(person.id).checked_in_at is None
    page.unroute("**/desk/checkin")
    page.get_by_role("button", name="Reintentar").click()
    page.wait_for_selector("[data-result][data-kind=ok]")
    assert _stored(person.id).checked_in_at is not None


def test_desk_on_a_phone(new_page, make_user, make_assembly, make_attendee):
    organizer = make_user("organizer")
    assembly = make_assembly()
    person = _person(make_attendee, assembly, "María Fernanda", "Castañeda Ortiz")
    _db.session.rollback()
    page = new_page(PHONE)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+5")
    page.wait_for_selector("[data-net][data-state=online]")
    page.keyboard.type(f"/t/{person.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=ok]")
    page.wait_for_function("() => document.querySelector('[data-count-in]').textContent === '1'")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal overflow"
    screenshot(page, "desk-desk-phone")


def test_camera_scans_a_ticket_qr(
    tmp_path, browser, live_server, make_user, make_assembly, make_attendee
):
    """Chromium's fake camera plays a video of a ticket QR, made as the app makes it (its fixed
    mask); jsQR (loaded only when the camera button is pressed) reads it and the desk checks
    the person in."""
    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.support.services import require_chromium

    organizer = make_user("organizer")
    assembly = make_assembly()
    person = _person(make_attendee, assembly, "Cámara", "Lectora")
    _db.session.rollback()

    video = tmp_path / "ticket.y4m"
    video.write_bytes(_qr_video(f"{live_server.url}/t/{person.ticket_token}"))

    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # A second Chromium of the same Playwright, started with a fake camera playing the video.
    camera_browser = browser.browser_type.launch(executable_path=require_chromium(), args=args)
    try:
        context = camera_browser.new_context(
            viewport=LAPTOP, base_url=live_server.url, locale="es-CO"
        )
        context.grant_permissions(["camera"], origin=live_server.url)
        context.set_default_timeout(15_000)
        page = context.new_page()
        log_in(page, organizer)
        page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+C")
        assert page.evaluate("typeof window.jsQR") == "undefined"  # not loaded yet
        page.get_by_role("button", name="Cámara").click()
        page.wait_for_selector("[data-result][data-kind=ok]")
        assert page.evaluate("typeof window.jsQR") == "function"
        assert page.locator("[data-result]").get_by_text("Cámara Lectora").is_visible()
        page.get_by_role("button", name="Cerrar cámara").click()
        assert page.locator("[data-camera-panel]").is_hidden()
    finally:
        camera_browser.close()
    assert _stored(person.id).checked_in_desk == "Mesa C"


def _qr_video(text: str, width: int = 640, height: int = 480, frames: int = 10) -> bytes:
    """A Y4M video (raw YUV 4:2:0, no image library needed) showing the QR of ``text`` in
    black on white, for Chromium's --use-file-for-fake-video-capture."""
    matrix = qr_matrix(text)  # the app's own code (its fixed mask), with the quiet zone
    module = min(width, height) * 5 // 6 // len(matrix)
    left = (width - module * len(matrix)) // 2
    top = (height - module * len(matrix)) // 2
    luma = bytearray(b"\xff" * (width * height))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            for y in range(top + r * module, top + (r + 1) * module):
                start = y * width + left + c * module
                luma[start : start + module] = b"\x00" * module
    chroma = b"\x80" * (width * height // 2)  # U and V planes, grey
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    return header + (b"FRAME\n" + bytes(luma) + chroma) * frames
