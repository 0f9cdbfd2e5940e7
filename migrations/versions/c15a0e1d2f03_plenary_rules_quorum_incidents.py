"""plenary rules: quorum and majority per assembly, present counts stored with each vote,
incidents (forced close, reopening, headcount, corrected tally), acta versions, checkout

Revision ID: c15a0e1d2f03
Revises: c17b0a2d4e11
Create Date: 2026-12-02 12:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c15a0e1d2f03"
down_revision = "c17b0a2d4e11"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assembly_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"],
            name=op.f("fk_assembly_logs_assembly_id_assemblies"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assembly_logs_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assembly_logs")),
    )
    with op.batch_alter_table("assembly_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assembly_logs_assembly_id"), ["assembly_id"], unique=False)
    with op.batch_alter_table("plenary_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quorum_kind", sa.String(length=10), server_default="share", nullable=False))
        batch_op.add_column(sa.Column("quorum_value", sa.Float(), server_default="0.5", nullable=False))
        batch_op.add_column(sa.Column("majority", sa.String(length=12), server_default="simple", nullable=False))
        batch_op.add_column(sa.Column("hide_results", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("headcount", sa.Integer(), nullable=True))
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("rule", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("present_open", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("present_close", sa.Integer(), nullable=True))
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_votes_device"), ["device"], unique=False)
    with op.batch_alter_table("actas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_out_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE approvals SET outcome = CASE WHEN approved THEN 'approved' ELSE 'rejected' END "
        "WHERE status = 'closed'"
    )


def downgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_column("checked_out_at")
    with op.batch_alter_table("actas", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_votes_device"))
        batch_op.drop_column("device")
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.drop_column("present_close")
        batch_op.drop_column("present_open")
        batch_op.drop_column("rule")
        batch_op.drop_column("outcome")
    with op.batch_alter_table("plenary_states", schema=None) as batch_op:
        batch_op.drop_column("headcount")
        batch_op.drop_column("hide_results")
        batch_op.drop_column("majority")
        batch_op.drop_column("quorum_value")
        batch_op.drop_column("quorum_kind")
    with op.batch_alter_table("assembly_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assembly_logs_assembly_id"))
    op.drop_table("assembly_logs")
