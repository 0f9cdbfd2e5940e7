"""The command line for the people who prepare the day: create an assembly (its themes), import a
list (the same import as the screens, one JSON object, exit 3 while values are undecided), export
the workbooks."""

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from assembly import cli
from assembly.registration.models import Attendee, ImportBatch
from assembly.reports.domain import REPORTS
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


def test_create_with_themes_as_a_number_or_as_titles(run, db):
    from assembly.assemblies import template
    from assembly.assemblies.models import Assembly
    from assembly.grouping.models import Group

    base = ["assembly", "create", "--name", "Asamblea Tame", "--department", "81",
            "--municipality", "Tame", "--date", "2026-03-14"]  # fmt: skip
    result = run(*base, "--themes", "3")
    assert result.exit_code == 0, result.output
    assembly = db.session.get(Assembly, int(result.output))
    assert [t.title for t in assembly.themes] == [t.title for t in template.THEMES[:3]]
    assert assembly.themes[0].description == template.THEMES[0].description
    groups = db.session.scalars(select(Group).where(Group.assembly_id == assembly.id)).all()
    assert len(groups) == 3  # one mesa per theme, as from the screens

    result = run(*base, "--themes", "Crédito solidario; Comercialización ;")
    assert result.exit_code == 0, result.output
    titles = [t.title for t in db.session.get(Assembly, int(result.output)).themes]
    assert titles == ["Crédito solidario", "Comercialización"]

    for bad in ("0", "9", " ; "):
        refused = CliRunner().invoke(cli.main, [*base, "--themes", bad])
        assert refused.exit_code == 1 and "--themes" in refused.output, bad


def test_export_writes_the_workbooks_and_logs_them(run, db, make_assembly, make_attendee, tmp_path):
    import openpyxl

    from assembly.reports.models import ExportLog

    assembly = make_assembly()
    make_attendee(assembly, first_names="Rosa", document_number="52111222")
    out = tmp_path / "informes"
    result = run("export", assembly.id, "--report", "asistencia", "--report", "participacion",
                 "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    paths = [line for line in result.output.splitlines() if line]
    assert len(paths) == 2 and all(p.startswith(str(out)) and p.endswith(".xlsx") for p in paths)
    attendance = openpyxl.load_workbook(paths[0], read_only=True)
    assert "Asistencia" in attendance.sheetnames
    cells = [c for row in attendance["Asistencia"].iter_rows(values_only=True) for c in row]
    assert "52111222" not in cells  # pseudonymised unless --variant completa
    attendance.close()
    logged = db.session.scalars(select(ExportLog)).all()
    assert [(e.report, e.username) for e in logged] == [
        ("asistencia", "línea de comandos"),
        ("participacion", "línea de comandos"),
    ]

    result = run("export", assembly.id, "--out", out)  # every report
    assert result.exit_code == 0, result.output
    assert len(result.output.split()) == len(REPORTS)

    refused = CliRunner().invoke(
        cli.main, ["export", str(assembly.id), "--report", "nada", "--out", str(out)]
    )
    assert refused.exit_code == 1 and "No existe el informe «nada»" in refused.output
    missing = CliRunner().invoke(cli.main, ["export", "999999", "--out", str(out)])
    assert missing.exit_code == 1 and "no existe" in missing.output.lower()


@pytest.fixture
def counted(monkeypatch):
    """What an import did again: each read of a file and each check of its rows."""
    from assembly.registration.imports import apply, parse

    calls: list[str] = []
    read, review = parse.read_table, apply.review
    monkeypatch.setattr(parse, "read_table", lambda *a, **k: calls.append("read") or read(*a, **k))
    monkeypatch.setattr(apply, "review", lambda *a, **k: calls.append("review") or review(*a, **k))
    return calls


def _import(assembly, path, folder, **options):
    import datetime as dt

    from assembly.registration.imports import batch

    options.setdefault("chosen", {"sex": {"M": "mujer"}})
    return batch.run_import(
        assembly, path, consent_default=True, today=dt.date(2026, 3, 14), folder=folder, **options
    )


def test_the_import_after_a_dry_run_stores_its_checked_rows(db, make_assembly, tmp_path, counted):
    """The dry run keeps what it read and checked; the import of the same file that follows
    stores those rows without reading the file or checking a row again, says the same, and
    leaves nothing kept behind."""
    assembly = make_assembly()
    path, folder = tmp_path / "preinscritos.csv", tmp_path / "kept"
    path.write_bytes(list_bytes())
    dry = _import(assembly, path, folder, dry_run=True)
    assert counted == ["read", "review"] and any(folder.iterdir())
    counted.clear()
    done = _import(assembly, path, folder)
    assert counted == []  # neither read nor checked again
    assert done["imported"] and done["new"] == dry["new"] == 7
    assert {k: v for k, v in done.items() if k not in ("imported", "batch")} == {
        k: v for k, v in dry.items() if k != "imported"
    }
    assert db.session.scalar(select(func.count(Attendee.id))) == 7
    assert not any(folder.iterdir())  # what the dry run kept went with the import


def test_a_change_after_the_dry_run_checks_every_row_again(
    db, make_assembly, make_attendee, tmp_path, counted
):
    """Anything the review read that changed since (another value choice, somebody
    registered meanwhile, other bytes under the same name) makes the import check again."""
    assembly = make_assembly()
    path, folder = tmp_path / "preinscritos.csv", tmp_path / "kept"
    path.write_bytes(list_bytes())

    _import(assembly, path, folder, dry_run=True)
    counted.clear()
    done = _import(assembly, path, folder, dry_run=True, chosen={"sex": {"M": "hombre"}})
    assert counted == ["read", "review"]  # a dry run always checks
    counted.clear()
    done = _import(assembly, path, folder, chosen={"sex": {"M": "mujer"}})
    assert counted == ["review"]  # the rows kept, but checked for these choices
    assert done["imported"] and done["new"] == 7
    women = db.session.scalar(select(func.count(Attendee.id)).where(Attendee.sex == "mujer"))
    assert women == 4

    other = make_assembly()
    _import(other, path, folder, dry_run=True)
    make_attendee(other, document_number="1057200002")  # registered at the desk meanwhile
    counted.clear()
    done = _import(other, path, folder)
    assert counted == ["review"] and (done["new"], done["already"]) == (6, 1)

    third = make_assembly()
    _import(third, path, folder, dry_run=True)
    path.write_bytes(list_bytes().replace(b"Luis", b"Luiz"))
    counted.clear()
    done = _import(third, path, folder)
    assert counted == ["read", "review"] and done["new"] == 7
    assert db.session.scalar(
        select(func.count(Attendee.id)).where(
            Attendee.assembly_id == third.id, Attendee.first_names == "Luiz"
        )
    )
