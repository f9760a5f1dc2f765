"""cases, host proposals, summaries, evaluations and the audit log

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _meeting_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['meeting_id'], ['meetings.id'], name=op.f(f'fk_{table}_meeting_id_meetings'), ondelete='CASCADE'
    )


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network', sa.String(length=80), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_network'), 'audit_log', ['network'], unique=False)
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('sparring_notes', sa.Text(), nullable=False),
    sa.Column('notes_by', sa.String(length=254), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _meeting_fk('cases'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_cases_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_cases_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    op.create_index(op.f('ix_cases_meeting_id'), 'cases', ['meeting_id'], unique=False)
    # Answers carry no person, no time and a random id; who answered lives in its own table.
    op.create_table('evaluation_answers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    _meeting_fk('evaluation_answers'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers'))
    )
    op.create_index(op.f('ix_evaluation_answers_meeting_id'), 'evaluation_answers', ['meeting_id'], unique=False)
    op.create_table('evaluation_respondents',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    _meeting_fk('evaluation_respondents'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_evaluation_respondents_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'person_id', name=op.f('pk_evaluation_respondents'))
    )
    op.create_table('host_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('programme', sa.JSON(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('what_to_see', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _meeting_fk('host_plans'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_host_plans')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_host_plans_meeting_id'))
    )
    op.create_table('summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('key_points', sa.Text(), nullable=False),
    sa.Column('good_advice', sa.Text(), nullable=False),
    sa.Column('experiences', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('case_notes', sa.JSON(), nullable=False),
    sa.Column('posted', sa.Boolean(), nullable=False),
    sa.Column('author', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders', sa.Integer(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    _meeting_fk('summaries'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summaries')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_summaries_meeting_id'))
    )


def downgrade() -> None:
    op.drop_table('summaries')
    op.drop_table('host_plans')
    op.drop_table('evaluation_respondents')
    op.drop_index(op.f('ix_evaluation_answers_meeting_id'), table_name='evaluation_answers')
    op.drop_table('evaluation_answers')
    op.drop_index(op.f('ix_cases_meeting_id'), table_name='cases')
    op.drop_table('cases')
    op.drop_index(op.f('ix_audit_log_network'), table_name='audit_log')
    op.drop_table('audit_log')
