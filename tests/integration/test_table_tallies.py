"""The per-table tally the database keeps (grouping/tally_sql.py) always equals a recount of
the people, whatever writes them; and a late arrival seated from it sits where the choice
over every table's people (domain.place_late_arrival) puts them."""

import random
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select, text, update

from assembly.desk import services as desk
from assembly.errors import AssemblyError
from assembly.grouping import domain, tally_sql
from assembly.grouping import services as grouping
from assembly.grouping.models import Group, Table, TableTally
from assembly.registration import privacy
from assembly.registration.models import Attendee

NOW = datetime(2026, 3, 14, 9, 0)
ORGS = [None, "", "org a", "org b", "org c"]
SEXES = [None, "mujer", "hombre", "intersexual"]
AGES = [None, "18-28", "29-40", "60+"]
MUNIS = [None, "81001", "81065", "81736"]


@pytest.fixture
def people_room(make_assembly, db):
    """An assembly (table size 4) of ``n`` people with random attributes, ``arrived`` of them
    checked in."""

    def make(rng: random.Random, n=48, arrived=30):
        assembly = make_assembly(table_size=4)
        themes = [t.id for t in assembly.themes]
        for i in range(n):
            org = rng.choice(ORGS)
            db.session.add(
                Attendee(
                    assembly_id=assembly.id,
                    ticket_token=f"tally-{assembly.id}-{i}-{rng.randrange(10**9)}",
                    document_type="CC",
                    document_number=str(70_000_000 + assembly.id * 1000 + i),
                    first_names=f"Persona{i}",
                    last_names="Tally",
                    name_key=f"persona{i} tally",
                    sex=rng.choice(SEXES),
                    age_range=rng.choice(AGES),
                    municipality_code=rng.choice(MUNIS),
                    organization_name=org,
                    organization_key=org,
                    knows_pit=rng.choice([None, True, False]),
                    took_part_before=rng.choice([None, True, True, False]),
                    preferred_theme_id=rng.choice([None, *themes]),
                    consent_data=True,
                    checked_in_at=NOW if i < arrived else None,
                )
            )
        db.session.commit()
        return assembly

    return make


def stored(db) -> dict:
    rows = db.session.execute(
        select(TableTally.table_id, TableTally.kind, TableTally.value, TableTally.people)
    )
    tally = {(t, k, v): p for t, k, v, p in rows if p != 0}
    # tables.seated, kept by the same triggers, as a "seated" row of each table
    seats = db.session.execute(select(Table.id, Table.seated).where(Table.seated != 0))
    return tally | {(t, "seated", ""): n for t, n in seats}


def recounted(db) -> dict:
    rows = db.session.execute(text(tally_sql.RECOUNT))
    tally = {(t, k, v): int(p) for t, k, v, p in rows if p}
    return tally | {(t, "seated", ""): p for (t, k, _v), p in tally.items() if k == "all"}


def _ids(db, assembly_id, *conditions):
    return list(
        db.session.scalars(
            select(Attendee.id).where(Attendee.assembly_id == assembly_id, *conditions)
        )
    )


def _table_ids(db, assembly_id):
    return list(
        db.session.scalars(select(Table.id).join(Group).where(Group.assembly_id == assembly_id))
    )


def _step(db, rng: random.Random, assembly, actor) -> str:
    """One random write, as the app makes it (or as SQL typed by hand would)."""
    aid = assembly.id
    pick = rng.choice
    kind = pick(
        ["checkin"] * 4
        + ["undo", "checkout", "move", "move", "swap", "correct", "bulk", "erase", "lock"]
        + ["resplit", "drop_table", "delete", "insert_seated"]
    )
    if kind == "checkin" and (ids := _ids(db, aid, Attendee.checked_in_at.is_(None))):
        desk.check_in_by_id(actor, aid, pick(ids), "Mesa 1", NOW)
    elif kind == "undo" and (ids := _ids(db, aid, Attendee.checked_in_at.is_not(None))):
        desk.undo_check_in(actor, aid, pick(ids))
    elif kind == "checkout" and (ids := _ids(db, aid, Attendee.checked_in_at.is_not(None))):
        desk.check_out(actor, aid, pick(ids), NOW)
    elif kind == "move" and (ids := _ids(db, aid)) and (tables := _table_ids(db, aid)):
        grouping.move_attendee(actor, aid, pick(ids), pick(tables))
    elif kind == "swap" and len(ids := _ids(db, aid, Attendee.table_id.is_not(None))) > 1:
        first, second = rng.sample(ids, 2)
        grouping.swap_attendees(actor, aid, first, second)
    elif kind == "correct" and (ids := _ids(db, aid)):
        person = db.session.get(Attendee, pick(ids))
        person.sex, person.age_range = pick(SEXES), pick(AGES)
        person.organization_key = pick(ORGS)
        person.municipality_code = pick(MUNIS)
        person.knows_pit, person.took_part_before = pick([None, True]), pick([False, True])
    elif kind == "bulk" and (tables := _table_ids(db, aid)):
        # a bulk UPDATE that bypasses the ORM (as the split's executemany does)
        db.session.execute(
            update(Attendee)
            .where(Attendee.assembly_id == aid, Attendee.id % 3 == rng.randrange(3))
            .values(table_id=pick([None, *tables]), sex=pick(SEXES))
            .execution_options(synchronize_session=False)
        )
        db.session.expire_all()
    elif kind == "erase" and (ids := _ids(db, aid, Attendee.erased_at.is_(None))):
        privacy.erase("prueba", db.session.get(Attendee, pick(ids)), reason="prueba")
    elif kind == "lock" and (tables := _table_ids(db, aid)):
        grouping.set_locked(actor, aid, pick(tables), rng.random() < 0.5)
    elif kind == "resplit":
        for table_id in _table_ids(db, aid):  # a bulk step may have crowded a locked table
            grouping.set_locked(actor, aid, table_id, False)
        population = pick(["checked_in", "registered"])
        grouping.run_split(actor, aid, population=population, seed=rng.randrange(99), confirm=True)
    elif kind == "drop_table" and (tables := _table_ids(db, aid)):
        # its people lose the seat through ON DELETE SET NULL, its tally goes with it
        db.session.execute(delete(Table).where(Table.id == pick(tables)))
        db.session.expire_all()
    elif kind == "delete" and (ids := _ids(db, aid)):
        db.session.execute(delete(Attendee).where(Attendee.id == pick(ids)))
        db.session.expire_all()
    elif kind == "insert_seated" and (tables := _table_ids(db, aid)):
        n = rng.randrange(10**9)
        db.session.add(
            Attendee(
                assembly_id=aid,
                ticket_token=f"tally-new-{n}",
                document_type="CC",
                document_number=str(80_000_000 + n % 10**7),
                first_names="Nueva",
                last_names="Tally",
                name_key="nueva tally",
                sex=pick(SEXES),
                age_range=pick(AGES),
                organization_key=pick(ORGS),
                consent_data=True,
                table_id=pick(tables),
            )
        )
    else:
        return "-"
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tally_equals_a_recount_after_any_sequence_of_writes(people_room, make_user, db, seed):
    rng = random.Random(seed)
    actor = make_user("admin")
    assembly = people_room(rng)
    assert stored(db) == recounted(db) == {}
    grouping.run_split(actor, assembly.id, population="checked_in", seed=seed)
    db.session.flush()
    assert stored(db) == recounted(db) != {}
    done = []
    for _ in range(120):
        try:
            with db.session.begin_nested():
                done.append(_step(db, rng, assembly, actor))
                db.session.flush()
        except AssemblyError:
            done.append("refused")  # a full table, a locked one...: nothing written
        assert stored(db) == recounted(db), done
    db.session.commit()
    assert stored(db) == recounted(db)
    assert {"checkin", "move", "resplit", "bulk"} <= set(done), done


def test_removing_an_assembly_leaves_no_tally(people_room, make_user, db):
    from assembly.assemblies.models import Assembly

    assembly = people_room(random.Random(7))
    grouping.run_split(make_user("admin"), assembly.id, population="registered", seed=1)
    db.session.commit()
    assert stored(db)
    db.session.execute(delete(Assembly).where(Assembly.id == assembly.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TableTally)) == 0


@pytest.mark.parametrize("seed", [11, 12])
def test_a_late_arrival_sits_where_the_choice_over_every_person_puts_them(
    people_room, make_user, db, seed
):
    """The tally's counts (only the contenders' read) give the same table, tie-breaks
    included, as domain.place_late_arrival over every table with its members."""
    rng = random.Random(seed)
    actor = make_user("admin")
    assembly = people_room(rng, n=90, arrived=40)
    grouping.run_split(actor, assembly.id, population="checked_in", seed=seed)
    db.session.commit()
    groups = grouping.groups_of(assembly.id)
    settings = domain.Settings(theme_ids=tuple(g.theme_id for g in groups), table_size=4)
    theme_of = {g.id: g.theme_id for g in groups}
    late = _ids(db, assembly.id, Attendee.checked_in_at.is_(None))
    rng.shuffle(late)
    for attendee_id in late[:40]:
        if rng.random() < 0.2 and (tables := _table_ids(db, assembly.id)):
            grouping.set_locked(actor, assembly.id, rng.choice(tables), rng.random() < 0.5)
        members: dict[int, list] = {}
        for row in db.session.execute(
            select(*grouping._PERSON_COLUMNS).where(
                Attendee.assembly_id == assembly.id, Attendee.table_id.is_not(None)
            )
        ):
            members.setdefault(row.table_id, []).append(grouping.to_person(row))
        seats = [
            domain.TableSeat(
                theme_of[t.group_id], t.number, tuple(members.get(t.id, ())), t.capacity, t.locked
            )
            for t in sorted(grouping.tables_of(assembly.id), key=lambda t: (t.group_id, t.number))
        ]
        person = grouping.to_person(db.session.get(Attendee, attendee_id))
        expected = domain.place_late_arrival(person, seats, settings)
        outcome = desk.check_in_by_id(actor, assembly.id, attendee_id, "Mesa 1", NOW)
        db.session.commit()
        table = outcome.table
        assert (theme_of[table.group_id], table.number) == (
            expected.theme_id,
            expected.number,
        )
    assert stored(db) == recounted(db)
