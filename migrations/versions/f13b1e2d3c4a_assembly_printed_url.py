"""assembly printed url: the room's address on the last printout (issue 13.1)

Revision ID: f13b1e2d3c4a
Revises: 130981666cc5
Create Date: 2026-12-02 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f13b1e2d3c4a"
down_revision = "130981666cc5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assemblies") as batch_op:
        batch_op.add_column(sa.Column("printed_url", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("assemblies") as batch_op:
        batch_op.drop_column("printed_url")
