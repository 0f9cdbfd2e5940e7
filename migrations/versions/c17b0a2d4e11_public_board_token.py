"""public board by token

- assemblies.board_token: the public phone board's address (/tablero/<token>), 256 random
  bits, so a board can no longer be opened by guessing the assembly's number;
- assemblies.public_board: the public board can be turned off per assembly.

Revision ID: c17b0a2d4e11
Revises: 37d9e961a352
Create Date: 2026-12-02 12:20:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = "c17b0a2d4e11"
down_revision = "37d9e961a352"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("board_token", sa.String(length=43), nullable=True))
        batch_op.add_column(sa.Column("public_board", sa.Boolean(), server_default=sa.true(), nullable=False))
    bind = op.get_bind()
    assemblies = sa.table("assemblies", sa.column("id", sa.Integer), sa.column("board_token", sa.String))
    for (assembly_id,) in bind.execute(sa.select(assemblies.c.id)).all():
        bind.execute(
            assemblies.update()
            .where(assemblies.c.id == assembly_id)
            .values(board_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.alter_column("board_token", existing_type=sa.String(length=43), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_assemblies_board_token"), ["board_token"])


def downgrade():
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_assemblies_board_token"), type_="unique")
        batch_op.drop_column("public_board")
        batch_op.drop_column("board_token")
