"""attendee (assembly, id) index: a background split reads a room in id order, a chunk at a time

Revision ID: b16d1e2f3a41
Revises: ea5d6e37e242
Create Date: 2026-12-02 15:50:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "b16d1e2f3a41"
down_revision = "ea5d6e37e242"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.create_index("ix_attendees_assembly_order", ["assembly_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_index("ix_attendees_assembly_order")
