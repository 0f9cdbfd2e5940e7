"""The demo assembly: the Arauca day of methodology.md with a few hundred invented people.

Deterministic (fixed seed) so that screenshots and demos look the same on every machine;
the ticket tokens are still random, as in production.
"""

import logging
from datetime import date

from flask import current_app
from sqlalchemy import MetaData, select

from assembly.assemblies import services as assemblies
from assembly.assemblies.models import Assembly
from assembly.auth import services as accounts
from assembly.auth.models import User
from assembly.demo import states
from assembly.demo.people import fake_registrations
from assembly.demo.room import DEMO_NAME
from assembly.demo.states import DEFAULT_STATE, STATES  # noqa: F401
from assembly.extensions import db, unit_of_work
from assembly.grouping.models import Group
from assembly.registration import services as registration

log = logging.getLogger(__name__)

STAFF = [
    ("organizador", "Equipo de registro", "organizer"),
    ("moderador", "Moderación del proyector", "moderator"),
    ("supervisor", "Supervisión del convenio", "supervisor"),
    *[(f"facilitador{n}", f"Facilitación mesa {n}", "facilitator") for n in range(1, 6)],
]


def is_empty() -> bool:
    """No assembly and no account yet: a demo may be seeded without ``--reset``."""
    return not (
        db.session.scalar(select(Assembly.id).limit(1))
        or db.session.scalar(select(User.id).limit(1))
    )


def seed_if_empty(people: int = 300, state: str = "inicio") -> bool:
    """Create the demo at ``state`` (see ``demo.states``) when the database is empty; True
    if it did. ``inicio`` is the day before check-in; ``dia`` is what ``serve --demo`` shows."""
    if state not in STATES:
        raise ValueError(f"unknown demo state {state!r}; one of {', '.join(STATES)}")
    if not is_empty():
        return False
    password = current_app.config["DEMO_ADMIN_PASSWORD"]
    with unit_of_work():
        accounts.create_user(
            username="admin", display_name="Administración", password=password, role="admin"
        )
        facilitators, staff = [], []
        for username, name, role in STAFF:
            user = accounts.create_user(
                username=username, display_name=name, password=password, role=role
            )
            staff.append(user)
            if role == "facilitator":
                facilitators.append(user)
        assembly = assemblies.create_from_template(
            None,
            {
                **{k: str(v) for k, v in assemblies.template_defaults().items()},
                "name": DEMO_NAME,
                "region": "Orinoquía",
                "department_code": "81",
                "municipality_code": "81001",
                "date": date.today().isoformat(),
                "venue": "Coliseo Cubierto Menesio Valencia, Arauca",
            },
        )
        assembly.status = "open"
        for user in staff:  # the demo team works on the demo assembly (and only there)
            accounts.grant(user, assembly.id, True)
        groups = db.session.scalars(
            select(Group).where(Group.assembly_id == assembly.id).order_by(Group.number)
        )
        for group, facilitator in zip(groups, facilitators, strict=False):
            group.facilitator_id = facilitator.id
        for raw in fake_registrations(people, [t.id for t in assembly.themes]):
            registration.register(assembly, raw, source="preregistro", today=date.today())
    states.advance(assembly, state)
    log.info("demo assembly %s created at %s with %s registrations", assembly.id, state, people)
    return True


def reset_database() -> None:
    """Drop every table (and the migration mark): the caller upgrades the empty database."""
    db.session.remove()
    tables = MetaData()
    tables.reflect(bind=db.engine)
    with db.engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if not postgres:  # SQLite: the tables refer to each other in cycles
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for table in reversed(tables.sorted_tables):
            quoted = connection.dialect.identifier_preparer.quote(table.name)
            connection.exec_driver_sql(
                f"DROP TABLE IF EXISTS {quoted}" + (" CASCADE" if postgres else "")
            )
        connection.commit()
        if not postgres:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
