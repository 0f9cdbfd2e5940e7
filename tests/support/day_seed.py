"""The day's real states for the page walks (the policy walk and axe; issues 20.7, 17.4 — the
English and 200 % walks still find Spanish labels and sideways scroll here): an assembly in its plenary and a second one closed, seeded through the services
(the demo's own states, then the rest by hand) so every page shows what people see that day.

``seed_day()`` gives a ``Day``; ``day_pages(day)`` every page type, including those that only
exist in such states (the amend page, a commitment's private update page, the vote page with
an open vote, a printed table card, the acta of a closed day, the import's steps)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from assembly.agenda.services.speakers import speakers_command
from assembly.assemblies import services as assemblies
from assembly.assemblies.models import Assembly
from assembly.assemblies.realtime import broadcasting
from assembly.auth import services as accounts
from assembly.auth.models import User
from assembly.board.models import Approval
from assembly.board.services import approvals, plenary
from assembly.board.services.amendments import amend_piece
from assembly.demo import after, states
from assembly.demo.people import fake_registrations
from assembly.desk import services as desk
from assembly.extensions import db, unit_of_work
from assembly.followup import monitoring
from assembly.followup import services as followup
from assembly.followup.lessons import areas, create_card
from assembly.grouping.models import Group, Table
from assembly.helpers import utcnow
from assembly.puzzle.models import Piece
from assembly.puzzle.services import moderation
from assembly.registration import services as registration
from assembly.registration.imports import apply as imports
from assembly.registration.imports import batch, uploads
from assembly.registration.models import Attendee

#: the demo's states look people up by these accounts' names
ADMIN = "admin"
#: a list with one good row and one refused (no document), in the headers people use
IMPORT_CSV = (
    "Tipo de documento,Número de documento,Nombres,Apellidos,Sexo,Municipio\n"
    "CC,1055000111,Marleny,Importada Rincón,Mujer,Arauca\n"
    "CC,,Sin,Documento,Hombre,Tame\n"
    "CC,1055000333,Wilmer,Pérez Otra,Hombre,Saravena\n"
)
#: a list with a value nobody can map alone («Varón»: the values step asks)
PENDING_CSV = IMPORT_CSV.replace("Hombre,Saravena", "Varón,Saravena")


@dataclass
class Day:
    admin: User  # the walks log in with this one (the tests' password)
    assembly: Assembly  # in its plenary: clock running, votes, commitments, survey
    group: Group  # the mesa approved by hands (commitments, frozen pieces)
    person: Attendee  # checked in, seated, with a vote still to cast
    table: Table  # a seated table of ``group``
    plan: Piece  # an amended plan of ``group``
    followup_token: str  # a commitment's responsible's private link
    card_id: int  # a lessons-learned card
    import_key: str  # an upload past its column step, a value still to choose
    review_key: str  # an upload at its review (one refused row)
    moderated: Group  # undecided, with a merged duplicate and a hidden piece
    closed: Assembly  # closed: acta stored, every report exported


def _assembly(name: str, people: int) -> Assembly:
    assembly = assemblies.create_from_template(
        None,
        {
            **{k: str(v) for k, v in assemblies.template_defaults().items()},
            "name": name,
            "table_size": "5",  # a few sub-mesas per mesa with few people
            "region": "Orinoquía",
            "department_code": "81",
            "municipality_code": "81001",
            "date": date.today().isoformat(),
            "venue": "Coliseo Cubierto Menesio Valencia, Arauca",
        },
    )
    assembly.status = "open"
    for raw in fake_registrations(people, [t.id for t in assembly.themes], seed=assembly.id):
        registration.register(assembly, raw, source="preregistro", today=date.today())
    db.session.flush()
    return assembly


def _upload(folder: Path, assembly: Assembly, name: str, text: str) -> uploads.Upload:
    upload = uploads.save_upload(folder, assembly, name, text.encode())
    mapping = imports.suggested_mapping(assembly, upload.table.headers)
    return imports.set_mapping(folder, assembly, upload, mapping, True)


def _groups(assembly_id: int) -> list[Group]:
    return db.session.scalars(
        select(Group).where(Group.assembly_id == assembly_id).order_by(Group.number)
    ).all()


def _pieces(group: Group, kind: str) -> list[Piece]:
    return db.session.scalars(
        select(Piece)
        .join(Table, Piece.table_id == Table.id)
        .where(Table.group_id == group.id, Piece.kind == kind, Piece.hidden.is_(False))
        .order_by(Table.number, Piece.created_at, Piece.id)
    ).all()


def seed_day(make_user, tmp_path: Path) -> Day:
    """Both assemblies, through the services; commits. ~40 people each."""
    with unit_of_work():
        accounts.create_user(
            username=ADMIN, display_name="Administración", password="demo-clave-9", role="admin"
        )
        closed = _assembly("Asamblea ya cerrada", 36)
    states.advance(closed, "cierre")  # every mesa decided, survey, notes, acta, reports
    db.session.commit()

    with unit_of_work():
        assembly = _assembly("Asamblea en plenaria", 44)
    # split, pieces on every table, spokespeople, the clock in Moment 5, mesa 1 approved by
    # hands, mesa 2 revealed with its phone vote open and mostly cast
    states.advance(assembly, "plenaria")
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.username == ADMIN))
    groups = _groups(assembly.id)
    rng = random.Random(20)
    tickets = db.session.scalars(
        select(Attendee.ticket_token)
        .where(Attendee.assembly_id == assembly.id, Attendee.checked_in_at.is_not(None))
        .order_by(Attendee.id)
    ).all()
    with broadcasting():  # mesa 2's phone vote closes (approved), mesa 3's opens
        approvals.close_vote(admin, assembly.id, groups[1].id)
        plenary.plenary_command(admin, assembly.id, "reveal", group_id=groups[2].id)
        vote = approvals.open_vote(admin, assembly.id, groups[2].id)
    with broadcasting():
        for token in tickets[: len(tickets) // 2]:
            approvals.cast_vote(token, vote.id, rng.choice(("for", "for", "against", "abstain")))
    person = db.session.scalar(select(Attendee).where(Attendee.ticket_token == tickets[-1]))

    with broadcasting():  # a duplicate need merged, another piece hidden (mesa 4, undecided)
        moderated = next((g for g in groups[3:] if len(_pieces(g, "need")) >= 2), None)
        assert moderated, [(g.number, len(g.tables), len(_pieces(g, "need"))) for g in groups]
        needs = _pieces(moderated, "need")
        moderation.merge_piece(admin, needs[1].id, needs[0].id)
        moderation.hide_piece(admin, _pieces(moderated, "plan")[-1].id, True)

    group = groups[0]
    plan = _pieces(group, "plan")[0]
    with broadcasting():  # the plenary amends a plan of the approved agenda
        amend_piece(
            admin,
            assembly.id,
            plan.id,
            {"text": plan.text + " (enmendado)", "who": plan.who, "due": plan.due or "",
             "reason": "La plenaria precisó el alcance"},
        )  # fmt: skip
    with unit_of_work():  # a responsible reports progress through the private link
        commitment = followup.commitments_of(assembly.id)[0]
        link = followup.link_for(assembly.id, commitment.who)
        followup.report_progress(
            link.token, commitment.id, {"status": "en_curso", "progress": "30",
                                        "note": "Ya hablamos con la alcaldía."}
        )  # fmt: skip

    after.before_closing(admin, assembly, tickets, rng)  # notes of Moments 2/3, the survey
    with unit_of_work():
        card = create_card(
            admin,
            assembly.id,
            {"area_id": str(areas()[0].id), "kind": "positiva",
             "finding": "El mercado campesino funciona cuando hay compras públicas.",
             "description": "La alcaldía compró la cosecha de tres veredas.",
             "lesson": "Acordar precio antes de sembrar.", "success": "Contrato firmado.",
             "actors": "Asociación de Cacaoteros", "territory": "Arauca",
             "keywords": "Compras públicas"},
            {"sdgs": ["2"], "gcm_principles": ["a"]},
        )  # fmt: skip
    with broadcasting():  # the speaker list: one speaking, one waiting
        speakers_command(admin, assembly.id, "add", name="Luz Dary Peña", minutes="3")
        speakers_command(admin, assembly.id, "add", name="Jairo Mendoza", minutes="2")
        speakers_command(admin, assembly.id, "next")
    with broadcasting():  # a walk-in, registered and checked in at the desk
        walk_in = registration.register(
            assembly,
            {**fake_registrations(1, [], seed=7)[0], "document_number": "1099888777"},
            source="mesa",
            today=date.today(),
        )
        desk.check_in_by_id(admin, assembly.id, walk_in.id, "Mesa 2", utcnow())

    csv = tmp_path / "preinscritos.csv"
    csv.write_text(IMPORT_CSV, encoding="utf-8")
    with unit_of_work():  # a confirmed import with a refused row
        summary = batch.run_import(assembly, csv, consent_default=True, today=date.today())
        assert summary["imported"] and summary["errors"], summary
    folder = Path(current_app.instance_path) / "imports"  # where the live server reads them
    with unit_of_work():  # two lists on their way: one at its review, one with a value to say
        reviewed = _upload(folder, assembly, "revisar.csv", IMPORT_CSV)
        upload = _upload(folder, assembly, "valores.csv", PENDING_CSV)
        assert any(r.needs_choice for rows in imports.value_rows(assembly, upload).values()
                   for r in rows)  # fmt: skip
    with unit_of_work():  # the closed day publishes its follow-up
        monitoring.set_public(closed.id, True)

    table = next(t for t in group.tables if t.leader_id)
    day = Day(
        admin=make_user("admin"),
        assembly=assembly,
        group=group,
        person=person,
        table=table,
        plan=db.session.get(Piece, plan.id),
        followup_token=link.token,
        card_id=card.id,
        import_key=upload.key,
        review_key=reviewed.key,
        moderated=moderated,
        closed=db.session.get(Assembly, closed.id),
    )
    assert db.session.scalar(
        select(Approval.id).where(Approval.group_id == groups[2].id, Approval.status == "open")
    )
    db.session.commit()
    return day


def day_pages(day: Day) -> list[str]:
    """Every page type of the walks, in the day's states."""
    a = f"/assemblies/{day.assembly.id}"
    c = f"/assemblies/{day.closed.id}"
    g = day.group.id
    token = day.person.ticket_token
    return [
        "/",
        "/assemblies/",
        "/assemblies/new",
        "/assemblies/red",
        a,
        f"{a}/edit",
        f"{a}/themes",
        f"{a}/agenda",
        f"{a}/staff",
        f"{a}/desk?desk=Mesa+1",
        f"{a}/console",
        f"{a}/projector",
        f"{a}/slides",
        f"{a}/attendees",
        f"{a}/attendees/new",
        f"{a}/attendees/{day.person.id}/edit",
        f"{a}/questions",
        f"{a}/import",
        f"{a}/import/{day.import_key}",
        f"{a}/import/{day.import_key}/values",
        f"{a}/import/{day.review_key}/review",
        f"{a}/badges?ids={day.person.id}",  # ?all=1: 80 QR codes, seconds on a loaded machine
        f"{a}/poster",
        f"{a}/groups",
        f"{a}/groups/cards",
        f"{a}/groups/roster",
        f"{a}/groups/{g}/roster",
        f"{a}/tables/{day.table.id}/roster",
        f"{a}/tables/{day.table.id}/card",
        f"{a}/my-mesa",
        f"{a}/facilitate",
        f"{a}/groups/{g}/facilitate",
        f"{a}/groups/{day.moderated.id}/facilitate",  # a hidden and a merged piece
        f"{a}/board",
        f"{a}/plenaria",
        f"{a}/agenda-consolidada",
        f"{a}/piezas/{day.plan.id}/enmendar",
        f"{a}/acta",
        f"{a}/compromisos",
        f"{a}/compromisos/hoja",
        f"{a}/reports",
        f"{a}/encuesta",
        f"{a}/encuesta/proyectar",
        f"{a}/momentos",
        f"{a}/lecciones",
        f"{a}/lecciones/nueva",
        f"{a}/lecciones/{day.card_id}",
        f"{a}/lecciones/imprimir",
        f"{c}",
        f"{c}/acta",
        f"{c}/plenaria",
        f"{c}/board",
        f"{c}/reports",
        f"{c}/encuesta",
        f"/rendicion/{day.closed.id}",
        "/reports",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{day.admin.id}",
        "/admin/audit",
        f"/inscripcion/{day.assembly.id}",
        f"/inscripcion/{day.assembly.id}/recibida",
        f"/t/{token}",
        f"/t/{token}/mis-datos",
        f"/t/{token}/votar",
        f"/votar/{day.assembly.id}",
        f"/tablero/{day.assembly.board_token}",
        f"/encuesta/asamblea/{day.assembly.id}",
        f"/encuesta/{token}",
        f"/seguimiento/{day.followup_token}",
        "/lecciones",
        "/lecciones/areas",
        "/compromisos",
        "/mesa",
        f"/mesa/{day.table.join_code}",
        "/offline",
        "/no-such-page",
    ]
