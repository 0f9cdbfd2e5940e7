from sqlalchemy import select

from assembly.assemblies.models import Assembly, Moment, Step, Theme
from assembly.grouping.models import Group

FORM = {
    "name": "Asamblea Regional PIT Arauca",
    "date": "2026-03-14",
    "region": "Orinoquía",
    "department_code": "81",
    "municipality_code": "81001",
    "venue": "Coliseo Municipal",
    "capacity": "500",
    "table_size": "20",
    "plan_start_year": "2024",
    "plan_end_year": "2026",
    "agreement_line": "Convenio Interadministrativo No. 02 de 2023",
}


def test_new_assembly_form_starts_from_the_template(client, auth):
    auth.login("admin")
    page = client.get("/assemblies/new").get_data(as_text=True)
    assert "Convenio Interadministrativo No. 02 de 2023" in page
    assert 'value="500"' in page and 'value="20"' in page
    assert "Arauca" in page  # the DIVIPOLA department list


def test_admin_creates_an_assembly_from_the_methodology(client, auth, db):
    auth.login("admin")
    response = client.post("/assemblies/new", data=FORM)
    assert response.status_code == 302
    assembly = db.session.scalars(select(Assembly)).one()
    assert assembly.status == "draft" and assembly.capacity == 500
    assert next(t.title for t in assembly.themes) == "Asociatividad y el trabajo en red"
    assert len(assembly.themes) == 5
    groups = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).all()
    assert sorted(g.number for g in groups) == [1, 2, 3, 4, 5]
    assert len(assembly.moments) == 11
    moment4 = next(m for m in assembly.moments if m.title.startswith("Momento 4"))
    assert [s.minutes for s in moment4.steps] == [15, 15, 20, 10]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Momento 4 — Voces y apuestas" in page and "Necesidades 15′" in page
    assert FORM["agreement_line"] in page


def test_invalid_assembly_changes_nothing_and_says_why(client, auth, db):
    auth.login("admin")
    response = client.post(
        "/assemblies/new", data={**FORM, "plan_end_year": "2023", "agreement_line": ""}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "anterior al inicial" in page
    assert db.session.scalar(select(Assembly.id)) is None


def test_edit_assembly_fields(client, auth, make_assembly, db):
    auth.login("admin")
    assembly = make_assembly()
    response = client.post(
        f"/assemblies/{assembly.id}/edit", data={**FORM, "capacity": "430", "table_size": "15"}
    )
    assert response.status_code == 302
    db.session.refresh(assembly)
    assert (assembly.capacity, assembly.table_size) == (430, 15)


def test_status_change(client, auth, make_assembly, db):
    auth.login("admin")
    assembly = make_assembly()
    client.post(f"/assemblies/{assembly.id}/status", data={"status": "live"})
    db.session.refresh(assembly)
    assert assembly.status == "live"
    assert client.post(f"/assemblies/{assembly.id}/status", data={"status": "x"}).status_code == 422


def _row(client, assembly, what, row_id, action, **data):
    return client.post(f"/assemblies/{assembly.id}/{what}/{row_id}/{action}", data=data)


def test_theme_editing_keeps_one_mesa_per_theme(client, auth, make_assembly, db):
    auth.login("admin")
    assembly = make_assembly()
    _row(
        client, assembly, "themes", 0, "add", title="Mujeres y economía del cuidado", description=""
    )
    db.session.expire_all()
    assert len(assembly.themes) == 6
    new = assembly.themes[-1]
    assert db.session.scalar(select(Group.number).where(Group.theme_id == new.id)) == 6
    _row(client, assembly, "themes", new.id, "up")
    db.session.expire_all()
    assert assembly.themes[4].id == new.id
    _row(
        client, assembly, "themes", new.id, "update", title="Economía del cuidado", description="d"
    )
    db.session.expire_all()
    assert db.session.get(Theme, new.id).title == "Economía del cuidado"
    response = _row(client, assembly, "themes", new.id, "update", title="", description="")
    assert "necesita un título" in client.get(response.headers["Location"]).get_data(as_text=True)
    _row(client, assembly, "themes", new.id, "delete")
    db.session.expire_all()
    assert len(assembly.themes) == 5
    assert [t.position for t in assembly.themes] == [1, 2, 3, 4, 5]
    assert db.session.scalar(select(Group.id).where(Group.theme_id == new.id)) is None


def test_a_theme_with_people_in_its_mesa_cannot_be_deleted(
    client, auth, make_assembly, make_attendee, db
):
    auth.login("admin")
    assembly = make_assembly()
    theme = assembly.themes[0]
    group = db.session.scalar(select(Group).where(Group.theme_id == theme.id))
    make_attendee(assembly, group_id=group.id)
    response = _row(client, assembly, "themes", theme.id, "delete")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ya tiene 1 personas asignadas" in page
    assert db.session.get(Theme, theme.id) is not None


def test_agenda_editing(client, auth, make_assembly, db):
    auth.login("admin")
    assembly = make_assembly()
    moment = assembly.moments[7]  # Momento 3
    _row(client, assembly, "moments", moment.id, "update", title="Momento 3 — Experiencias", planned_start="14:20",
         planned_end="14:50", kind="momento", objective="o", method="m")  # fmt: skip
    db.session.expire_all()
    moment = db.session.get(Moment, moment.id)
    assert moment.title == "Momento 3 — Experiencias" and moment.planned_minutes == 30
    _row(
        client,
        assembly,
        "moments",
        moment.id,
        "add-step",
        title="Experiencia 4",
        minutes="5",
        kind="talk",
    )
    db.session.expire_all()
    assert [s.title for s in db.session.get(Moment, moment.id).steps][-1] == "Experiencia 4"
    last = db.session.get(Moment, moment.id).steps[-1]
    _row(client, assembly, "steps", last.id, "up")
    _row(
        client,
        assembly,
        "steps",
        last.id,
        "update",
        title="Experiencia 4",
        minutes="7",
        kind="talk",
    )
    db.session.expire_all()
    steps = db.session.get(Moment, moment.id).steps
    assert [s.minutes for s in steps] == [10, 10, 7, 10]
    _row(client, assembly, "steps", last.id, "delete")
    db.session.expire_all()
    assert db.session.get(Step, last.id) is None
    response = _row(
        client,
        assembly,
        "moments",
        0,
        "add",
        title="Cierre",
        planned_start="16:30",
        planned_end="16:15",
    )
    assert "posterior" in client.get(response.headers["Location"]).get_data(as_text=True)
    _row(
        client,
        assembly,
        "moments",
        0,
        "add",
        title="Cierre",
        planned_start="16:30",
        planned_end="16:45",
        kind="receso",
    )
    db.session.expire_all()
    assert assembly.moments[-1].title == "Cierre"
    _row(client, assembly, "moments", assembly.moments[-1].id, "delete")
    db.session.expire_all()
    assert len(assembly.moments) == 11


def test_rows_of_another_assembly_are_not_found(client, auth, make_assembly):
    auth.login("admin")
    mine, other = make_assembly(), make_assembly()
    theme = other.themes[0]
    assert _row(client, mine, "themes", theme.id, "update", title="x").status_code == 404
    assert _row(client, mine, "nonsense", 1, "update").status_code == 404


def test_empty_list_invites_to_create(client, auth):
    auth.login("admin")
    page = client.get("/assemblies/").get_data(as_text=True)
    assert "Todavía no hay asambleas" in page and "Nueva asamblea" in page


def test_municipalities_api(client):
    data = client.get("/api/divipola/81").get_json()
    assert {"code": "81001", "name": "Arauca"} in data["municipalities"]
    assert client.get("/api/divipola/00").get_json() == {"municipalities": []}
