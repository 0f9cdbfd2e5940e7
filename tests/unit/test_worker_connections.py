"""ASSEMBLY_WORKER_CONNECTIONS (issue 13.6): the worker's connection limit is a setting."""

import click
import pytest

from assembly.cli import gunicorn_command, worker_connections


def _limit(command: list[str]) -> str:
    return command[command.index("--worker-connections") + 1]


def test_the_default_holds_two_thousand_clients_plus_http():
    assert worker_connections({}) == 2500
    command = gunicorn_command("0.0.0.0", 5000, worker_connections({}))
    assert _limit(command) == "2500"
    assert command[command.index("-k") + 1] == "gevent" and "0.0.0.0:5000" in command


def test_the_setting_changes_the_limit():
    environ = {"ASSEMBLY_WORKER_CONNECTIONS": "4000"}
    assert _limit(gunicorn_command("0.0.0.0", 5000, worker_connections(environ))) == "4000"


@pytest.mark.parametrize("raw", ["mil", "-5", "50", "2.5e3"])
def test_a_bad_value_is_refused_in_spanish(raw):
    with pytest.raises(click.ClickException) as refused:
        worker_connections({"ASSEMBLY_WORKER_CONNECTIONS": raw})
    assert "ASSEMBLY_WORKER_CONNECTIONS debe ser un número entero de 100 o más" in str(
        refused.value.message
    )
