"""Building the report files from the database, saving them and logging every export.

:class:`~assembly.reports.builder.ReportBuilder` streams the attendees straight into the
sheets, so memory stays flat whatever the size of the assembly. Every function flushes; the
route commits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from assembly.assemblies.models import Assembly
from assembly.auth import audit, scope
from assembly.auth.domain import Permission
from assembly.auth.models import User
from assembly.errors import InvalidInput, NotFound, PermissionDenied
from assembly.extensions import db
from assembly.helpers import utcnow, venue_zone
from assembly.registration.models import Attendee
from assembly.reports import domain, workbooks
from assembly.reports.builder import ReportBuilder
from assembly.reports.models import ExportLog
from assembly.reports.reading import cooperate

log = logging.getLogger(__name__)


@dataclass
class ExportResult:
    log: ExportLog
    path: Path
    #: assembly id -> name, of the assemblies the file covers
    names: dict[int, str]
    #: assembly id -> zone of its venue
    zones: dict[int, tzinfo]


def reportable_assemblies(viewer: User | None = None) -> list[dict]:
    """Every assembly ``viewer`` works on with its registered and attended counts, newest
    first."""
    counts = dict(
        (row[0], (row[1], row[2]))
        for row in db.session.execute(
            select(
                Attendee.assembly_id,
                func.count(Attendee.id),
                func.count(Attendee.checked_in_at),
            ).group_by(Attendee.assembly_id)
        )
    )
    assemblies = db.session.scalars(
        scope.scoped(
            select(Assembly).order_by(Assembly.date.desc(), Assembly.id.desc()), Assembly.id, viewer
        )
        if viewer is not None
        else select(Assembly).order_by(Assembly.date.desc(), Assembly.id.desc())
    ).all()
    return [
        {
            "assembly": a,
            "registered": counts.get(a.id, (0, 0))[0],
            "attended": counts.get(a.id, (0, 0))[1],
        }
        for a in assemblies
    ]


def recent_exports(limit: int = 30, viewer: User | None = None) -> list[dict]:
    """The latest exports with the names of the assemblies they cover (for an account held to
    some assemblies: the exports of those only)."""
    logs = db.session.scalars(
        select(ExportLog).order_by(ExportLog.created_at.desc(), ExportLog.id.desc()).limit(limit)
    ).all()
    visible = None if viewer is None else scope.visible_assembly_ids(viewer)
    if visible is not None:
        logs = [entry for entry in logs if set(entry.assembly_ids) <= visible]
    ids = {i for entry in logs for i in entry.assembly_ids}
    found = db.session.scalars(select(Assembly).where(Assembly.id.in_(ids))).all()
    names = {a.id: a.name for a in found}
    zones = {a.id: venue_zone(a) for a in found}
    return [describe_export(entry, names, zones) for entry in logs]


def describe_export(
    entry: ExportLog, names: dict[int, str], zones: dict[int, tzinfo] | None = None
) -> dict:
    """One export for the log: ``when`` is the time at the venue of its first assembly."""
    assemblies = [names.get(i, f"#{i} (borrada)") for i in entry.assembly_ids]
    zone = (zones or {}).get(entry.assembly_ids[0] if entry.assembly_ids else None)
    return {
        "id": entry.id,
        "when": domain.venue.local(entry.created_at, zone or domain.DEFAULT_ZONE),
        "who": entry.username,
        # the log's words in the page's language (the report titles are N_-marked)
        "report": _(domain.REPORTS.get(entry.report, (entry.report,))[0]),
        "variant": {domain.FULL: _("Completa"), domain.PSEUDONYMISED: _("Seudonimizada")}.get(
            entry.variant, "—"
        ),
        "full": entry.variant == domain.FULL,
        "assemblies": assemblies[0]
        if len(assemblies) == 1
        else _("%(n)s asambleas", n=len(assemblies)),
        "assembly_names": assemblies,
        "rows": entry.rows,
        "filename": entry.filename,
        "seconds": round(entry.duration_ms / 1000, 1),
    }


#: who the log names for an export made on the server's command line (``actor=None``)
COMMAND_LINE = "línea de comandos"


def _clean_request(actor: User | None, kind: str, assembly_ids: Sequence[object], variant: str):
    if kind not in domain.REPORTS:
        raise InvalidInput(_("Elija uno de los informes de la lista."))
    try:
        ids = sorted({int(i) for i in assembly_ids})
    except (TypeError, ValueError):
        raise InvalidInput(_("La selección de asambleas no es válida.")) from None
    if not ids:
        raise InvalidInput(_("Seleccione al menos una asamblea."))
    for assembly_id in ids:
        if actor is not None:  # the command line is the server's own operator
            scope.ensure_access(assembly_id, actor)
    personal = kind in (domain.ATTENDANCE, domain.ROSTERS, domain.ALL)
    if not personal:
        variant = ""
    elif variant not in domain.VARIANTS:
        raise InvalidInput(_("Elija la versión: completa o seudonimizada."))
    elif variant == domain.FULL and actor is not None and not actor.can(Permission.EXPORT_FULL):
        raise PermissionDenied(
            _(
                "Su cuenta solo puede descargar la versión seudonimizada (sin documentos ni contacto)."
            )
        )
    assemblies = db.session.scalars(
        select(Assembly).where(Assembly.id.in_(ids)).order_by(Assembly.date, Assembly.id)
    ).all()
    if len(assemblies) != len(ids):
        raise NotFound(_("Alguna de las asambleas seleccionadas no existe."))
    return kind, variant, assemblies


def export_report(
    actor: User | None,
    kind: str,
    assembly_ids: Sequence[object],
    variant: str,
    *,
    exports_dir: Path,
    secret: str,
    now: datetime | None = None,
    cooperate: Callable[[], None] = cooperate,
    k: int = domain.anonymity.DEFAULT_K,
    folder: str | None = None,
) -> ExportResult:
    """Build report ``kind`` for the assemblies, save it under ``exports_dir`` (in ``folder``;
    by default a folder per assembly, "nacional" for several) with a timestamped name, and log
    the export. ``actor=None`` is the server's command line (``asamblea export``): no account
    to check, logged as :data:`COMMAND_LINE`."""
    kind, variant, assemblies = _clean_request(actor, kind, assembly_ids, variant)
    started = time.perf_counter()
    now = now or utcnow()  # naive UTC, as stored; the file shows it at the venue
    if folder is None:
        folder = (
            f"{assemblies[0].id}-{domain.slugify(assemblies[0].name)}"
            if len(assemblies) == 1
            else "nacional"
        )
    directory = Path(exports_dir) / folder
    filename = domain.export_filename(
        kind, variant, domain.venue.local(now, venue_zone(assemblies[0]))
    )
    path = directory / filename
    copy = 2
    while path.exists():  # two exports in the same second
        path = directory / filename.replace(".xlsx", f"-{copy}.xlsx")
        copy += 1

    builder = ReportBuilder(
        assemblies, variant=variant, secret=secret, now=now, cooperate=cooperate, k=k
    )
    directory.mkdir(parents=True, exist_ok=True)
    book = workbooks.Book(workbooks.partial_path(path))
    try:
        rows = builder.build(book, domain.SHEETS[kind])
    except BaseException:
        workbooks.discard(book)
        raise
    workbooks.save(book, path)

    entry = ExportLog(
        user_id=actor.id if actor is not None else None,
        username=actor.username if actor is not None else COMMAND_LINE,
        report=kind,
        variant=variant,
        assembly_ids=[a.id for a in assemblies],
        path=f"{folder}/{path.name}" if folder else path.name,
        rows=rows,
        duration_ms=round((time.perf_counter() - started) * 1000),
        created_at=now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now,
    )
    db.session.add(entry)
    db.session.flush()
    audit.note(
        entry.username,
        f"export.{kind}"[:40],
        assembly_id=assemblies[0].id if len(assemblies) == 1 else None,
        subject=entry.path,
        people=rows,
    )
    log.info(
        "export %s (%s) of assemblies %s by %s: %s rows in %s ms",
        kind,
        variant or "-",
        entry.assembly_ids,
        entry.username,
        rows,
        entry.duration_ms,
    )
    return ExportResult(
        entry, path, {a.id: a.name for a in assemblies}, {a.id: venue_zone(a) for a in assemblies}
    )


def export_file(actor: User, export_id: int, *, exports_dir: Path) -> tuple[Path, str]:
    """The saved file of an earlier export, for download; the full variant stays with the
    accounts that may export it."""
    entry = db.session.get(ExportLog, export_id)
    if entry is None:
        raise NotFound(_("Esa exportación no existe."))
    for assembly_id in entry.assembly_ids:
        scope.ensure_access(assembly_id, actor)
    if entry.variant == domain.FULL and not actor.can(Permission.EXPORT_FULL):
        raise PermissionDenied(_("Su cuenta no puede descargar la versión con datos completos."))
    root = Path(exports_dir).resolve()
    path = (root / entry.path).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFound(_("El archivo ya no está en el servidor: genere el informe de nuevo."))
    return path, entry.filename
