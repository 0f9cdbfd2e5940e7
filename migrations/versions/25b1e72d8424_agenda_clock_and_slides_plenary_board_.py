"""agenda clock and slides, plenary board and approvals, export log

Revision ID: 25b1e72d8424
Revises: 5aaab8bb1df8
Create Date: 2026-11-24 08:12:30.280686

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '25b1e72d8424'
down_revision = '5aaab8bb1df8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('actas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_actas_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_actas_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actas'))
    )
    with op.batch_alter_table('actas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actas_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('agenda_clocks',
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_agenda_clocks_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assembly_id', name=op.f('pk_agenda_clocks'))
    )
    op.create_table('clock_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_clock_actions_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clock_actions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clock_actions'))
    )
    with op.batch_alter_table('clock_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clock_actions_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('export_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('report', sa.String(length=20), nullable=False),
    sa.Column('variant', sa.String(length=15), nullable=False),
    sa.Column('assembly_ids', sa.JSON(), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_export_logs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_logs'))
    )
    with op.batch_alter_table('export_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_logs_user_id'), ['user_id'], unique=False)

    op.create_table('slides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_slides_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slides')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_slides_stored_name'))
    )
    with op.batch_alter_table('slides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slides_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('votes_for', sa.Integer(), nullable=False),
    sa.Column('votes_against', sa.Integer(), nullable=False),
    sa.Column('votes_abstain', sa.Integer(), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_approvals_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_approvals_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_approvals_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals')),
    sa.UniqueConstraint('group_id', name=op.f('uq_approvals_group_id'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('piece_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('piece_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=300), nullable=True),
    sa.Column('due', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_piece_versions_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['piece_id'], ['pieces.id'], name=op.f('fk_piece_versions_piece_id_pieces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_piece_versions')),
    sa.UniqueConstraint('piece_id', 'version', name=op.f('uq_piece_versions_piece_id_version'))
    )
    with op.batch_alter_table('piece_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_piece_versions_piece_id'), ['piece_id'], unique=False)

    op.create_table('plenary_states',
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('piece_id', sa.String(length=36), nullable=True),
    sa.Column('revealed', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_plenary_states_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_plenary_states_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['piece_id'], ['pieces.id'], name=op.f('fk_plenary_states_piece_id_pieces'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('assembly_id', name=op.f('pk_plenary_states'))
    )
    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('attendee_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['approvals.id'], name=op.f('fk_votes_approval_id_approvals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attendee_id'], ['attendees.id'], name=op.f('fk_votes_attendee_id_attendees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('approval_id', 'attendee_id', name=op.f('uq_votes_approval_id_attendee_id'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_approval_id'), ['approval_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_attendee_id'), ['attendee_id'], unique=False)



def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_attendee_id'))
        batch_op.drop_index(batch_op.f('ix_votes_approval_id'))

    op.drop_table('votes')
    op.drop_table('plenary_states')
    with op.batch_alter_table('piece_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_piece_versions_piece_id'))

    op.drop_table('piece_versions')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_assembly_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('slides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slides_assembly_id'))

    op.drop_table('slides')
    with op.batch_alter_table('export_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_logs_user_id'))

    op.drop_table('export_logs')
    with op.batch_alter_table('clock_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clock_actions_assembly_id'))

    op.drop_table('clock_actions')
    op.drop_table('agenda_clocks')
    with op.batch_alter_table('actas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actas_assembly_id'))

    op.drop_table('actas')
