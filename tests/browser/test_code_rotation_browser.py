"""A table's code rotated in Chromium: the facilitator changes it, the phone on the old code is
told, keeps its outbox and drafts, and sends them after entering with the new code."""

from sqlalchemy import select

from assembly.extensions import db as _db
from assembly.grouping.models import Group, Table
from assembly.puzzle.models import Piece
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot
from tests.browser.test_table_browser import _go_to_step

OLD = "CMBQ27"


def test_a_rotated_code_keeps_the_phones_work(make_assembly, make_attendee, make_user, new_page):
    assembly = make_assembly()
    group = _db.session.scalars(
        select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
    ).first()
    table = Table(group_id=group.id, number=4, join_code=OLD, capacity=20)
    _db.session.add(table)
    _db.session.commit()
    table_id = table.id
    make_attendee(assembly, group_id=group.id, table_id=table.id)
    admin = make_user("admin")
    _go_to_step(assembly, admin, "needs")
    _db.session.rollback()

    facilitator = new_page(PHONE)
    log_in(facilitator, admin)
    facilitator.goto(f"/assemblies/{assembly.id}/groups/{group.id}/facilitate")
    facilitator.locator(f"[data-code='{table_id}']", has_text=OLD).wait_for()
    leader = new_page(PHONE)
    leader.goto(f"/mesa/{OLD}")
    leader.locator(".conn[data-state=online]").wait_for()

    facilitator.on("dialog", lambda dialog: dialog.accept())
    facilitator.get_by_role("button", name="Cambiar código").click()
    code = facilitator.locator(f"[data-code='{table_id}']")
    facilitator.wait_for_function(
        f"() => document.querySelector(\"[data-code='{table_id}']\").textContent !== '{OLD}'"
    )
    new = code.inner_text()
    _db.session.expire_all()
    assert _db.session.get(Table, table_id).join_code == new
    _db.session.rollback()
    screenshot(facilitator, "code-rotated-facilitator-phone")

    # the phone on the old code is told; what it writes now stays on it
    banner = leader.locator("[data-code-changed]")
    banner.wait_for()
    assert "pida el nuevo" in banner.inner_text()
    assert new not in leader.content()
    leader.get_by_label("Necesidad 1 de 2").fill("Crédito blando para las cooperativas")
    leader.get_by_role("button", name="Guardar", exact=True).click()
    leader.get_by_text("Pendiente de envío").first.wait_for()
    leader.get_by_label("Necesidad 2 de 2").fill("Formación en red (borrador)")
    leader.evaluate("window.scrollTo(0, 0)")
    screenshot(leader, "code-changed-phone")
    assert _db.session.scalars(select(Piece)).all() == []
    _db.session.rollback()

    # a reload on the old code says the same, and the page to type the new one
    leader.reload()
    leader.get_by_text("ya no abre la mesa").wait_for()
    leader.get_by_label("Código de la mesa").fill(new.lower())
    leader.get_by_role("button", name="Entrar").click()
    leader.wait_for_url(f"**/mesa/{new}")
    leader.locator(".conn[data-state=online]").wait_for()
    leader.wait_for_function("() => !document.body.innerText.includes('Pendiente de envío')")
    stored = _db.session.scalars(select(Piece)).all()
    assert [p.text for p in stored] == ["Crédito blando para las cooperativas"]
    _db.session.rollback()
    assert leader.get_by_label("Necesidad 2 de 2").input_value() == "Formación en red (borrador)"

    # the card again, with the new code
    card = new_page(LAPTOP)
    log_in(card, admin)
    card.goto(f"/assemblies/{assembly.id}/tables/{table_id}/card")
    assert card.locator(".jc-code").inner_text() == new
    screenshot(card, "code-rotated-card-laptop")
