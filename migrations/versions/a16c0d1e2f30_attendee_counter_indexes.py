"""attendee indexes for flat desk counters, arrivals and late-arrival seating

Revision ID: a16c0d1e2f30
Revises: 3acea9b2909f
Create Date: 2026-12-02 15:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "a16c0d1e2f30"
down_revision = "3acea9b2909f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendees_counters",
            ["assembly_id", "group_id", "checked_in_desk", "checked_in_at", "checked_out_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_attendees_checked_in", ["assembly_id", "checked_in_at"], unique=False
        )
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


def downgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_index("ix_attendees_seating")
        batch_op.drop_index("ix_attendees_checked_in")
        batch_op.drop_index("ix_attendees_counters")
