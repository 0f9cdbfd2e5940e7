"""How ``asamblea serve`` starts the server: where the phones go (the room's address, with a
QR in the terminal), gevent's worker connections, the TLS files and the gunicorn command."""

import sys
from pathlib import Path

import click
import qrcode

from assembly.config import DEFAULTS, PROJECT_ROOT
from assembly.core import network


def print_room_address(port: int, scheme: str = "http") -> None:
    """Where phones should go, first, with a QR of it in the terminal; only loopback: a warning."""
    addresses = network.lan_addresses()
    if not addresses:
        click.echo(f"  En este equipo:   {scheme}://127.0.0.1:{port}/")
        click.echo(
            "  ATENCIÓN: este equipo no tiene dirección en la red local; ningún teléfono podrá "
            "abrir los códigos QR. Conéctelo a la red de la sala (o fije ASSEMBLY_PUBLIC_URL)."
        )
        return
    room = f"{scheme}://{addresses[0]}:{port}/"
    click.echo(f"  Teléfonos de la sala: {room}")
    code = qrcode.QRCode(border=1)
    code.add_data(room)
    code.print_ascii(out=sys.stdout, invert=True)
    for other in addresses[1:]:
        click.echo(f"  Otra dirección:   {scheme}://{other}:{port}/")
    click.echo(f"  En este equipo:   {scheme}://127.0.0.1:{port}/")


def worker_connections(environ) -> int:
    """ASSEMBLY_WORKER_CONNECTIONS (default 2500): gevent's own default of 1,000 starves HTTP
    once 1,000 sockets are open. Refused with a clear message below 100 or when not a number."""
    raw = str(environ.get("ASSEMBLY_WORKER_CONNECTIONS") or DEFAULTS["WORKER_CONNECTIONS"][0])
    if not raw.strip().isdigit() or int(raw) < 100:
        raise click.ClickException(
            f"ASSEMBLY_WORKER_CONNECTIONS debe ser un número entero de 100 o más (se recibió «{raw}»)."
        )
    return int(raw)


def tls_files(environ) -> tuple[str, str] | None:
    """ASSEMBLY_TLS_CERT and ASSEMBLY_TLS_KEY (PEM files): HTTPS, so phones get a secure
    context (the service worker). Both or neither; a missing file is refused before starting."""
    cert = str(environ.get("ASSEMBLY_TLS_CERT") or "").strip()
    key = str(environ.get("ASSEMBLY_TLS_KEY") or "").strip()
    if not cert and not key:
        return None
    if not cert or not key:
        raise click.ClickException(
            "ASSEMBLY_TLS_CERT y ASSEMBLY_TLS_KEY van juntos: indique el certificado y su clave "
            "(archivos PEM), o ninguno de los dos para servir por HTTP."
        )
    for name, path in (("ASSEMBLY_TLS_CERT", cert), ("ASSEMBLY_TLS_KEY", key)):
        if not Path(path).is_file():
            raise click.ClickException(f"{name}: no se encuentra el archivo «{path}».")
    return str(Path(cert).resolve()), str(Path(key).resolve())


def gunicorn_command(
    host: str, port: int, connections: int, tls: tuple[str, str] | None = None
) -> list[str]:
    """The gunicorn command ``serve`` runs: gevent, one worker, ``connections`` clients;
    HTTPS with ``tls`` = (certificate, key)."""
    secure = ["--certfile", tls[0], "--keyfile", tls[1]] if tls else []
    return [
        sys.executable, "-m", "gunicorn",
        "-k", "gevent", "-w", "1", "--worker-connections", str(connections),
        "--no-control-socket", "--chdir", str(PROJECT_ROOT), "-b", f"{host}:{port}",
        *secure, "--access-logfile", "-", "wsgi:app",
    ]  # fmt: skip
