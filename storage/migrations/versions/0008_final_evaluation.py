"""the network's final evaluation: opened once, anonymous answers, who answered

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _network_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["network_id"],
        ["networks.id"],
        name=op.f(f"fk_{table}_network_id_networks"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "final_evaluations",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=254), nullable=False),
        _network_fk("final_evaluations"),
        sa.PrimaryKeyConstraint("network_id", name=op.f("pk_final_evaluations")),
    )
    op.create_table(
        "final_evaluation_answers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("take_home", sa.Text(), nullable=False),
        sa.Column("recommend", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        _network_fk("final_evaluation_answers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_final_evaluation_answers")),
    )
    op.create_index(
        op.f("ix_final_evaluation_answers_network_id"),
        "final_evaluation_answers",
        ["network_id"],
        unique=False,
    )
    op.create_table(
        "final_evaluation_respondents",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _network_fk("final_evaluation_respondents"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_final_evaluation_respondents_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "network_id", "person_id", name=op.f("pk_final_evaluation_respondents")
        ),
    )


def downgrade() -> None:
    op.drop_table("final_evaluation_respondents")
    op.drop_index(
        op.f("ix_final_evaluation_answers_network_id"), table_name="final_evaluation_answers"
    )
    op.drop_table("final_evaluation_answers")
    op.drop_table("final_evaluations")
