"""The service worker (issue 13.3b, 13.8): where the page is in a secure context (here the
live server on 127.0.0.1, as the server laptop on localhost), a table's phone and the desk
reload with no network and show their page with its outbox; back online, what waited is
stored once. A page never kept shows the app's own offline page, not the browser's error."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.puzzle.models import Piece
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot
from tests.browser.test_table_browser import OFFLINE, _go_to_step, room  # noqa: F401


def _kept(page):
    """The worker controls the page and has stored it and what it loaded."""
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'true'")
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)") or page.evaluate(
        "() => navigator.serviceWorker.ready.then((r) => Boolean(r.active))"
    )


def test_a_phone_reloads_offline_writes_and_its_piece_is_stored_once(room, new_page):  # noqa: F811
    assembly, admin = room["assembly"], room["admin"]
    _go_to_step(assembly, admin, "needs")
    _db.session.rollback()
    leader = new_page(PHONE, service_workers="allow")
    leader.goto("/mesa/MESA37")
    leader.locator(".conn[data-state=online]").wait_for()
    _kept(leader)
    sw = leader.evaluate("() => fetch('/sw.js').then((r) => r.text())")
    assert sw.startswith("self.ASSEMBLY = {")

    leader.context.set_offline(True)
    leader.get_by_text(OFFLINE).wait_for()
    leader.reload()  # no network: the worker answers with the kept page
    leader.get_by_text(OFFLINE).wait_for()
    assert leader.locator("[data-no-reload]").is_hidden()  # reloading is safe here
    assert leader.get_by_role("heading", name=room["group"].theme.title).is_visible()
    text = "Crédito solidario para las cooperativas del piedemonte"
    leader.get_by_label("Necesidad 1 de 2").fill(text)
    leader.get_by_role("button", name="Guardar", exact=True).click()
    leader.get_by_text("Pendiente de envío").first.wait_for()
    leader.reload()  # again, with the piece in the outbox: still there
    leader.get_by_text("Pendiente de envío").first.wait_for()
    leader.evaluate("window.scrollTo(0, 0)")
    screenshot(leader, "offline-shell-table-phone")
    assert _db.session.scalar(select(Piece).where(Piece.kind == "need")) is None
    _db.session.rollback()

    # a page this phone never opened: the app's own offline page
    leader.goto("/mesa/OTRA99")
    leader.get_by_role("heading", name="Sin conexión con el servidor").wait_for()
    screenshot(leader, "offline-page-phone")
    leader.go_back()
    leader.get_by_text("Pendiente de envío").first.wait_for()

    leader.context.set_offline(False)
    leader.locator(".conn[data-state=online]").wait_for(timeout=20_000)
    leader.wait_for_function("() => !document.body.innerText.includes('Pendiente de envío')")
    stored = _db.session.scalars(select(Piece).where(Piece.kind == "need")).all()
    assert [p.text for p in stored] == [text]
    _db.session.rollback()
    key = f"asamblea:table:{room['table'].id}:outbox"  # kept under the table, not its code
    assert leader.evaluate(f"localStorage.getItem('{key}')") == "[]"


def test_the_desk_reloads_offline_and_its_queued_scan_syncs(
    new_page, make_user, make_assembly, make_attendee
):
    organizer = make_user("organizer")
    assembly = make_assembly()
    person = make_attendee(assembly)
    _db.session.rollback()
    page = new_page(LAPTOP, service_workers="allow")
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/desk?desk=Mesa+1")
    page.wait_for_selector("[data-net][data-state=online]")
    _kept(page)

    page.context.set_offline(True)
    page.wait_for_selector("[data-net][data-state=offline]")
    page.keyboard.type(f"/t/{person.ticket_token}\n", delay=2)
    page.wait_for_selector("[data-result][data-kind=pending]")
    page.reload()
    page.get_by_text("Escaneos pendientes de enviar: 1").wait_for()
    assert page.locator("#scan-input").is_visible()
    screenshot(page, "offline-shell-desk-laptop")
    [queued] = page.evaluate(
        f"JSON.parse(localStorage.getItem('asamblea.desk.queue.{assembly.id}'))"
    )

    # Chromium's emulated offline (156) now and then lets a write of a page its worker controls
    # reach the server and drops only the answer: a lost answer, as on a real flaky network.
    # The scan stays queued either way; the server counts its UUID once, dated when scanned.
    page.context.set_offline(False)
    page.locator(".queue-item[data-state=ok]").wait_for(timeout=20_000)
    _db.session.expire_all()
    stored = _db.session.get(Attendee, person.id)
    assert (stored.checked_in_desk, stored.checked_in_scan) == ("Mesa 1", queued["id"])
    scanned = datetime.fromtimestamp(queued["at"] / 1000, UTC).replace(tzinfo=None)
    assert abs(stored.checked_in_at - scanned) < timedelta(milliseconds=500)
    _db.session.rollback()
    assert page.evaluate(f"localStorage.getItem('asamblea.desk.queue.{assembly.id}')") is None

    # logging out drops the kept desk page (it names the staff member)
    assert page.evaluate(KEPT_DESKS) != []
    page.get_by_role("button", name="Salir").click()
    page.wait_for_url("**/login**")
    page.wait_for_function(f"async () => (await ({KEPT_DESKS})()).length === 0")


#: the desk pages the worker keeps, in every cache of this origin
KEPT_DESKS = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) if (request.url.includes("/desk")) found.push(request.url);
  }
  return found;
}"""


def test_without_a_service_worker_the_offline_banner_says_not_to_reload(room, new_page):  # noqa: F811
    """Plain HTTP on the LAN has no service worker (here: blocked): the phone must not reload."""
    leader = new_page(PHONE)  # service workers blocked, as on http://192.168.x.y
    leader.goto("/mesa/MESA37")
    leader.locator(".conn[data-state=online]").wait_for()
    leader.context.set_offline(True)
    leader.get_by_text("No recargue la página: la conexión vuelve sola.").wait_for()
    leader.context.set_offline(False)


def test_a_ticket_reloads_offline_with_its_qr(new_page, make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(assembly)
    _db.session.rollback()
    phone = new_page(PHONE, service_workers="allow")
    phone.goto(f"/t/{person.ticket_token}")
    _kept(phone)
    phone.context.set_offline(True)
    phone.reload()
    phone.get_by_text(person.full_name).first.wait_for()
    qr = phone.locator("img.ticket-qr")
    phone.wait_for_function(
        "() => { const i = document.querySelector('img.ticket-qr'); return i.complete && i.naturalWidth > 0; }"
    )
    assert qr.is_visible()
