"""desk scan uuid: attendees.checked_in_scan (offline desk queue, issue 13.5)

Revision ID: f13a0d35c4e1
Revises: f12a3b4c5d60
Create Date: 2026-12-02 15:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f13a0d35c4e1"
down_revision = "f12a3b4c5d60"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendees") as batch_op:
        batch_op.add_column(sa.Column("checked_in_scan", sa.String(length=36), nullable=True))


def downgrade():
    with op.batch_alter_table("attendees") as batch_op:
        batch_op.drop_column("checked_in_scan")
