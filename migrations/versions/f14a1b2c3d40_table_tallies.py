"""table_tallies: the per-table tally of the seated people, kept by triggers on attendees

A late arrival's seat is chosen from these counts (size, leader candidates, and people per
organisation, sex, age band and municipality of each table), never from the people: flat
whatever the room (issue 16.1).  The triggers keep it in every writer's transaction; the
existing seats are counted once here.  ix_attendees_seating (the per-people aggregate it
replaces) goes.  The SQL is assembly/grouping/tally_sql.py's, frozen here.

A later migration that rebuilds ``attendees`` on SQLite (batch mode "move and copy") drops
these triggers with the old table: it must create them again
(tests/integration/test_migrations.py checks they exist after ``upgrade``).

Revision ID: f14a1b2c3d40
Revises: f14a2c3d4e5b
Create Date: 2026-12-02 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "f14a1b2c3d40"
down_revision = "f14a2c3d4e5b"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE TRIGGER attendees_tally_insert AFTER INSERT ON attendees WHEN NEW.table_id IS NOT NULL BEGIN INSERT INTO table_tallies (table_id, kind, value, people) VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1) ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people; END",
    "CREATE TRIGGER attendees_tally_delete AFTER DELETE ON attendees WHEN OLD.table_id IS NOT NULL BEGIN UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = ''; UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = ''; UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, ''); END",
    "CREATE TRIGGER attendees_tally_update AFTER UPDATE OF table_id, organization_key, sex, age_range, municipality_code, knows_pit, took_part_before ON attendees WHEN OLD.table_id IS NOT NEW.table_id OR OLD.organization_key IS NOT NEW.organization_key OR OLD.sex IS NOT NEW.sex OR OLD.age_range IS NOT NEW.age_range OR OLD.municipality_code IS NOT NEW.municipality_code OR OLD.knows_pit IS NOT NEW.knows_pit OR OLD.took_part_before IS NOT NEW.took_part_before BEGIN UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = ''; UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = ''; UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, ''); UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, ''); INSERT INTO table_tallies (table_id, kind, value, people) SELECT * FROM (VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1)) WHERE NEW.table_id IS NOT NULL ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people; END",
]

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION attendees_tally() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP <> 'INSERT' AND OLD.table_id IS NOT NULL\n     AND EXISTS (SELECT 1 FROM tables WHERE id = OLD.table_id) THEN\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'all' AND value = '';\n    UPDATE table_tallies SET people = people - CASE WHEN OLD.knows_pit AND OLD.took_part_before THEN 1 ELSE 0 END WHERE table_id = OLD.table_id AND kind = 'lead' AND value = '';\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'org' AND value = coalesce('=' || OLD.organization_key, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'sex' AND value = coalesce('=' || OLD.sex, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'age' AND value = coalesce('=' || OLD.age_range, '');\n    UPDATE table_tallies SET people = people - 1 WHERE table_id = OLD.table_id AND kind = 'muni' AND value = coalesce('=' || OLD.municipality_code, '');\n  END IF;\n  IF TG_OP <> 'DELETE' AND NEW.table_id IS NOT NULL THEN\n    INSERT INTO table_tallies (table_id, kind, value, people) VALUES (NEW.table_id, 'all', '', 1), (NEW.table_id, 'lead', '', CASE WHEN NEW.knows_pit AND NEW.took_part_before THEN 1 ELSE 0 END), (NEW.table_id, 'org', coalesce('=' || NEW.organization_key, ''), 1), (NEW.table_id, 'sex', coalesce('=' || NEW.sex, ''), 1), (NEW.table_id, 'age', coalesce('=' || NEW.age_range, ''), 1), (NEW.table_id, 'muni', coalesce('=' || NEW.municipality_code, ''), 1) ON CONFLICT (table_id, kind, value) DO UPDATE SET people = table_tallies.people + excluded.people;\n  END IF;\n  RETURN NULL;\nEND $$",
    'CREATE TRIGGER attendees_tally_rows AFTER INSERT OR DELETE ON attendees FOR EACH ROW EXECUTE FUNCTION attendees_tally()',
    'CREATE TRIGGER attendees_tally_update AFTER UPDATE OF table_id, organization_key, sex, age_range, municipality_code, knows_pit, took_part_before ON attendees FOR EACH ROW WHEN (OLD.table_id IS DISTINCT FROM NEW.table_id OR OLD.organization_key IS DISTINCT FROM NEW.organization_key OR OLD.sex IS DISTINCT FROM NEW.sex OR OLD.age_range IS DISTINCT FROM NEW.age_range OR OLD.municipality_code IS DISTINCT FROM NEW.municipality_code OR OLD.knows_pit IS DISTINCT FROM NEW.knows_pit OR OLD.took_part_before IS DISTINCT FROM NEW.took_part_before) EXECUTE FUNCTION attendees_tally()',
]

RECOUNT = "\nSELECT table_id, 'all' AS kind, '' AS value, count(*) AS people FROM attendees\n WHERE table_id IS NOT NULL GROUP BY table_id\nUNION ALL\nSELECT table_id, 'lead', '', sum(CASE WHEN attendees.knows_pit AND attendees.took_part_before THEN 1 ELSE 0 END) FROM attendees\n WHERE table_id IS NOT NULL GROUP BY table_id\nUNION ALL\nSELECT table_id, 'org', coalesce('=' || attendees.organization_key, ''), count(*) FROM attendees\n WHERE table_id IS NOT NULL GROUP BY table_id, coalesce('=' || attendees.organization_key, '')\nUNION ALL\nSELECT table_id, 'sex', coalesce('=' || attendees.sex, ''), count(*) FROM attendees\n WHERE table_id IS NOT NULL GROUP BY table_id, coalesce('=' || attendees.sex, '')\nUNION ALL\nSELECT table_id, 'age', coalesce('=' || attendees.age_range, ''), count(*) FROM attendees\n WHERE table_id IS NOT NULL GROUP BY table_id, coalesce('=' || attendees.age_range, '')\nUNION ALL\nSELECT table_id, 'muni', coalesce('=' || attendees.municipality_code, ''), count(*) FROM attendees\n WHERE table_id IS NOT NULL GROUP BY table_id, coalesce('=' || attendees.municipality_code, '')\n"


def upgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_index("ix_attendees_seating")
    op.create_table(
        "table_tallies",
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("value", sa.String(length=201), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["tables.id"],
            name=op.f("fk_table_tallies_table_id_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("table_id", "kind", "value", name=op.f("pk_table_tallies")),
    )
    op.execute(f"INSERT INTO table_tallies (table_id, kind, value, people) {RECOUNT}")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS attendees_tally_update ON attendees")
        op.execute("DROP TRIGGER IF EXISTS attendees_tally_rows ON attendees")
        op.execute("DROP FUNCTION IF EXISTS attendees_tally()")
    else:
        for name in ("attendees_tally_update", "attendees_tally_delete", "attendees_tally_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("table_tallies")
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendees_seating",
            [
                "assembly_id",
                "table_id",
                "organization_key",
                "sex",
                "age_range",
                "municipality_code",
                "knows_pit",
                "took_part_before",
            ],
            unique=False,
        )
