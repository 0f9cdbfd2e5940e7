"""A room for the multi-process tests and bench_room: one assembly, its mesas, ``tables``
sub-tables with join codes, ``people`` pre-registered attendees, the clock on the needs step.

    python -m tests.support.room DATABASE_URL TABLES PEOPLE   # prints one JSON line

Built in its own process (a create_app of its own, no queue), schema by ``create_all``.
"""

import json
import random
import secrets
import sys
from datetime import date

ADMIN = "moderacion"
PASSWORD = "clave-de-sala-123"
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def build(url: str, tables: int, people: int) -> dict:
    from assembly import create_app
    from assembly.agenda import services as agenda
    from assembly.assemblies import services as assemblies
    from assembly.auth import services as auth
    from assembly.extensions import db
    from assembly.grouping.models import Group, Table
    from assembly.registration.domain import normalize_name
    from assembly.registration.models import Attendee

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(16),
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": "",
        }
    )
    rng = random.Random(16)
    with app.app_context():
        db.create_all()
        admin = auth.create_user(
            username=ADMIN, display_name="Moderación", password=PASSWORD, role="admin"
        )
        raw = {k: str(v) for k, v in assemblies.template_defaults().items()}
        raw.update(name="Asamblea nacional de prueba", date=date.today().isoformat(),
                   region="Orinoquía", venue="Coliseo", department_code="81",
                   municipality_code="81001")  # fmt: skip
        assembly = assemblies.create_from_template(admin, raw)
        db.session.flush()
        groups = db.session.query(Group).filter_by(assembly_id=assembly.id).order_by(Group.number)
        groups = groups.all()
        codes = []
        for n in range(tables):
            code = "".join(rng.choice(CODE_LETTERS) for _ in range(8))
            group = groups[n % len(groups)]
            db.session.add(Table(group_id=group.id, number=n // len(groups) + 1, join_code=code))
            codes.append(code)
        attendees = []
        for n in range(people):
            first, last = f"Persona {n}", "Sala Nacional"
            attendees.append(
                Attendee(
                    assembly_id=assembly.id, ticket_token=secrets.token_urlsafe(32),
                    document_type="CC", document_number=str(30_000_000 + n), first_names=first,
                    last_names=last, name_key=normalize_name(f"{first} {last}"), sex="mujer",
                    ethnicity="ninguno", department_code="81", municipality_code="81001",
                    consent_data=True, source="preregistro",
                )
            )  # fmt: skip
        db.session.add_all(attendees)
        db.session.commit()
        slots = agenda.load_agenda(assembly).slots
        needs = next(i for i, slot in enumerate(slots) if slot.step_kind == "needs")
        agenda.control(admin, assembly.id, "start", position=needs)
        db.session.commit()
        room = {
            "assembly_id": assembly.id,
            "board_token": assembly.board_token,
            "codes": codes,
            "tickets": [a.ticket_token for a in attendees],
            "admin": ADMIN,
            "password": PASSWORD,
        }
        db.session.remove()
        db.engine.dispose()
    return room


if __name__ == "__main__":
    print(json.dumps(build(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
