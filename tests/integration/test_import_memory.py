"""What keeps a big import's memory bounded (issue 12.11), checked on small lists: the cell
texts a list repeats are held once, each chunk is stored with one INSERT whatever fields its
rows leave blank, and the review's verified rows are kept and read back line by line, exactly
as reviewed."""

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import event, select

from assembly.extensions import db as _db
from assembly.helpers import venue_today
from assembly.registration.imports import apply, parse, review_job, uploads
from assembly.registration.models import Attendee, ImportBatch

HEADER = "Cédula;Nombre completo;Sexo;Municipio;Fecha de nacimiento;Celular;Correo;Organización"
ROWS = [
    "1057111001;María José Peña Ruiz;Mujer;Tame;1990-05-01;3001112233;;Asomujeres Tame",
    "1057111002;Pedro Gómez Díaz;Hombre;Tame;;;pedro@correo.com;",
    "1057111003;Ana Ríos Mora;Mujer;;1985-02-03;no tiene;;Asomujeres Tame",
    "1057111004;Luis Mora Salas;;Tame;;3109998877;luis@correo.com;Asomujeres Tame",
    "12ab;Documento Malo Ruiz;Mujer;Tame;;;;",
]


def list_bytes(rows=ROWS) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_the_texts_a_list_repeats_are_held_once(tmp_path, make_assembly):
    table = parse.read_table("lista.csv", list_bytes())
    first, _, third, fourth, _ = table.rows
    assert first[7] is third[7] is fourth[7]  # "Asomujeres Tame"
    assert first[3] is fourth[3]  # "Tame"
    # the rows kept with the upload come back shared too
    upload = uploads.save_upload(tmp_path, make_assembly(), "lista.csv", list_bytes())
    kept = uploads.load_upload(tmp_path, upload.assembly_id, upload.key).table
    assert kept.rows == table.rows
    assert kept.rows[0][7] is kept.rows[2][7] is kept.rows[3][7]


def _upload(folder: Path, assembly) -> uploads.Upload:
    upload = uploads.save_upload(folder, assembly, "lista.csv", list_bytes())
    mapping = apply.suggested_mapping(assembly, upload.table.headers)
    apply.set_mapping(folder, assembly, upload, mapping, consent_default=True)
    return upload


def test_each_chunk_is_stored_with_one_insert_whatever_its_rows_leave_blank(
    app, tmp_path, make_assembly
):
    """The rows leave different fields blank; without ``render_nulls`` the bulk INSERT split
    each chunk into one statement per pattern of blanks (dozens for a real list, each compiled
    and cached by SQLAlchemy)."""
    assembly = make_assembly()
    upload = _upload(tmp_path, assembly)
    result = apply.review(assembly, upload, today=dt.date(2026, 3, 14))
    assert len(result.to_import) == 4
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO attendees"):
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", seen)
    try:
        apply.confirm(assembly, upload, today=dt.date(2026, 3, 14), result=result)
    finally:
        event.remove(_db.engine, "before_cursor_execute", seen)
    assert len(statements) == 1
    people = {
        person.document_number: person
        for person in _db.session.scalars(
            select(Attendee).where(Attendee.assembly_id == assembly.id)
        )
    }
    assert set(people) == {"1057111001", "1057111002", "1057111003", "1057111004"}
    # a blank stays blank (NULL), and what the columns default to is still there
    assert (people["1057111002"].birth_date, people["1057111002"].phone) == (None, None)
    assert people["1057111004"].sex is None
    assert people["1057111001"].birth_date == dt.date(1990, 5, 1)
    assert (people["1057111001"].consent_photos, people["1057111001"].extra_answers) == (False, {})


def test_the_verified_rows_come_back_exactly_as_reviewed(app, tmp_path, make_assembly):
    assembly = make_assembly()
    upload = _upload(tmp_path, assembly)
    made = apply.review(assembly, upload, today=venue_today(assembly))
    assert made.preview.warnings and made.preview.errors  # "no tiene", "12ab"
    review_job.review_now(tmp_path, assembly, upload)
    kept = review_job.verified(tmp_path, assembly, upload)
    assert kept is not None
    assert vars(kept.preview) == vars(made.preview)
    assert kept.to_import == made.to_import
    assert kept.to_import[0][1]["birth_date"] == dt.date(1990, 5, 1)
    # each row's field names are held once, not once per line of the file
    first, second = kept.to_import[0][1], kept.to_import[1][1]
    assert all(a is b for a, b in zip(first, second, strict=True))
    # a batch stored from them is the one the review described
    batch = ImportBatch(assembly_id=assembly.id, filename="lista.csv", status="done")
    _db.session.add(batch)
    _db.session.flush()
    stored = apply.confirm(assembly, upload, today=venue_today(assembly), result=kept, batch=batch)
    assert stored == 4


def test_a_verified_file_of_an_earlier_shape_is_checked_again(app, tmp_path, make_assembly):
    """The single JSON object earlier versions kept: read as nothing verified (the confirm
    checks every row again), never as a review with no rows."""
    assembly = make_assembly()
    upload = _upload(tmp_path, assembly)
    made = apply.review(assembly, upload, today=venue_today(assembly))
    earlier = {
        "fingerprint": review_job.fingerprint(assembly, upload),
        "preview": {"valid": [], "errors": [], "existing": []},
        "ambiguous": {},
    }
    path = tmp_path / f"{upload.key}.verified.json"
    path.write_text(json.dumps(earlier))
    assert review_job.verified(tmp_path, assembly, upload) is None
    review_job.review_now(tmp_path, assembly, upload)
    assert review_job.verified(tmp_path, assembly, upload).to_import == made.to_import
    whole = path.read_text()
    path.write_text(whole[:-40])  # cut short: checked again, never half read
    assert review_job.verified(tmp_path, assembly, upload) is None
    path.write_text(whole.rsplit("\n", 1)[0])  # even when cut between two lines
    assert review_job.verified(tmp_path, assembly, upload) is None
