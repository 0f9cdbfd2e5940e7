"""The groups screen of a big room in Chromium (issue 16.1): a page of sub-mesas at a time
with its pager, and a split running in the background shown as a progress bar that turns
into the result by itself when the job ends."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assembly.core import jobs
from assembly.grouping import services
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, log_in, screenshot
from tests.browser.test_grouping_browser import _room

SMALL_LAPTOP = {"width": 1280, "height": 720}


@pytest.mark.slow  # a big room and a background split (~15 s)
def test_a_big_room_pages_its_sub_mesas_and_follows_a_background_split(
    new_page, make_user, make_assembly, db
):
    organizer = make_user("organizer", display_name="Olga Organizadora")
    assembly = make_assembly(table_size=3)
    _room(db, assembly, n=105)  # 35 sub-mesas of 3: two pages of 30
    services.run_split(organizer, assembly.id, population="checked_in", seed=1)
    db.session.commit()
    tables = [t for g in services.groups_of(assembly.id) for t in g.tables]
    assert len(tables) == 35

    page = new_page(LAPTOP)
    log_in(page, organizer)
    page.goto(f"/assemblies/{assembly.id}/groups")
    expect(page.get_by_text("Página 1 de 2").first).to_be_visible()
    expect(page.locator(".subtable")).to_have_count(30)
    page.get_by_role("link", name="Siguiente →").first.click()
    expect(page.get_by_text("Página 2 de 2").first).to_be_visible()
    expect(page.locator(".subtable")).to_have_count(5)
    expect(page.locator(f"#table-{tables[-1].id}")).to_be_visible()
    screenshot(page, "grouping-pages-laptop")
    for name, size in (("phone", PHONE), ("small-laptop", SMALL_LAPTOP)):
        other = new_page(size)
        log_in(other, organizer)
        other.goto(f"/assemblies/{assembly.id}/groups?page=2")
        expect(other.locator(".subtable")).to_have_count(5)
        screenshot(other, f"grouping-pages-{name}")

    # a split of the whole room is running in the background (started by this organiser)
    job = jobs.Job(kind="split", assembly_id=assembly.id, user_id=organizer.id, status="running")
    job.done, job.total, job.message = 40, 105, "Leyendo las inscripciones…"
    db.session.add(job)
    db.session.commit()
    watching = new_page(PROJECTOR)
    log_in(watching, organizer)
    watching.goto(f"/assemblies/{assembly.id}/groups?job={job.id}")
    expect(watching.get_by_role("heading", name="Repartiendo la sala")).to_be_visible()
    expect(watching.locator(".split-job [data-job-text]")).to_contain_text("40 de 105")
    screenshot(watching, "grouping-split-job-projector")

    db.session.expire_all()
    job = db.session.scalar(select(jobs.Job).where(jobs.Job.id == job.id))
    job.status, job.done, job.total = "done", 105, 105
    job.result = {"people": 105, "tables": 35, "preference_pct": 80.0, "leaders_found": 9}
    db.session.commit()
    # the page reloads by itself once the job it saw running has ended
    expect(watching.get_by_text("Sala repartida: 105 personas en 35 sub-mesas")).to_be_visible(
        timeout=15_000
    )
    expect(watching.locator(".split-job")).to_have_count(0)
