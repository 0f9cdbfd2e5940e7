"""tables.seated: how many people sit at each table, kept by the triggers on attendees

The late-arrival seating read the room through one tally row per table (a join per table:
8 ms of a check-in at 50,000 people, 2,500 tables); it now reads every table's size,
capacity and lock, and the mesas' sums, from one covering index, ``ix_tables_seating``
(issue 16.1).  The triggers of ``f14a1b2c3d40`` also keep the new column (the SQL is
assembly/grouping/tally_sql.py's, frozen here); the existing seats are counted once.

Revision ID: f19c5d6e7f82
Revises: f18b4c5d6e71
Create Date: 2026-12-03 17:40:00

"""

from alembic import op
import sqlalchemy as sa


revision = "f19c5d6e7f82"
down_revision = "f18b4c5d6e71"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = ("attendees_tally_insert", "attendees_tally_delete", "attendees_tally_update")

SQLITE = [
    "CREATE TRIGGER attendees_tally_insert AFTER INSERT ON attendees WHEN NEW.table_id IS NOT NULL BEGIN INSERT INTO table_tallies (table_id, kind, value, people) VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1) ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people; UPDATE tables SET seated = seated + 1 WHERE id = NEW.table_id; END",
    "CREATE TRIGGER attendees_tally_delete AFTER DELETE ON attendees WHEN OLD.table_id IS NOT NULL BEGIN UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = ''; UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = ''; UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, ''); UPDATE tables SET seated = seated - 1 WHERE id = OLD.table_id; END",
    "CREATE TRIGGER attendees_tally_update AFTER UPDATE OF table_id, organization_key, sex, age_range, municipality_code, knows_pit, took_part_before ON attendees WHEN OLD.table_id IS NOT NEW.table_id OR OLD.organization_key IS NOT NEW.organization_key OR OLD.sex IS NOT NEW.sex OR OLD.age_range IS NOT NEW.age_range OR OLD.municipality_code IS NOT NEW.municipality_code OR OLD.knows_pit IS NOT NEW.knows_pit OR OLD.took_part_before IS NOT NEW.took_part_before BEGIN UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = ''; UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = ''; UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, ''); INSERT INTO table_tallies (table_id, kind, value, people) SELECT * FROM (VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1)) WHERE NEW.table_id IS NOT NULL ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people; UPDATE tables SET seated = seated - 1 WHERE id = OLD.table_id AND OLD.table_id IS NOT NEW.table_id; UPDATE tables SET seated = seated + 1 WHERE id = NEW.table_id AND OLD.table_id IS NOT NEW.table_id; END",
]

POSTGRESQL_FUNCTION = "CREATE OR REPLACE FUNCTION attendees_tally() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP <> 'INSERT' AND OLD.table_id IS NOT NULL\n     AND EXISTS (SELECT 1 FROM tables WHERE id = OLD.table_id) THEN\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = '';\n    UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = '';\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, '');\n    IF TG_OP = 'DELETE' THEN\n      UPDATE tables SET seated = seated - 1 WHERE id = OLD.table_id;\n    ELSIF OLD.table_id IS DISTINCT FROM NEW.table_id THEN\n      UPDATE tables SET seated = seated - 1 WHERE id = OLD.table_id;\n    END IF;\n  END IF;\n  IF TG_OP <> 'DELETE' AND NEW.table_id IS NOT NULL THEN\n    INSERT INTO table_tallies (table_id, kind, value, people) VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1) ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people;\n    IF TG_OP = 'INSERT' THEN\n      UPDATE tables SET seated = seated + 1 WHERE id = NEW.table_id;\n    ELSIF OLD.table_id IS DISTINCT FROM NEW.table_id THEN\n      UPDATE tables SET seated = seated + 1 WHERE id = NEW.table_id;\n    END IF;\n  END IF;\n  RETURN NULL;\nEND $$"

#: as f14a1b2c3d40 installed them (the downgrade puts them back)
SQLITE_BEFORE = [
    "CREATE TRIGGER attendees_tally_insert AFTER INSERT ON attendees WHEN NEW.table_id IS NOT NULL BEGIN INSERT INTO table_tallies (table_id, kind, value, people) VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1) ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people; END",
    "CREATE TRIGGER attendees_tally_delete AFTER DELETE ON attendees WHEN OLD.table_id IS NOT NULL BEGIN UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = ''; UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = ''; UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, ''); END",
    "CREATE TRIGGER attendees_tally_update AFTER UPDATE OF table_id, organization_key, sex, age_range, municipality_code, knows_pit, took_part_before ON attendees WHEN OLD.table_id IS NOT NEW.table_id OR OLD.organization_key IS NOT NEW.organization_key OR OLD.sex IS NOT NEW.sex OR OLD.age_range IS NOT NEW.age_range OR OLD.municipality_code IS NOT NEW.municipality_code OR OLD.knows_pit IS NOT NEW.knows_pit OR OLD.took_part_before IS NOT NEW.took_part_before BEGIN UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = ''; UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = ''; UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, ''); INSERT INTO table_tallies (table_id, kind, value, people) SELECT * FROM (VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1)) WHERE NEW.table_id IS NOT NULL ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people; END",
]

POSTGRESQL_FUNCTION_BEFORE = "CREATE OR REPLACE FUNCTION attendees_tally() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP <> 'INSERT' AND OLD.table_id IS NOT NULL\n     AND EXISTS (SELECT 1 FROM tables WHERE id = OLD.table_id) THEN\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = '';\n    UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = '';\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, '');\n  END IF;\n  IF TG_OP <> 'DELETE' AND NEW.table_id IS NOT NULL THEN\n    INSERT INTO table_tallies (table_id, kind, value, people) VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1) ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people;\n  END IF;\n  RETURN NULL;\nEND $$"

SEATED_RECOUNT = "UPDATE tables SET seated = (SELECT count(*) FROM attendees WHERE attendees.table_id = tables.id)"


def _triggers(sqlite: list[str], postgresql_function: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(postgresql_function)  # the two triggers call it
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in sqlite:
        op.execute(statement)


def upgrade():
    op.add_column(
        "tables", sa.Column("seated", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.execute(SEATED_RECOUNT)
    op.create_index(
        "ix_tables_seating", "tables", ["group_id", "number", "seated", "capacity", "locked"]
    )
    _triggers(SQLITE, POSTGRESQL_FUNCTION)


def downgrade():
    _triggers(SQLITE_BEFORE, POSTGRESQL_FUNCTION_BEFORE)  # they no longer write the column
    op.drop_index("ix_tables_seating", table_name="tables")
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.drop_column("seated")
