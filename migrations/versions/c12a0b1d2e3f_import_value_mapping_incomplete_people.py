"""import value mapping: remembered mappings per header signature; people kept incomplete

The closed fields sex, ethnicity, department and municipality become nullable ("sin dato"):
an imported list that lacks them keeps the person as "incompleto" and the desk completes the
form at check-in. Existing rows keep their values.

Revision ID: c12a0b1d2e3f
Revises: b17a5c0e9f01
Create Date: 2026-12-02 12:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c12a0b1d2e3f'
down_revision = 'b17a5c0e9f01'
branch_labels = None
depends_on = None

_NULLABLE = (("sex", 30), ("ethnicity", 30), ("department_code", 2), ("municipality_code", 5))


def upgrade():
    op.create_table(
        'import_profiles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assembly_id', sa.Integer(), nullable=False),
        sa.Column('signature', sa.String(length=64), nullable=False),
        sa.Column('columns', sa.JSON(), nullable=False),
        sa.Column('values', sa.JSON(), nullable=False),
        sa.Column('consent_default', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(),
                  nullable=False),
        sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assembly_id', 'signature'),
    )
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        for name, length in _NULLABLE:
            batch_op.alter_column(name, existing_type=sa.String(length=length), nullable=True)


def downgrade():
    # Only possible while no person is "incompleto" (NOT NULL refuses the "sin dato" rows).
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        for name, length in _NULLABLE:
            batch_op.alter_column(name, existing_type=sa.String(length=length), nullable=False)
    op.drop_table('import_profiles')
