"""The groups screen in Chromium: split a room of 60, move one person, see it (and see another
screen told live); rosters and join cards in print view."""

from datetime import datetime

from playwright.sync_api import expect
from sqlalchemy import select

from assembly.grouping.models import Group, Table
from assembly.registration.models import Attendee
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, log_in, screenshot

ORGS = ["Asomucaf", "Coopagro", "Recicladores Unidos", "Vendedores del Centro", None]


def _room(db, assembly, n=60):
    themes = [t.id for t in assembly.themes]
    db.session.add_all(
        Attendee(
            assembly_id=assembly.id,
            ticket_token=f"browser-{assembly.id}-{i}",
            document_type="CC",
            document_number=str(70_000_000 + i),
            first_names=["Ana", "Luis", "Marta", "Jorge", "Diana", "Pedro"][i % 6] + f" {i:02d}",
            last_names=["Rojas", "Gómez", "Pérez", "Díaz"][i % 4],
            name_key=f"persona {i}",
            sex="mujer" if i % 2 else "hombre",
            age_range=["18-28", "29-59", "60+"][i % 3],
            ethnicity="ninguno",
            department_code="81",
            municipality_code=["81001", "81065"][i % 2],
            organization_name=ORGS[i % 5],
            organization_key=ORGS[i % 5] and ORGS[i % 5].lower(),
            knows_pit=i % 6 == 0,
            took_part_before=i % 6 == 0,
            preferred_theme_id=themes[i % 4] if i % 3 else None,
            consent_data=True,
            checked_in_at=datetime(2026, 3, 14, 8, i % 60),
        )
        for i in range(n)
    )
    db.session.commit()


def test_split_and_move_in_the_browser(new_page, make_user, make_assembly, db):
    organizer = make_user("organizer", display_name="Olga Organizadora")
    facilitator = make_user("facilitator", display_name="Fabio Facilitador")
    assembly = make_assembly(table_size=8)
    _room(db, assembly)

    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}")
    page.get_by_role("link", name="Mesas y sub-mesas").click()
    expect(page.get_by_text("Todavía no se ha repartido la sala")).to_be_visible()
    page.get_by_label("Personas registradas hoy").check()
    page.get_by_role("button", name="Vista previa").click()
    expect(
        page.get_by_role("heading", name="Vista previa · Personas registradas hoy")
    ).to_be_visible()
    page.get_by_role("button", name="Aplicar este reparto").click()
    expect(page.get_by_text("Sala repartida: 60 personas")).to_be_visible()
    expect(page.locator(".subtable")).to_have_count(10)  # 5 mesas x 2 sub-mesas of up to 8

    # a second staff screen follows the assembly and is told about the move
    watcher = new_page(LAPTOP)
    log_in(watcher, organizer)
    watcher.goto(f"/assemblies/{assembly.id}/groups")
    watcher.wait_for_selector("#mesas[data-live=joined]", state="attached")  # joined its rooms

    db.session.expire_all()
    person = db.session.scalar(select(Attendee).where(Attendee.first_names == "Ana 06"))
    target = db.session.scalars(
        select(Table)
        .join(Group)
        .where(Group.assembly_id == assembly.id, Table.id != person.table_id)
        .order_by(Table.id.desc())
    ).first()
    page.locator("#move-person").select_option(str(person.id))
    page.locator("#move-table").select_option(str(target.id))
    screenshot(page, "grouping-groups-laptop")
    page.get_by_role("button", name="Mover", exact=True).click()
    expect(page.get_by_text("Persona movida.")).to_be_visible()
    expect(page.locator(f"#table-{target.id} .people")).to_contain_text(person.full_name)
    expect(watcher.locator("#live-banner")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Attendee, person.id).table_id == target.id

    # a facilitator for mesa 1 (the select saves on change)
    first_group = db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).first()
    page.locator(f"#fac-{first_group.id}").select_option(label="Fabio Facilitador")
    expect(page.get_by_text("Facilitación asignada.")).to_be_visible()
    expect(page.locator(f"#fac-{first_group.id}")).to_have_value(
        str(db.session.scalar(select(Group.facilitator_id).where(Group.id == first_group.id)))
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"laptop: {overflow}px of horizontal overflow"

    # the facilitator follows that mesa on a phone
    phone = new_page(PHONE)
    log_in(phone, facilitator)
    phone.goto(f"/assemblies/{assembly.id}")
    phone.get_by_role("link", name="Mi mesa").click()
    expect(
        phone.get_by_role("heading", name="Mesa 1 — Asociatividad y el trabajo en red")
    ).to_be_visible()
    expect(phone.locator("details.subtable")).to_have_count(2)
    screenshot(phone, "grouping-my-mesa-phone")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"phone: {overflow}px of horizontal overflow"
    expect(phone.locator("#mesas[data-live='joined']")).to_have_count(
        1
    )  # it follows the mesa's room
    page.locator(f"#table-{first_group.tables[0].id} .lock-toggle").click()
    expect(page.get_by_text("Sub-mesa actualizada.")).to_be_visible()
    expect(phone.locator("#live-banner")).to_be_visible()

    projector = new_page(PROJECTOR)
    log_in(projector, organizer)
    projector.goto(f"/assemblies/{assembly.id}/groups")
    screenshot(projector, "grouping-groups-projector")

    roster = new_page(LAPTOP)
    log_in(roster, organizer)
    roster.goto(f"/assemblies/{assembly.id}/groups/{first_group.id}/roster")
    roster.emulate_media(media="print")
    expect(roster.get_by_role("button", name="Imprimir")).to_be_hidden()
    expect(roster.locator("tr.leader").first).to_contain_text("Líder")
    screenshot(roster, "grouping-roster-print")
    roster.goto(f"/assemblies/{assembly.id}/groups/cards?group={first_group.id}")
    expect(roster.locator(".join-card")).to_have_count(2)
    roster.wait_for_function("() => [...document.images].every((img) => img.complete)")
    assert roster.evaluate("document.querySelector('.jc-qr').naturalWidth") > 200  # the PNG loaded
    screenshot(roster, "grouping-cards-print")
    # every card of the room, four to an A4 sheet
    roster.goto(f"/assemblies/{assembly.id}/groups/cards")
    roster.wait_for_function("() => [...document.images].every((img) => img.complete)")
    pdf = roster.pdf(prefer_css_page_size=True, print_background=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 3, f"10 cards should fill 3 A4 sheets, got {pages}"
