"""Benchmark: the full Excel export (every report in one workbook: the attendance data, the
printable planilla, participation with its charts, rosters, agenda, commitments) for 500 and
5,000 attendees with 2,000 puzzle pieces, against the writing library's fastest public mode
writing the same rows in the same run: XlsxWriter ``constant_memory`` with one typed
``write_*`` call per cell, no formats, formulas, charts or page setup (the honest baseline:
what any export of these rows must at least cost).

Run from the project root:  .venv/bin/python tests/perf/bench_export.py [--sizes 500,5000]

Each measurement runs in a fresh subprocess on a temporary SQLite database, so the peak
memory (the child's maximum resident set, the whole process with the app loaded) belongs to
that measurement alone; each is run twice and the faster kept. The target: 5,000 attendees
and 2,000 pieces in under 3 s and under 200 MB. The last line is the RESULT line (for the
largest size).
"""

import json
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

PIECES = 2000
SIZES = (500, 5000)
SECRET = "bench-" + "0" * 26


def _app(database: Path, exports: Path):
    from assembly import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{database}",
            "EXPORTS_DIR": str(exports),
        }
    )


def seed(database: Path, exports: Path) -> dict[int, int]:
    """One assembly per size, each with its people split into 5 mesas × 5 sub-mesas and
    2,000 pieces (needs, solutions, plans). Returns {size: assembly id}."""
    from sqlalchemy import insert

    from assembly.assemblies import services as assemblies
    from assembly.auth import services as users
    from assembly.extensions import db
    from assembly.grouping.models import Group, Table
    from assembly.puzzle.models import Piece
    from assembly.registration import domain
    from assembly.registration.models import Attendee

    rng = random.Random(7)
    app = _app(database, exports)
    ids = {}
    with app.app_context():
        db.create_all()
        users.create_user(
            username="supervision", display_name="Supervisión", password="clave-de-bench-123",
            role="supervisor",
        )  # fmt: skip
        for size in SIZES:
            raw = {
                **{k: str(v) for k, v in assemblies.template_defaults().items()},
                "name": f"Asamblea de {size} personas",
                "date": "2026-03-14",
                "region": "Orinoquía",
                "venue": "Coliseo",
                "department_code": "81",
                "municipality_code": "81001",
            }
            assembly = assemblies.create_from_template(None, raw)
            db.session.flush()
            groups = db.session.query(Group).filter_by(assembly_id=assembly.id).all()
            tables = []
            for group in groups:
                for number in range(1, 6):
                    table = Table(
                        group_id=group.id,
                        number=number,
                        join_code=secrets.token_hex(5).upper(),
                    )
                    db.session.add(table)
                    tables.append(table)
            db.session.flush()
            municipalities = ["81001", "81065", "81300", "81736", "81794"]
            people = []
            for n in range(size):
                table = tables[n % len(tables)]
                birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 20000))
                people.append(
                    {
                        "assembly_id": assembly.id,
                        "ticket_token": secrets.token_urlsafe(24),
                        "document_type": "CC",
                        "document_number": str(10_000_000 + size * 10 + n),
                        "first_names": rng.choice(["María José", "Juan", "Ana", "Luis", "Rosa"]),
                        "last_names": rng.choice(["Pérez Gómez", "Díaz", "Rodríguez Ruiz"]),
                        "name_key": "x",
                        "birth_date": birth,
                        "age_range": domain.age_range_for(birth, date(2026, 3, 14)),
                        "sex": rng.choice(["mujer", "hombre", "mujer", "intersexual"]),
                        "gender_identity": rng.choice(
                            [None, "femenino", "masculino", "no_binario"]
                        ),
                        "sexual_orientation": rng.choice([None, "heterosexual", "gay"]),
                        "ethnicity": rng.choice(["ninguno", "indigena", "negro_afrocolombiano"]),
                        "has_disability": n % 17 == 0,
                        "disability_kind": "fisica" if n % 17 == 0 else None,
                        "is_victim": n % 5 == 0,
                        "is_migrant": n % 9 == 0,
                        "zone": rng.choice(["rural", "urbana"]),
                        "phone": f"300{n:07d}",
                        "email": f"persona{n}@correo.co" if n % 3 else None,
                        "department_code": "81",
                        "municipality_code": rng.choice(municipalities),
                        "organization_name": f"Asociación {n % 40}",
                        "organization_kind": rng.choice(["economia_popular", "comunitaria"]),
                        "line_of_work": rng.choice(["campesino", "tendero", "reciclador"]),
                        "knows_pit": n % 2 == 0,
                        "took_part_before": n % 4 == 0,
                        "consent_data": True,
                        "consent_photos": n % 2 == 1,
                        "extra_answers": {},
                        "source": "preregistro",
                        "created_at": datetime(2026, 3, 1, 10, 0),
                        "checked_in_at": datetime(2026, 3, 14, 7, 30) + timedelta(seconds=n)
                        if n % 10
                        else None,
                        "checked_in_desk": f"Mesa {n % 4 + 1}",
                        "group_id": table.group_id,
                        "table_id": table.id,
                    }
                )
            db.session.execute(insert(Attendee), people)
            pieces = []
            chains = PIECES // 3 + 1
            for n in range(chains):
                table = tables[n % len(tables)]
                need, solution = str(uuid.uuid4()), str(uuid.uuid4())
                common = {
                    "table_id": table.id,
                    "status": "pendiente",
                    "hidden": False,
                    "version": 1,
                }
                pieces.append(
                    {
                        **common,
                        "id": need,
                        "kind": "need",
                        "parent_id": None,
                        "text": f"Necesidad {n}: acceso a crédito y mercados",
                    }
                )
                pieces.append(
                    {
                        **common,
                        "id": solution,
                        "kind": "solution",
                        "parent_id": need,
                        "text": f"Solución {n}: fondo rotatorio entre organizaciones",
                    }
                )
                pieces.append({**common, "id": str(uuid.uuid4()), "kind": "plan",
                               "parent_id": solution, "text": f"Plan {n}: crear el fondo",
                               "who": "Cooperativa y alcaldía", "due": f"202{5 + n % 2}-T{n % 4 + 1}"})  # fmt: skip
            db.session.execute(insert(Piece), pieces[:PIECES])
            db.session.commit()
            ids[size] = assembly.id
    return ids


def child_export(database: Path, exports: Path, assembly_id: int) -> dict:
    """In a fresh process: the full export through the service, timed, with its peak RSS."""
    from sqlalchemy import select

    from assembly.auth.models import User
    from assembly.extensions import db
    from assembly.reports import services

    app = _app(database, exports)
    with app.app_context():
        user = db.session.scalar(select(User))
        db.session.commit()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        result = services.export_report(
            user, "completo", [assembly_id], "completa", exports_dir=exports, secret=SECRET
        )
        db.session.commit()
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Again under tracemalloc (slower, so untimed): the export's own Python allocations.
        tracemalloc.start()
        services.export_report(
            user, "completo", [assembly_id], "completa", exports_dir=exports, secret=SECRET
        )
        db.session.commit()
        allocated = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "rss_before_mb": before,
        "alloc_peak_mb": allocated,
        "rows": result.log.rows,
        "bytes": result.path.stat().st_size,
    }


def child_baseline(database: Path, exports: Path, assembly_id: int) -> dict:
    """In a fresh process: the same rows (attendance data, planilla, agenda and commitments,
    formatted in memory first, untimed) written with XlsxWriter's fastest public mode, timed."""
    import xlsxwriter
    from sqlalchemy import select

    from assembly.assemblies.models import Assembly
    from assembly.extensions import db
    from assembly.registration.models import Attendee
    from assembly.reports import domain
    from assembly.reports.builder import ReportBuilder

    app = _app(database, exports)
    with app.app_context():
        assembly = db.session.get(Assembly, assembly_id)
        builder = ReportBuilder([assembly], variant="completa", secret=SECRET,
                                now=datetime.now(), cooperate=lambda: None)  # fmt: skip
        context = builder.context
        records = [dict(r) for r in db.session.execute(
            select(*Attendee.__table__.columns).where(Attendee.assembly_id == assembly_id)
        ).mappings()]  # fmt: skip
        columns = domain.attendance_columns([], private=False, multi=False)
        attendance = [[c.header for c in columns]] + [
            domain.attendance_row(r, context, private=False, multi=False, secret=SECRET)
            for r in records
        ]
        planilla = [domain.sign_in_row(n, r, context) for n, r in enumerate(records, start=1)]
        pieces = builder.pieces()
        agenda = domain.agenda_rows(pieces, {})
        commitments = domain.commitment_rows(pieces)
        db.session.commit()
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(exports / "baseline.xlsx"), {"constant_memory": True})
    for title, rows in (
        ("Asistencia", attendance),
        ("Planilla", planilla),
        ("Agenda", agenda),
        ("Compromisos", commitments),
    ):
        sheet = workbook.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                kind = type(value)
                if kind is str:
                    sheet.write_string(r, c, value)
                elif kind is int or kind is float:
                    sheet.write_number(r, c, value)
                elif kind is datetime or kind is date:
                    sheet.write_datetime(r, c, value)
                elif kind is bool:
                    sheet.write_boolean(r, c, value)
    workbook.close()
    return {"seconds": time.perf_counter() - started}


def run_child(mode: str, database: Path, exports: Path, assembly_id: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(database), str(exports), str(assembly_id)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database, exports = Path(tmp) / "bench.db", Path(tmp) / "exports"
        started = time.perf_counter()
        ids = seed(database, exports)
        print(f"seeded {', '.join(map(str, SIZES))} attendees and {PIECES} pieces each "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        results = {}
        for size in SIZES:
            export = min(
                (run_child("export", database, exports, ids[size]) for _ in range(2)),
                key=lambda r: r["seconds"],
            )
            baseline = min(
                (run_child("baseline", database, exports, ids[size]) for _ in range(2)),
                key=lambda r: r["seconds"],
            )
            results[size] = (export, baseline)
            print(
                f"n={size:>5}: full export {export['seconds']:.2f} s "
                f"(6 sheets, {export['bytes'] / 1e6:.1f} MB file), peak RSS {export['peak_mb']:.0f} MB "
                f"(app loaded: {export['rss_before_mb']:.0f} MB; the export's own allocations peak "
                f"at {export['alloc_peak_mb']:.1f} MB); {export['rows']} attendance rows; "
                f"baseline (XlsxWriter constant_memory, typed writes, same rows, no formats/"
                f"formulas/charts/page setup): {baseline['seconds']:.2f} s"
            )
        largest = max(SIZES)
        export, baseline = results[largest]
        verdict = "OK" if export["seconds"] < 3 and export["peak_mb"] < 200 else "OVER TARGET"
        print(f"target 5,000 attendees + {PIECES} pieces: < 3 s and < 200 MB -> {verdict}")
        print(
            f"RESULT export n={largest} seconds={export['seconds']:.2f} "
            f"peak_mb={export['peak_mb']:.0f} baseline_seconds={baseline['seconds']:.2f}"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, database, exports, assembly_id = sys.argv[2:6]
        function = child_export if mode == "export" else child_baseline
        print(json.dumps(function(Path(database), Path(exports), int(assembly_id))))
    else:
        if "--sizes" in sys.argv:
            SIZES = tuple(int(n) for n in sys.argv[sys.argv.index("--sizes") + 1].split(","))
        main()
