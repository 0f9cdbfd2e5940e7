"""plenary_states.big_qr: the QR the moderator shows full height on the board (vote, survey)

Issue 19: from 15 m a corner QR is too small to scan; the choice is part of the board's state
so every screen (and a reloaded one) shows it.

Revision ID: f17d3e4f5a60
Revises: f17a3b4c5d61
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = "f17d3e4f5a60"
down_revision = "f17a3b4c5d61"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plenary_states") as batch_op:
        batch_op.add_column(sa.Column("big_qr", sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table("plenary_states") as batch_op:
        batch_op.drop_column("big_qr")
