"""yes/no answers tri-state: sí / no / sin dato

The form's yes/no questions (disability, victim, migrant, knows the PIT, took part before)
become nullable: NULL is "not answered", counted apart as "sin dato" in every report, never
as "No". Existing rows keep their stored values: this migration cannot know which stored
"No" was a real answer and which was a question nobody asked (the old form and importer
stored a blank as False), so it leaves them as they are; every new answer is tri-state.

The downgrade turns "not answered" back into False (the old schema has no way to say it):
that loses the difference, which is why it is only for going back a release.

Revision ID: f12a3b4c5d60
Revises: 5e01be79693a
Create Date: 2026-12-02 15:10:00

"""

from alembic import op
import sqlalchemy as sa


revision = "f12a3b4c5d60"
down_revision = "5e01be79693a"
branch_labels = None
depends_on = None

_QUESTIONS = ("has_disability", "is_victim", "is_migrant", "knows_pit", "took_part_before")


def upgrade():
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        for name in _QUESTIONS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True)


def downgrade():
    attendees = sa.table("attendees", *(sa.column(name, sa.Boolean()) for name in _QUESTIONS))
    for name in _QUESTIONS:
        op.execute(
            attendees.update().where(attendees.c[name].is_(None)).values({name: False})
        )
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        for name in _QUESTIONS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
