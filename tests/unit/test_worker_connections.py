"""ASSEMBLY_WORKER_CONNECTIONS (issue 13.6): the worker's connection limit is a setting."""

import click
import pytest

from assembly.serving import gunicorn_command, worker_connections


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


def test_tls_needs_both_files_and_adds_them_to_gunicorn(tmp_path):
    """ASSEMBLY_TLS_CERT / ASSEMBLY_TLS_KEY (issue 13.3b): HTTPS for a secure context."""
    from assembly.serving import tls_files

    assert tls_files({}) is None
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("c")
    key.write_text("k")
    files = tls_files({"ASSEMBLY_TLS_CERT": str(cert), "ASSEMBLY_TLS_KEY": str(key)})
    assert files == (str(cert), str(key))
    command = gunicorn_command("0.0.0.0", 5000, 2500, files)
    assert command[command.index("--certfile") + 1] == str(cert)
    assert command[command.index("--keyfile") + 1] == str(key)
    assert "--certfile" not in gunicorn_command("0.0.0.0", 5000, 2500)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ASSEMBLY_TLS_CERT": "cert.pem"}, "ASSEMBLY_TLS_CERT y ASSEMBLY_TLS_KEY van juntos"),
        ({"ASSEMBLY_TLS_KEY": "key.pem"}, "ASSEMBLY_TLS_CERT y ASSEMBLY_TLS_KEY van juntos"),
        (
            {"ASSEMBLY_TLS_CERT": "/no/such/cert.pem", "ASSEMBLY_TLS_KEY": "/no/such/key.pem"},
            "ASSEMBLY_TLS_CERT: no se encuentra el archivo «/no/such/cert.pem».",
        ),
    ],
)
def test_tls_is_refused_in_spanish_when_incomplete(environ, message):
    from assembly.serving import tls_files

    with pytest.raises(click.ClickException) as refused:
        tls_files(environ)
    assert message in refused.value.message
