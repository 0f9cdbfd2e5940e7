"""import fills: what an import wrote into earlier "incompleto" people's empty fields

A re-import fills the empty fields of people already registered as "incompleto"; undoing that
import now empties exactly those fields again (each row: person, field, value before, value
written), except where the value was changed since. Imports confirmed before this revision
recorded nothing: undoing them removes their people and leaves the fields they filled.

Revision ID: f14a2c3d4e5b
Revises: e17f2a6b7c01
Create Date: 2026-12-02 18:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "f14a2c3d4e5b"
down_revision = "e17f2a6b7c01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_fills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendee_id"],
            ["attendees.id"],
            name="fk_import_fills_attendee_id_attendees",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name="fk_import_fills_batch_id_import_batches",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_fills"),
    )
    with op.batch_alter_table("import_fills", schema=None) as batch_op:
        batch_op.create_index("ix_import_fills_attendee_id", ["attendee_id"], unique=False)
        batch_op.create_index("ix_import_fills_batch_id", ["batch_id"], unique=False)


def downgrade():
    with op.batch_alter_table("import_fills", schema=None) as batch_op:
        batch_op.drop_index("ix_import_fills_batch_id")
        batch_op.drop_index("ix_import_fills_attendee_id")
    op.drop_table("import_fills")
