from sqlalchemy import func, select

from assembly import demo
from assembly.assemblies.models import Assembly
from assembly.auth.models import User
from assembly.grouping.models import Group
from assembly.registration.models import Attendee


def test_demo_seeds_the_arauca_day_once(app, db):
    assert demo.seed_if_empty(people=120) is True
    assembly = db.session.scalars(select(Assembly)).one()
    assert (
        "PIT Arauca" in assembly.name and len(assembly.themes) == 5 and len(assembly.moments) == 11
    )
    count = db.session.scalar(select(func.count(Attendee.id)))
    assert 110 <= count <= 120
    assert (
        db.session.scalar(select(func.count(Attendee.id)).where(Attendee.consent_data.is_(False)))
        == 0
    )
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "organizer", "moderator", "supervisor", "facilitator"}
    assert (
        db.session.scalar(select(func.count(Group.id)).where(Group.facilitator_id.is_not(None)))
        == 5
    )
    assert demo.seed_if_empty(people=120) is False
    assert db.session.scalar(select(func.count(Assembly.id))) == 1


def test_demo_people_pass_the_unified_form(app):
    rows = demo.fake_registrations(300, [1, 2, 3, 4, 5])
    assert len({r["document_number"] for r in rows}) == len(rows) > 280
    assert {r["sex"] for r in rows} == {"mujer", "hombre"}
