"""The command line for the people who prepare the day: create an assembly, import a list
(the same import as the screens, one JSON object, exit 3 while values are undecided)."""

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from assembly import cli
from assembly.registration.models import Attendee, ImportBatch
from tests.integration.test_import_foreign_list import list_bytes


@pytest.fixture
def run(app, monkeypatch):
    monkeypatch.setattr(cli, "_app", lambda: app)

    def invoke(*args):
        return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_create_an_assembly_and_import_a_list(run, db, tmp_path):
    result = run(
        "assembly", "create", "--name", "Asamblea Arauca", "--department", "Arauca",
        "--municipality", "Tame", "--date", "2026-03-14", "--table-size", "8",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assembly_id = int(result.output.strip())
    path = tmp_path / "preinscritos.csv"
    path.write_bytes(list_bytes())

    result = run("import", assembly_id, path, "--consent-collected", "--json")
    assert result.exit_code == 3
    summary = json.loads(result.output)
    assert summary["ambiguous"] == {"sex": {"M": 3}}
    assert summary["imported"] is False
    assert db.session.scalar(select(func.count(Attendee.id))) == 0

    args = ("import", assembly_id, path, "--consent-collected", "--value", "sex:M=mujer")
    result = run(*args, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["new"], summary["already"], summary["imported"]) == (7, 0, False)
    assert [row for row, _ in summary["errors"]] == [13]  # the row without a document
    assert db.session.scalar(select(func.count(Attendee.id))) == 0

    result = run(*args, "--json")
    summary = json.loads(result.output)
    assert summary["imported"] is True and summary["new"] == 7
    assert db.session.scalar(select(func.count(Attendee.id))) == 7
    # a batch like the screens' own, so the import screen can undo it
    batch = db.session.get(ImportBatch, summary["batch"])
    assert (batch.status, batch.created, batch.assembly_id) == ("done", 7, int(assembly_id))
    assert set(db.session.scalars(select(Attendee.import_batch_id))) == {batch.id}
    women = db.session.scalar(select(func.count(Attendee.id)).where(Attendee.sex == "mujer"))
    assert women == 4

    # again, without --value: the choice was remembered, and nobody is imported twice
    result = run("import", assembly_id, path, "--json")
    summary = json.loads(result.output)
    assert result.exit_code == 0 and (summary["new"], summary["already"]) == (0, 7)


def test_cli_refuses_bad_input_in_spanish(run, tmp_path, make_assembly):
    assembly = make_assembly()
    result = run(
        "assembly", "create", "--name", "X", "--department", "Atlántida",
        "--municipality", "Tame", "--date", "2026-03-14",
    )  # fmt: skip
    assert result.exit_code == 1 and "No se encontró el departamento" in result.output
    path = tmp_path / "l.csv"
    path.write_text("Cédula;Nombre completo\n123456;Ana Ruiz\n")
    result = run("import", assembly.id, path, "--map", "Correo=email", "--json")
    assert result.exit_code == 1 and "no tiene la columna «Correo»" in result.output
    result = run("import", assembly.id, path, "--value", "sexo", "--json")
    assert result.exit_code == 1 and "--value espera" in result.output
