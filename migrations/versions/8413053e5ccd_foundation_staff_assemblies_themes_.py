"""foundation: staff, assemblies, themes, agenda, mesas, attendees

Revision ID: 8413053e5ccd
Revises: 
Create Date: 2026-11-24 07:17:03.448464

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8413053e5ccd'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assemblies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=False),
    sa.Column('department_code', sa.String(length=2), nullable=True),
    sa.Column('municipality_code', sa.String(length=5), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('agreement_line', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('table_size', sa.Integer(), nullable=False),
    sa.Column('plan_start_year', sa.Integer(), nullable=False),
    sa.Column('plan_end_year', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assemblies'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('extra_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_extra_questions_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_questions')),
    sa.UniqueConstraint('assembly_id', 'position', name=op.f('uq_extra_questions_assembly_id_position'))
    )
    op.create_table('moments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('planned_start', sa.Time(), nullable=False),
    sa.Column('planned_end', sa.Time(), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_moments_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moments'))
    )
    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moments_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_themes_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes'))
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themes_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('spokesperson_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_groups_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_groups_facilitator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_groups_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('assembly_id', 'number', name=op.f('uq_groups_assembly_id_number')),
    sa.UniqueConstraint('theme_id', name=op.f('uq_groups_theme_id'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_assembly_id'), ['assembly_id'], unique=False)

    op.create_table('steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('moment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['moment_id'], ['moments.id'], name=op.f('fk_steps_moment_id_moments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steps'))
    )
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steps_moment_id'), ['moment_id'], unique=False)

    op.create_table('tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('join_code', sa.String(length=12), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('spokesperson_id', sa.Integer(), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_tables_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tables')),
    sa.UniqueConstraint('group_id', 'number', name=op.f('uq_tables_group_id_number')),
    sa.UniqueConstraint('join_code', name=op.f('uq_tables_join_code'))
    )
    with op.batch_alter_table('tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tables_group_id'), ['group_id'], unique=False)

    op.create_table('attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('ticket_token', sa.String(length=43), nullable=False),
    sa.Column('document_type', sa.String(length=6), nullable=False),
    sa.Column('document_number', sa.String(length=20), nullable=False),
    sa.Column('first_names', sa.String(length=120), nullable=False),
    sa.Column('last_names', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=250), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('age_range', sa.String(length=10), nullable=True),
    sa.Column('sex', sa.String(length=30), nullable=False),
    sa.Column('gender_identity', sa.String(length=30), nullable=True),
    sa.Column('sexual_orientation', sa.String(length=30), nullable=True),
    sa.Column('ethnicity', sa.String(length=30), nullable=False),
    sa.Column('has_disability', sa.Boolean(), nullable=False),
    sa.Column('disability_kind', sa.String(length=30), nullable=True),
    sa.Column('is_victim', sa.Boolean(), nullable=False),
    sa.Column('is_migrant', sa.Boolean(), nullable=False),
    sa.Column('zone', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('department_code', sa.String(length=2), nullable=False),
    sa.Column('municipality_code', sa.String(length=5), nullable=False),
    sa.Column('organization_name', sa.String(length=200), nullable=True),
    sa.Column('organization_key', sa.String(length=200), nullable=True),
    sa.Column('organization_kind', sa.String(length=30), nullable=True),
    sa.Column('organization_role', sa.String(length=120), nullable=True),
    sa.Column('line_of_work', sa.String(length=60), nullable=True),
    sa.Column('knows_pit', sa.Boolean(), nullable=False),
    sa.Column('took_part_before', sa.Boolean(), nullable=False),
    sa.Column('preferred_theme_id', sa.Integer(), nullable=True),
    sa.Column('consent_data', sa.Boolean(), nullable=False),
    sa.Column('consent_photos', sa.Boolean(), nullable=False),
    sa.Column('extra_answers', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('checked_in_desk', sa.String(length=40), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_attendees_assembly_id_assemblies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_attendees_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['preferred_theme_id'], ['themes.id'], name=op.f('fk_attendees_preferred_theme_id_themes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['table_id'], ['tables.id'], name=op.f('fk_attendees_table_id_tables'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendees')),
    sa.UniqueConstraint('assembly_id', 'document_number', name=op.f('uq_attendees_assembly_id_document_number')),
    sa.UniqueConstraint('ticket_token', name=op.f('uq_attendees_ticket_token'))
    )
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.create_index('ix_attendees_assembly_name_key', ['assembly_id', 'name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendees_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendees_table_id'), ['table_id'], unique=False)


    # groups and tables point at attendees, which point back at them: these keys come last.
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_groups_spokesperson_id_attendees'), 'attendees', ['spokesperson_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('tables', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_tables_leader_id_attendees'), 'attendees', ['leader_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_tables_spokesperson_id_attendees'), 'attendees', ['spokesperson_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('tables', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tables_spokesperson_id_attendees'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tables_leader_id_attendees'), type_='foreignkey')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_groups_spokesperson_id_attendees'), type_='foreignkey')
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendees_table_id'))
        batch_op.drop_index(batch_op.f('ix_attendees_group_id'))
        batch_op.drop_index('ix_attendees_assembly_name_key')

    op.drop_table('attendees')
    with op.batch_alter_table('tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tables_group_id'))

    op.drop_table('tables')
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steps_moment_id'))

    op.drop_table('steps')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_assembly_id'))

    op.drop_table('groups')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_themes_assembly_id'))

    op.drop_table('themes')
    with op.batch_alter_table('moments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moments_assembly_id'))

    op.drop_table('moments')
    op.drop_table('extra_questions')
    op.drop_table('users')
    op.drop_table('assemblies')
