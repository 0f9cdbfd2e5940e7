"""a failed job keeps its reason as the catalog's msgid and parameters (issue 20.8)

``jobs.error_said`` ({"msgid", "params"}) is said in the language of whoever reads the job,
not in the language the job failed in. Jobs failed before this revision keep only their
composed ``error``, which reads as it was written (translated when it is a catalog sentence
without parameters).

Revision ID: f18b4c5d6e71
Revises: f17d3e4f5a60
Create Date: 2026-12-03 17:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "f18b4c5d6e71"
down_revision = "f17d3e4f5a60"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error_said", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("error_said")
