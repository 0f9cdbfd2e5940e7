"""pieces.merged_into_id: a duplicate merged by the facilitator names the piece that stayed

The printed agenda and the acta name the sub-mesas a kept piece also came from (issue 14.4).

Revision ID: f16c2d3e4f50
Revises: f15b0c1d2e30
Create Date: 2026-12-03 09:50:00

"""
import sqlalchemy as sa
from alembic import op


revision = "f16c2d3e4f50"
down_revision = "f15b0c1d2e30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pieces") as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_pieces_merged_into_id"), ["merged_into_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_pieces_merged_into_id_pieces"),
            "pieces",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("pieces") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pieces_merged_into_id_pieces"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_pieces_merged_into_id"))
        batch_op.drop_column("merged_into_id")
