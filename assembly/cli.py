"""Command line: ``flask --app wsgi assembly ...`` for operators, ``asamblea serve`` to run it."""

import os
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, ScriptInfo

from assembly.config import PROJECT_ROOT
from assembly.serving import gunicorn_command, print_room_address, tls_files, worker_connections

group = AppGroup("assembly", help="Asamblea: cuentas, datos de demostración.")


@group.command("create-user")
@click.option("--username", prompt="Usuario")
@click.option("--name", "display_name", prompt="Nombre")
@click.option(
    "--role",
    type=click.Choice(["admin", "organizer", "facilitator", "moderator", "supervisor"]),
    prompt="Rol",
)
@click.password_option("--password", prompt="Contraseña")
def create_user_command(username, display_name, role, password):
    """Create a staff account."""
    from assembly.auth import services
    from assembly.errors import AssemblyError
    from assembly.extensions import unit_of_work

    try:
        with unit_of_work():
            user = services.create_user(
                username=username, display_name=display_name, password=password, role=role
            )
    except AssemblyError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Cuenta creada: {user.username} ({user.role})")


DEMO_STATES = ("inicio", "dia", "plenaria", "cierre")  # assembly.demo.states.STATES


@group.command("seed-demo")
@click.option("--people", default=300, show_default=True, help="registrations to invent")
@click.option(
    "--state",
    type=click.Choice(DEMO_STATES),
    default="inicio",
    show_default=True,
    help="moment of the day: before check-in, the day running, the plenary, closed",
)
@click.option("--reset", is_flag=True, help="erase the database first (every assembly!)")
def seed_demo_command(people, state, reset):
    """Create the demo assembly (PIT Arauca) and staff accounts if the database is empty."""
    from assembly import demo

    if reset:
        demo.reset_database()
        subprocess.run(
            [sys.executable, "-m", "flask", "db", "upgrade"],
            check=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, "FLASK_APP": "wsgi"},
        )
    created = demo.seed_if_empty(people=people, state=state)
    click.echo(
        f"Asamblea de demostración creada ({state})."
        if created
        else "La base ya tiene datos: no se tocó (con --reset se borra y se crea de nuevo)."
    )


@group.command("retention")
@click.option("--days", type=int, default=None, help="default: ASSEMBLY_RETENTION_DAYS")
def retention_command(days):
    """Ley 1581: erase the personal data of assemblies closed more than N days ago (the
    aggregates and the acta stay)."""
    from flask import current_app

    from assembly.extensions import unit_of_work
    from assembly.helpers import utcnow
    from assembly.registration import privacy

    days = current_app.config["RETENTION_DAYS"] if days is None else days
    if days < 0:
        raise click.ClickException("Los días deben ser 0 o más.")
    with unit_of_work():
        erased = privacy.apply_retention(utcnow().date(), days)
    for assembly_id, count in erased.items():
        click.echo(f"Asamblea {assembly_id}: {count} personas borradas.")
    click.echo(f"Retención aplicada ({days} días): {sum(erased.values())} personas borradas.")


def register(app: Flask) -> None:
    app.cli.add_command(group)


@click.group()
def main():
    """asamblea: run the Asamblea server."""


@main.command()
@click.option(
    "--demo",
    type=click.Choice(DEMO_STATES),
    is_flag=False,
    flag_value="dia",
    default=None,
    help="seed the demo when the database is empty: alone, the day in progress (dia); "
    "--demo=inicio|plenaria|cierre for before check-in, the plenary or the closed day",
)
@click.option("--reset", is_flag=True, help="with --demo: erase the database and seed again")
@click.option("--port", default=5000, show_default=True)
@click.option("--host", default="0.0.0.0", show_default=True)
def serve(demo, reset, port, host):
    """Upgrade the database, optionally seed the demo, and start gunicorn (gevent, one worker)."""
    if reset and not demo:
        raise click.UsageError("--reset only goes with --demo (it erases the database).")
    connections = worker_connections(os.environ)
    tls = tls_files(os.environ)
    env = {**os.environ, "FLASK_APP": "wsgi"}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], check=True, cwd=PROJECT_ROOT, env=env)
    if demo:
        seed = [*flask, "assembly", "seed-demo", "--state", demo, *(["--reset"] if reset else [])]
        subprocess.run(seed, check=True, cwd=PROJECT_ROOT, env=env)
        if demo == "dia":  # the simulated room keeps the tables writing
            os.environ.setdefault("ASSEMBLY_DEMO_ROOM_SECONDS", "6")
    from assembly.config import DEFAULTS

    password = os.environ.get("ASSEMBLY_DEMO_ADMIN_PASSWORD", DEFAULTS["DEMO_ADMIN_PASSWORD"][0])
    click.echo("")
    click.echo("Asamblea está lista:")
    print_room_address(port, "https" if tls else "http")
    if demo:
        click.echo(f"  Entrar como administración: usuario «admin», contraseña «{password}»")
        click.echo(
            "  (también: organizador, moderador, supervisor, facilitador1…5, con la misma contraseña)"
        )
    click.echo("  Detener: Ctrl+C")
    click.echo("")
    sys.stdout.flush()
    os.execv(sys.executable, gunicorn_command(host, port, connections, tls))


def _app() -> Flask:
    """The app, loaded the way ``flask --app`` does (by name: this module is part of it)."""
    return ScriptInfo(app_import_path="assembly:create_app").load_app()


@main.group("assembly")
def assembly_group():
    """Assemblies: create one from the methodology's template."""


@assembly_group.command("create")
@click.option("--name", required=True)
@click.option("--department", required=True, help="department name or DIVIPOLA code")
@click.option("--municipality", required=True, help="municipality name or DIVIPOLA code")
@click.option("--date", "day", required=True, help="AAAA-MM-DD")
@click.option("--table-size", type=int, default=None, help="people per sub-mesa")
@click.option("--venue", default="")
@click.option(
    "--themes",
    default=None,
    help="K: the first K themes of the template; or the titles separated by «;»",
)
def assembly_create(name, department, municipality, day, table_size, venue, themes):
    """Create an assembly (agenda and the 5 themes of the template, or --themes); print its
    id."""
    from assembly.assemblies import services
    from assembly.core import divipola
    from assembly.errors import AssemblyError
    from assembly.extensions import unit_of_work

    department_code = divipola.find_department(department)
    if department_code is None:
        raise click.ClickException(f"No se encontró el departamento «{department}».")
    municipality_code = divipola.find_municipality(municipality, department_code)
    if municipality_code is None:
        raise click.ClickException(
            f"No se encontró el municipio «{municipality}» en {divipola.department_name(department_code)}."
        )
    raw = {key: str(value) for key, value in services.template_defaults().items()}
    raw.update(
        name=name, date=day, venue=venue, department_code=department_code,
        municipality_code=municipality_code,
    )  # fmt: skip
    if table_size is not None:
        raw["table_size"] = str(table_size)
    titles = _theme_titles(themes)
    with _app().app_context():
        try:
            with unit_of_work():
                assembly = services.create_from_template(None, raw, themes=titles)
        except AssemblyError as error:
            details = " ".join((error.fields or {}).values()) or error.message
            raise click.ClickException(details) from error
        click.echo(assembly.id)


def _theme_titles(themes: str | None) -> list[str] | None:
    """``--themes``: a number K (the template's first K themes) or titles separated by «;»."""
    from assembly.assemblies import template

    if themes is None:
        return None
    text = themes.strip()
    if text.isdigit():
        count = int(text)
        if not 1 <= count <= len(template.THEMES):
            raise click.ClickException(
                f"--themes: entre 1 y {len(template.THEMES)} ejes de la plantilla, "
                "o los títulos separados por «;»."
            )
        return [theme.title for theme in template.THEMES[:count]]
    titles = [title.strip() for title in text.split(";") if title.strip()]
    if not titles:
        raise click.ClickException("--themes: escriba un número o los títulos separados por «;».")
    return titles


@main.command("import")
@click.argument("assembly_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "maps", multiple=True, help="HEADER=field (empty field: do not import)")
@click.option("--value", "values", multiple=True, help="field:RAW=VALUE (empty VALUE: sin dato)")
@click.option("--consent-collected", is_flag=True, help="the agreement collected consent")
@click.option("--dry-run", is_flag=True, help="check only, store nothing")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def import_command(assembly_id, file, maps, values, consent_collected, dry_run, as_json):
    """Import a pre-registration list as the web screens do. Exit 3 while values are
    ambiguous or unmatched (nothing imported): map them with --value."""
    import json

    from assembly.assemblies.services import get_assembly
    from assembly.errors import AssemblyError
    from assembly.extensions import unit_of_work
    from assembly.helpers import venue_today
    from assembly.registration.imports import batch

    with _app().app_context():
        try:
            columns, chosen = batch.parse_overrides(list(maps), list(values))
            with unit_of_work():
                assembly = get_assembly(assembly_id)
                summary = batch.run_import(
                    assembly, file, columns=columns, chosen=chosen,
                    consent_default=consent_collected, dry_run=dry_run,
                    today=venue_today(assembly),
                )  # fmt: skip
        except AssemblyError as error:
            details = " ".join((error.fields or {}).values()) or error.message
            raise click.ClickException(details) from error
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(
            f"Nuevas: {summary['new']} · ya inscritas: {summary['already']} · "
            f"repetidas: {len(summary['duplicates'])} · con errores: {len(summary['errors'])} · "
            f"avisos: {len(summary['warnings'])}"
        )
        for key, raws in summary["ambiguous"].items():
            for raw, rows in raws.items():
                click.echo(f"  Sin decidir: {key}:{raw} ({rows} filas) → use --value {key}:{raw}=…")
    if summary["ambiguous"]:
        sys.exit(3)


@main.command("export")
@click.argument("assembly_id", type=int)
@click.option(
    "--report",
    "reports",
    multiple=True,
    help="asistencia, participacion, mesas, agenda, compromisos, seguimiento, completo… "
    "(repeatable; default: every report)",
)
@click.option(
    "--variant",
    type=click.Choice(["seudonimizada", "completa"]),
    default="seudonimizada",
    show_default=True,
    help="for the reports with people's data",
)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
def export_command(assembly_id, reports, variant, out):
    """Write the assembly's workbooks (the same files as the reports page) into OUT; print
    each file's path. Every export is logged, as «línea de comandos»."""
    from assembly.errors import AssemblyError
    from assembly.extensions import unit_of_work
    from assembly.reports import domain as report_domain
    from assembly.reports import services as report_services

    kinds = list(reports) or list(report_domain.REPORTS)
    unknown = [kind for kind in kinds if kind not in report_domain.REPORTS]
    if unknown:
        raise click.ClickException(
            f"No existe el informe «{unknown[0]}». Informes: {', '.join(report_domain.REPORTS)}."
        )
    app = _app()
    with app.app_context():
        for kind in kinds:
            try:
                with unit_of_work():
                    result = report_services.export_report(
                        None, kind, [assembly_id], variant, exports_dir=out, folder="",
                        secret=app.config["PSEUDONYM_KEY"], k=app.config["EXPORT_K"],
                    )  # fmt: skip
            except AssemblyError as error:
                raise click.ClickException(error.message) from error
            click.echo(result.path)


@main.command()
@click.argument("destination", required=False, type=click.Path(path_type=Path))
def backup(destination):
    """Copy the live SQLite database to DESTINATION (a file or a folder; default: backups/
    beside the database, with the date and time in the name). The server keeps running."""
    from assembly.core import backup as backups

    try:
        source = backups.sqlite_file(_app().config["DATABASE_URL"])
        made = backups.backup_sqlite(source, destination or backups.default_destination(source))
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Copia de seguridad: {made.path} ({made.tables} tablas, {made.pages} páginas, íntegra)"
    )
    click.echo(
        f"Restaurar: detenga el servidor, borre {source}-wal y {source}-shm si existen "
        f"y copie la copia sobre {source}"
    )
