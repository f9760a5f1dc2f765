"""questions to the network, the municipalities they asked, the answers heard

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-23 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("asker_key", sa.String(length=254), nullable=False),
        sa.Column("asker_name", sa.String(length=200), nullable=False),
        sa.Column("asker_municipality", sa.String(length=80), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("helpful_answer", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_questions_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint("network_id", "number", name=op.f("uq_questions_network_id")),
    )
    op.create_index(
        op.f("ix_questions_asker_municipality"), "questions", ["asker_municipality"], unique=False
    )
    op.create_index(op.f("ix_questions_asked_at"), "questions", ["asked_at"], unique=False)
    op.create_table(
        "question_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("municipality_key", sa.String(length=80), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_mentions_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_question_mentions_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_mentions")),
        sa.UniqueConstraint(
            "question_id", "municipality_key", name=op.f("uq_question_mentions_question_id")
        ),
    )
    op.create_index(
        op.f("ix_question_mentions_network_id"), "question_mentions", ["network_id"], unique=False
    )
    op.create_table(
        "question_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("author_key", sa.String(length=254), nullable=True),
        sa.Column("author_municipality", sa.String(length=80), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_answers_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_answers")),
        sa.UniqueConstraint("question_id", "number", name=op.f("uq_question_answers_question_id")),
    )
    op.create_index(
        op.f("ix_question_answers_author_municipality"),
        "question_answers",
        ["author_municipality"],
        unique=False,
    )
    op.create_index(
        op.f("ix_question_answers_answered_at"), "question_answers", ["answered_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("question_answers")
    op.drop_table("question_mentions")
    op.drop_table("questions")
