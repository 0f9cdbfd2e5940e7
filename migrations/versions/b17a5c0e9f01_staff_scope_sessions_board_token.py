"""staff scope per assembly, session versions

- assembly_grants: which assemblies a staff account works on (its role applies there only);
- users.all_assemblies: national accounts (supervision) see every assembly; admins always do;
- users.session_version: bumped by log-out, password change and deactivation to end every
  session of the account.

Existing non-admin accounts are granted every assembly that exists now, so nobody loses what
they could open before the upgrade; new assemblies must be granted on their staff page.

Revision ID: b17a5c0e9f01
Revises: e9d8407a0b5e
Create Date: 2026-12-02 12:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "b17a5c0e9f01"
down_revision = "e9d8407a0b5e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assembly_grants",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"],
            name=op.f("fk_assembly_grants_assembly_id_assemblies"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assembly_grants_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "assembly_id", name=op.f("pk_assembly_grants")),
    )
    with op.batch_alter_table("assembly_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assembly_grants_assembly_id"), ["assembly_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("all_assemblies", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))
    op.execute(
        "INSERT INTO assembly_grants (user_id, assembly_id) "
        "SELECT users.id, assemblies.id FROM users CROSS JOIN assemblies WHERE users.role <> 'admin'"
    )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
        batch_op.drop_column("all_assemblies")
    with op.batch_alter_table("assembly_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assembly_grants_assembly_id"))
    op.drop_table("assembly_grants")
