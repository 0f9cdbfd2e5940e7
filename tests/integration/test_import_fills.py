"""What a re-import filled in earlier "incompleto" people is recorded field by field, and
undoing it empties exactly those fields (issue 12.3): a changed value stays, the place goes
back as a pair or not at all, extra answers and dates too."""

from datetime import date

from sqlalchemy import select

from assembly.registration.imports import fills
from assembly.registration.models import Attendee, ImportBatch, ImportFill


def batch_of(db, assembly) -> ImportBatch:
    batch = ImportBatch(assembly_id=assembly.id, filename="b.csv", status="done")
    db.session.add(batch)
    db.session.flush()
    return batch


def test_fills_are_recorded_and_undone_field_by_field(db, make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(
        assembly, sex=None, municipality_code=None, department_code="81", extra_answers={"7": "sí"}
    )
    other = make_attendee(assembly, sex=None, municipality_code=None, department_code=None)
    row = {
        "document_number": person.document_number,
        "sex": "hombre",
        "birth_date": date(1990, 5, 1),
        "department_code": "85",
        "municipality_code": "85001",
        "extra_answers": {"7": "no", "8": "otra"},
    }
    other_row = {**row, "document_number": other.document_number}
    batch = batch_of(db, assembly)
    filled = fills.fill_incomplete(
        assembly, [(2, person.document_number, row), (3, other.document_number, other_row)], batch
    )
    db.session.commit()
    assert filled == 2
    recorded = {
        (f.field, f.previous, f.value)
        for f in db.session.scalars(select(ImportFill).where(ImportFill.attendee_id == person.id))
    }
    assert recorded == {
        ("sex", None, "hombre"),
        ("birth_date", None, "1990-05-01"),
        ("department_code", "81", "85"),  # the pair replaced the department it had
        ("municipality_code", None, "85001"),
        ("extra:8", None, "otra"),  # "7" had an answer: never overwritten
    }
    # after the import: the other person's municipality is corrected (same department)
    other.municipality_code = "85010"
    db.session.commit()

    emptied, kept = fills.undo_fills(batch)
    db.session.commit()
    assert (emptied, kept) == (2, 2)  # the other's corrected place stays as a pair
    db.session.expire_all()
    person = db.session.get(Attendee, person.id)
    assert (person.sex, person.birth_date, person.municipality_code, person.department_code) == (
        None,
        None,
        None,
        "81",  # back to what it held before
    )
    assert person.extra_answers == {"7": "sí"}
    other = db.session.get(Attendee, other.id)
    assert (other.sex, other.birth_date) == (None, None)
    assert (other.municipality_code, other.department_code) == ("85010", "85")


def test_without_a_batch_nothing_is_recorded(db, make_assembly, make_attendee):
    assembly = make_assembly()
    person = make_attendee(assembly, sex=None)
    row = {"document_number": person.document_number, "sex": "mujer"}
    assert fills.fill_incomplete(assembly, [(2, person.document_number, row)]) == 1
    assert db.session.scalar(select(ImportFill)) is None


def test_undoing_an_import_older_than_the_fill_record_says_its_filled_fields_stay(
    client, auth, db, make_assembly, make_attendee, run_jobs_inline
):
    """An import confirmed before the import_fills revision filled fields without recording
    them: its undo removes its people, keeps those fields and says so, in the question
    before and in the answer after."""
    auth.login("organizer")
    assembly = make_assembly()
    rosa = make_attendee(assembly, document_number="1057700001", sex=None, municipality_code=None)
    new = make_attendee(assembly, document_number="1057700002")
    batch = ImportBatch(
        assembly_id=assembly.id, filename="vieja.csv", status="done", created=1, filled=1
    )
    db.session.add(batch)
    db.session.flush()
    rosa.sex, rosa.municipality_code = "mujer", "81794"  # what it filled, never recorded
    new.import_batch_id = batch.id
    db.session.commit()

    listing = client.get(f"/assemblies/{assembly.id}/import").get_data(as_text=True)
    assert (
        "Los datos que llenó a 1 personas ya inscritas se conservan: esta importación es "
        "anterior al registro de esos cambios."
    ) in listing
    assert "vaciar de nuevo" not in listing  # never promised
    response = client.post(
        f"/assemblies/{assembly.id}/imports/{batch.id}/undo", follow_redirects=True
    )
    text = response.get_data(as_text=True)
    assert "se quitaron 1 personas" in text
    assert "Los datos que llenó a 1 personas ya inscritas se conservan" in text
    db.session.expire_all()
    rosa = db.session.get(Attendee, rosa.id)
    assert (rosa.sex, rosa.municipality_code) == ("mujer", "81794")
    assert db.session.get(Attendee, new.id) is None


def test_undoing_an_import_with_recorded_fills_promises_to_empty_them(
    client, auth, db, make_assembly, make_attendee
):
    auth.login("organizer")
    assembly = make_assembly()
    rosa = make_attendee(assembly, document_number="1057700001", sex=None, municipality_code=None)
    batch = batch_of(db, assembly)
    batch.filled = 1
    row = {"document_number": rosa.document_number, "sex": "mujer"}
    fills.fill_incomplete(assembly, [(2, rosa.document_number, row)], batch)
    db.session.commit()
    listing = client.get(f"/assemblies/{assembly.id}/import").get_data(as_text=True)
    assert "vaciar de nuevo los datos que llenó a 1 personas" in listing
    assert "anterior al registro" not in listing
    text = client.post(
        f"/assemblies/{assembly.id}/imports/{batch.id}/undo", follow_redirects=True
    ).get_data(as_text=True)
    assert "Se vaciaron de nuevo los datos que llenó a 1 personas" in text
    assert "anterior al registro" not in text
    db.session.expire_all()
    assert db.session.get(Attendee, rosa.id).sex is None
