"""import batches record a collective consent (Ley 1581, issue 17.7)

An import whose list has no consent column takes the consent the staff member states for
everyone ("todos autorizaron"): the batch now says so, beside who confirmed it and the file
it came from. Imports confirmed before this revision did not record it: they read False
(the box's use is not known for them).

Revision ID: f17a3b4c5d61
Revises: f16c2d3e4f50
Create Date: 2026-12-03 10:05:00

"""

from alembic import op
import sqlalchemy as sa


revision = "f17a3b4c5d61"
down_revision = "f16c2d3e4f50"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("consent_collective", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("consent_collective")
