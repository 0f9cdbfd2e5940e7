"""Command line: ``flask --app wsgi assembly ...`` for operators, ``asamblea serve`` to run it."""

import os
import socket
import subprocess
import sys

import click
from flask import Flask
from flask.cli import AppGroup

from assembly.config import PROJECT_ROOT

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


def register(app: Flask) -> None:
    app.cli.add_command(group)


def _lan_addresses() -> list[str]:
    addresses = set()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks a route
            addresses.add(probe.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in addresses if not a.startswith("127."))


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
    click.echo(f"  En este equipo:   http://127.0.0.1:{port}/")
    for address in _lan_addresses():
        click.echo(f"  En la red local:  http://{address}:{port}/")
    if demo:
        click.echo(f"  Entrar como administración: usuario «admin», contraseña «{password}»")
        click.echo(
            "  (también: organizador, moderador, supervisor, facilitador1…5, con la misma contraseña)"
        )
    click.echo("  Detener: Ctrl+C")
    click.echo("")
    sys.stdout.flush()
    os.execv(
        sys.executable,
        [
            sys.executable, "-m", "gunicorn",
            "-k", "gevent", "-w", "1", "--worker-connections", "2000", "--no-control-socket",
            "--chdir", str(PROJECT_ROOT), "-b", f"{host}:{port}", "--access-logfile", "-",
            "wsgi:app",
        ],
    )  # fmt: skip
