"""The acta (issue 15.7): venue time, each vote with its rule and the people present, the
spokesperson, incidents, signatures; stored once per close (a later close is a new version)."""

from datetime import datetime

from assembly.assemblies import services as assemblies
from assembly.board import services
from assembly.extensions import db
from tests.support.board_seed import seed_pieces


def test_the_acta_reads_in_colombian_time_with_rules_spokesperson_incidents_and_signatures(
    make_assembly, make_attendee, auth, client, monkeypatch
):
    assembly = make_assembly()
    seed_pieces(assembly, 3, per_group=1)
    groups = services.board_groups(assembly.id)
    people = [make_attendee(assembly, checked_in_at=datetime(2026, 3, 14, 8)) for _ in range(3)]
    groups[0].spokesperson_id = people[0].id
    db.session.commit()
    services.record_hands(None, assembly.id, groups[0].id, {"for": 2, "against": 1})
    services.set_headcount(None, assembly.id, "4", "Una persona sin escarapela")
    db.session.commit()
    closing = datetime(2026, 3, 14, 22, 30)  # 17:30 in Bogotá
    monkeypatch.setattr("assembly.board.services.acta.utcnow", lambda: closing)
    assemblies.close_assembly(None, assembly, reason="Se acabó el tiempo del coliseo")
    db.session.commit()
    auth.login("moderator")
    page = client.get(f"/assemblies/{assembly.id}/acta").get_data(as_text=True)
    assert "14/03/2026 17:30 (hora de Colombia)" in page and "(UTC)" not in page
    assert f"Vocería de la mesa: {people[0].full_name}" in page
    assert "Quórum: más de la mitad de las 3 personas presentes (2)" in page
    assert "Conteo de personas presentes" in page and "Una persona sin escarapela" in page
    assert "Cierre con decisiones pendientes" in page and "Se acabó el tiempo del coliseo" in page
    assert "Moderación por el Convenio" in page and "Moderación por la Unidad Solidaria" in page
    snap = services.latest_acta(assembly.id).snapshot
    assert snap["attendance"]["present"] == 4 and snap["version"] == 1
