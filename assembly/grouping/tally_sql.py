"""The per-table tally of the seated people, kept by the database itself.

``table_tallies`` holds, for each table, how many people sit there (kind ``all``), how many
of them are leader candidates (``lead``), and how many share each organisation, sex, age
band and municipality (``org``, ``sex``, ``age``, ``muni``; the value is ``"=" + value``,
``""`` for a missing one, so that a missing value counts with the missing ones as
:func:`grouping.services.reading.seating_counts` compares them).  A late arrival's seat is
chosen from these rows, never from the people: its cost does not grow with the room.

The same triggers keep ``tables.seated`` (how many people sit at each table): the seating
reads the room's tables, their sizes and the mesas' sums from one covering index
(``ix_tables_seating``), never joining a tally row per table.

Triggers on ``attendees`` keep it, in the writer's own transaction, whoever writes: the
desk's check-in and late seating, the split (bulk UPDATEs), moves and swaps, corrections
and erasures, imports and their undo, a table's removal (``ON DELETE SET NULL``), even SQL
typed by hand.  A decrement is an UPDATE (a row that is not there is a table being removed);
an increment is an upsert.  The migration ``f14a1b2c3d40`` installed the tally's text,
``f19c5d6e7f82`` adds ``tables.seated``'s (frozen there).  Writing ``tables`` here takes the
sub-mesa's row lock, which every seat writer already holds (step 2 of
:mod:`assembly.core.locks`); a change of anything but the seat does not touch ``tables``.
"""

from sqlalchemy import text

#: the columns whose change moves a person in the tally
WATCHED = (
    "table_id",
    "organization_key",
    "sex",
    "age_range",
    "municipality_code",
    "knows_pit",
    "took_part_before",
)


def _value(side: str, column: str) -> str:
    return f"coalesce('=' || {side}.{column}, '')"


def _lead(side: str) -> str:
    return f"CASE WHEN {side}.knows_pit AND {side}.took_part_before THEN 1 ELSE 0 END"


def _rows(side: str) -> str:
    return ", ".join(
        (
            f"({side}.table_id, 'all', '', 1)",
            f"({side}.table_id, 'lead', '', {_lead(side)})",
            f"({side}.table_id, 'org', {_value(side, 'organization_key')}, 1)",
            f"({side}.table_id, 'sex', {_value(side, 'sex')}, 1)",
            f"({side}.table_id, 'age', {_value(side, 'age_range')}, 1)",
            f"({side}.table_id, 'muni', {_value(side, 'municipality_code')}, 1)",
        )
    )


def _decrements(side: str) -> list[str]:
    """One UPDATE per row (each a primary-key lookup; faster in SQLite than one IN list)."""
    rows = [
        ("'all'", "''", "1"),
        ("'lead'", "''", _lead(side)),
        ("'org'", _value(side, "organization_key"), "1"),
        ("'sex'", _value(side, "sex"), "1"),
        ("'age'", _value(side, "age_range"), "1"),
        ("'muni'", _value(side, "municipality_code"), "1"),
    ]
    return [
        f"UPDATE table_tallies SET people = people - {amount} "
        f"WHERE table_id = {side}.table_id AND kind = {kind} AND value = {value};"
        for kind, value, amount in rows
    ]


def _seat(side: str, amount: str, guard: str = "") -> str:
    """``tables.seated`` of the person's table, moved by ``amount`` (``guard`` a condition)."""
    where = f"id = {side}.table_id" + (f" AND {guard}" if guard else "")
    return f"UPDATE tables SET seated = seated {amount} WHERE {where};"


#: the seat itself changed (not only a value the tally counts)
_MOVED = "OLD.table_id IS NOT NEW.table_id"


def _increment(side: str, guard: str = "") -> str:
    """An upsert of the person's six rows; ``guard`` a condition (SQLite's trigger bodies
    have no IF), which makes it an INSERT ... SELECT."""
    rows = f"VALUES {_rows(side)}"
    if guard:
        rows = f"SELECT * FROM ({rows}) WHERE {guard}"
    return (
        f"INSERT INTO table_tallies (table_id, kind, value, people) {rows} "
        "ON CONFLICT (table_id, kind, value) "
        "DO UPDATE SET people = table_tallies.people + excluded.people;"
    )


_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
_CHANGED_PG = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)


def sqlite_statements() -> list[str]:
    """The three SQLite triggers (a trigger's body has no IF: each statement is guarded)."""
    new_seated = "NEW.table_id IS NOT NULL"
    old_seated = "OLD.table_id IS NOT NULL"
    return [
        f"CREATE TRIGGER attendees_tally_insert AFTER INSERT ON attendees WHEN {new_seated} "
        f"BEGIN {_increment('NEW')} {_seat('NEW', '+ 1')} END",
        f"CREATE TRIGGER attendees_tally_delete AFTER DELETE ON attendees WHEN {old_seated} "
        f"BEGIN {' '.join(_decrements('OLD'))} {_seat('OLD', '- 1')} END",
        f"CREATE TRIGGER attendees_tally_update AFTER UPDATE OF {', '.join(WATCHED)} "
        f"ON attendees WHEN {_CHANGED} BEGIN "
        + " ".join(_decrements("OLD"))
        + " "
        + _increment("NEW", guard=new_seated)
        + " "
        + _seat("OLD", "- 1", guard=_MOVED)
        + " "
        + _seat("NEW", "+ 1", guard=_MOVED)
        + " END",
    ]


def postgresql_statements() -> list[str]:
    """One PL/pgSQL function, called by a trigger for inserts and deletes and by one for the
    updates that change a watched column."""
    return [
        "CREATE OR REPLACE FUNCTION attendees_tally() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        # a table removed in this statement (its tally goes by cascade) is not decremented:
        # PostgreSQL would check the foreign key of a row this transaction already updated
        "  IF TG_OP <> 'INSERT' AND OLD.table_id IS NOT NULL\n"
        "     AND EXISTS (SELECT 1 FROM tables WHERE id = OLD.table_id) THEN\n    "
        + "\n    ".join(_decrements("OLD"))
        + "\n    IF TG_OP = 'DELETE' THEN\n      "
        + _seat("OLD", "- 1")
        + "\n    ELSIF OLD.table_id IS DISTINCT FROM NEW.table_id THEN\n      "
        + _seat("OLD", "- 1")
        + "\n    END IF;"
        + "\n  END IF;\n"
        "  IF TG_OP <> 'DELETE' AND NEW.table_id IS NOT NULL THEN\n    "
        + _increment("NEW")
        + "\n    IF TG_OP = 'INSERT' THEN\n      "
        + _seat("NEW", "+ 1")
        + "\n    ELSIF OLD.table_id IS DISTINCT FROM NEW.table_id THEN\n      "
        + _seat("NEW", "+ 1")
        + "\n    END IF;"
        + "\n  END IF;\n"
        "  RETURN NULL;\n"
        "END $$",
        "CREATE TRIGGER attendees_tally_rows AFTER INSERT OR DELETE ON attendees "
        "FOR EACH ROW EXECUTE FUNCTION attendees_tally()",
        f"CREATE TRIGGER attendees_tally_update AFTER UPDATE OF {', '.join(WATCHED)} "
        f"ON attendees FOR EACH ROW WHEN ({_CHANGED_PG}) EXECUTE FUNCTION attendees_tally()",
    ]


def statements(dialect: str) -> list[str]:
    return postgresql_statements() if dialect == "postgresql" else sqlite_statements()


#: the tally recounted from the people (the migration's backfill; tests compare with it)
RECOUNT = """
SELECT table_id, 'all' AS kind, '' AS value, count(*) AS people FROM attendees
 WHERE table_id IS NOT NULL GROUP BY table_id
UNION ALL
SELECT table_id, 'lead', '', sum({lead}) FROM attendees
 WHERE table_id IS NOT NULL GROUP BY table_id
UNION ALL
SELECT table_id, 'org', {org}, count(*) FROM attendees
 WHERE table_id IS NOT NULL GROUP BY table_id, {org}
UNION ALL
SELECT table_id, 'sex', {sex}, count(*) FROM attendees
 WHERE table_id IS NOT NULL GROUP BY table_id, {sex}
UNION ALL
SELECT table_id, 'age', {age}, count(*) FROM attendees
 WHERE table_id IS NOT NULL GROUP BY table_id, {age}
UNION ALL
SELECT table_id, 'muni', {muni}, count(*) FROM attendees
 WHERE table_id IS NOT NULL GROUP BY table_id, {muni}
""".format(
    lead=_lead("attendees"),
    org=_value("attendees", "organization_key"),
    sex=_value("attendees", "sex"),
    age=_value("attendees", "age_range"),
    muni=_value("attendees", "municipality_code"),
)


#: every table's seat count recounted (the migration's backfill)
SEATED_RECOUNT = (
    "UPDATE tables SET seated = "
    "(SELECT count(*) FROM attendees WHERE attendees.table_id = tables.id)"
)


def install(connection) -> None:
    """Create the triggers (``create_all`` calls it once every table exists)."""
    for statement in statements(connection.dialect.name):
        connection.execute(text(statement))
