"""Ley 1581: consent with its date, channel and text version; erasures

- attendees.consent_at / consent_channel / consent_version: when, how (form, desk, import)
  and under which consent text a person authorised the processing (existing rows: their
  registration date and channel, version "1" — the text the app has shown until now);
- attendees.erased_at: the person's data was erased (only aggregates remain);
- erasures: the record of each erasure (who, when, why).

Revision ID: d17e1a5e0c01
Revises: c15a0e1d2f03
Create Date: 2026-12-02 12:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = "d17e1a5e0c01"
down_revision = "c15a0e1d2f03"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("consent_channel", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("consent_version", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE attendees SET consent_at = created_at, consent_version = '1', "
        "consent_channel = CASE source WHEN 'preregistro' THEN 'form' "
        "WHEN 'importado' THEN 'import' ELSE 'desk' END WHERE consent_data"
    )
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("erased_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"], ["assemblies.id"], name=op.f("fk_erasures_assembly_id_assemblies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["attendee_id"], ["attendees.id"], name=op.f("fk_erasures_attendee_id_attendees"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasures_assembly_id"), ["assembly_id"], unique=False)


def downgrade():
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasures_assembly_id"))
    op.drop_table("erasures")
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
        batch_op.drop_column("consent_version")
        batch_op.drop_column("consent_channel")
        batch_op.drop_column("consent_at")
