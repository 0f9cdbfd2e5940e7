"""import batches: every confirmed import is a batch its people point to

An import runs as a background job that stores its people chunk by chunk; the batch id lets
a failed job remove what it stored, and lets staff undo an import as a whole while nobody
from it has checked in. People registered before this revision belong to no batch.

Revision ID: f12b4c5d6e71
Revises: a16c0d1e2f30
Create Date: 2026-12-02 15:10:00

"""

from alembic import op
import sqlalchemy as sa


revision = "f12b4c5d6e71"
down_revision = "a16c0d1e2f30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("filled", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["assembly_id"], ["assemblies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index("ix_import_batches_assembly_id", ["assembly_id"], unique=False)
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_attendees_import_batch_id", ["import_batch_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_attendees_import_batch_id_import_batches",
            "import_batches",
            ["import_batch_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_constraint("fk_attendees_import_batch_id_import_batches", type_="foreignkey")
        batch_op.drop_index("ix_attendees_import_batch_id")
        batch_op.drop_column("import_batch_id")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index("ix_import_batches_assembly_id")
    op.drop_table("import_batches")
