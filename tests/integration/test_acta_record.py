"""The acta's record (issue 15.7): attendance at the opening and at each vote, the plenary's
amendments; and (issue 17.7) an erasure makes a redacted version, public-role names kept."""

from datetime import UTC, datetime

import flask_babel
from sqlalchemy import select

from assembly.agenda import services as agenda
from assembly.assemblies import services as assemblies
from assembly.board import domain, services
from assembly.board.models import Acta
from assembly.extensions import db
from assembly.puzzle.models import Piece
from assembly.registration import privacy
from tests.support.board_seed import seed_pieces

OPENING = datetime(2026, 3, 14, 13, 0)  # 08:00 in Bogotá


def _start_agenda_at(assembly, moment):
    agenda.control(None, assembly.id, "start", now=moment.replace(tzinfo=UTC).timestamp())
    db.session.commit()


def _close(assembly):
    assemblies.close_assembly(None, assembly, reason="Fin de la jornada")
    db.session.commit()
    return services.latest_acta(assembly.id)


def test_the_acta_states_who_was_present_when_the_agenda_opened(
    make_assembly, make_attendee, auth, client
):
    assembly = make_assembly()
    early = datetime(2026, 3, 14, 12, 30)
    for _ in range(3):
        make_attendee(assembly, checked_in_at=early)
    make_attendee(assembly, checked_in_at=early, checked_out_at=datetime(2026, 3, 14, 12, 50))
    make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 14, 0))  # came later
    make_attendee(assembly)  # registered, never came
    _start_agenda_at(assembly, OPENING)
    assert services.present_at(assembly.id, OPENING) == 3
    acta = _close(assembly)
    assert acta.snapshot["opening"] == {
        "present": 3,
        "at": "2026-03-14T13:00:00",
        "at_local": "08:00",
    }
    auth.login("moderator")
    page = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert "Personas presentes al inicio de la agenda (08:00)" in page


def test_an_agenda_that_never_ran_has_no_opening_line(make_assembly):
    assembly = make_assembly()
    assert _close(assembly).snapshot["opening"] is None


def test_the_acta_lists_the_plenarys_amendments_not_the_tables_edits(
    make_assembly, auth, client, make_user
):
    assembly = make_assembly()
    seed_pieces(assembly, 3, per_group=1)
    moderator = make_user("moderator", display_name="Moderación Convenio")
    need = db.session.scalar(select(Piece).where(Piece.kind == "need").order_by(Piece.id))
    before = need.text
    services.amend_piece(
        moderator, assembly.id, need.id, {"text": "Crédito con tasa blanda", "reason": "Plenaria"}
    )
    db.session.commit()
    services.amend_piece(
        moderator, assembly.id, need.id, {"text": "Crédito con tasa cero", "reason": "Votada"}
    )
    db.session.commit()
    from assembly.puzzle.services import record_version

    plan = db.session.scalar(select(Piece).where(Piece.kind == "plan"))
    record_version(plan, None, "Editada por la mesa")  # a table's own edit: not listed
    db.session.commit()
    acta = _close(assembly)
    rows = acta.snapshot["amendments"]
    assert [(r["before"]["text"], r["after"]["text"], r["reason"]) for r in rows] == [
        (before, "Crédito con tasa blanda", "Plenaria"),
        ("Crédito con tasa blanda", "Crédito con tasa cero", "Votada"),
    ]
    assert rows[0]["by"] == "Moderación Convenio" and rows[0]["kind"] == "need"
    auth.login("moderator")
    page = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert "Enmiendas de la plenaria" in page and "Crédito con tasa cero" in page
    assert "<td>Necesidad</td>" in page
    # in the reader's language (issue 20.8), also in an acta stored with the Spanish label
    for kind in ("need", "Necesidad"):
        acta.snapshot = {**acta.snapshot, "amendments": [{**r, "kind": kind} for r in rows]}
        db.session.commit()
        flask_babel.refresh()  # the requests share the test's app context and its locale
        english = client.get(f"/assemblies/{assembly.id}/acta?lang=en").get_data(as_text=True)
        assert "<td>Need</td>" in english and "Necesidad" not in english


def test_redaction_keeps_public_roles_and_counts_what_it_suppressed():
    snapshot = {
        "agenda": [{"spokesperson": "Ana Pérez", "rows": [{"who": "Ana Pérez", "text": "x"}]}],
        "incidents": [{"reason": "ANA PÉREZ se retiró; doc 1122334455"}],
    }
    redacted, count = domain.redact(snapshot, ["Ana Pérez", "1122334455", ""])
    assert count == 2
    assert redacted["agenda"] == snapshot["agenda"]
    assert redacted["incidents"][0]["reason"] == (
        f"{domain.SUPPRESSED} se retiró; doc {domain.SUPPRESSED}"
    )
    assert snapshot["incidents"][0]["reason"].startswith("ANA")  # the input is untouched


def test_erasing_a_person_makes_a_redacted_acta_version(make_assembly, make_attendee, auth, client):
    assembly = make_assembly()
    seed_pieces(assembly, 3, per_group=1)
    groups = services.board_groups(assembly.id)
    speaker = make_attendee(assembly, first_names="Ana", last_names="Pérez", checked_in_at=OPENING)
    other = make_attendee(assembly, first_names="Luis", last_names="Gómez", checked_in_at=OPENING)
    groups[0].spokesperson_id = speaker.id
    db.session.commit()
    services.set_headcount(None, assembly.id, "2", "Luis Gómez llegó sin escarapela")
    db.session.commit()
    first = _close(assembly)
    assert "Luis Gómez" in str(first.snapshot)

    privacy.erase("admin", other, reason="Lo pidió")
    db.session.commit()
    versions = db.session.scalars(select(Acta).order_by(Acta.version)).all()
    assert [a.version for a in versions] == [1, 2]
    assert "Luis Gómez" in str(versions[0].snapshot)  # the stored version is never edited
    redacted = versions[1].snapshot
    assert "Luis Gómez" not in str(redacted) and domain.SUPPRESSED in str(redacted)
    assert (redacted["version"], redacted["redacted_from"], redacted["redactions"]) == (2, 1, 1)

    # the spokesperson is a public role: erased, the name stays; nothing else to redact
    privacy.erase("admin", speaker, reason="Lo pidió")
    db.session.commit()
    assert db.session.scalar(select(Acta.version).order_by(Acta.version.desc()).limit(1)) == 2
    assert "Ana Pérez" in str(services.latest_acta(assembly.id).snapshot)
    auth.login("moderator")
    page = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert "Versión con datos personales suprimidos (Ley 1581)" in page


def test_retention_of_a_whole_room_makes_one_redacted_version(make_assembly, make_attendee):
    assembly = make_assembly()
    people = [make_attendee(assembly, first_names=f"Nombre{n}") for n in range(3)]
    services.set_headcount(None, assembly.id, "3", ", ".join(p.full_name for p in people))
    db.session.commit()
    _close(assembly)
    for person in people:
        privacy.erase("retención", person, reason="retención")
    db.session.commit()
    versions = db.session.scalars(select(Acta).order_by(Acta.version)).all()
    assert [a.version for a in versions] == [1, 2]
    assert versions[1].snapshot["redactions"] == 3
