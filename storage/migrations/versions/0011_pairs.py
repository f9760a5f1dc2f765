"""sparring pairs: rounds, groups, "did you meet?" answers, opt-outs and pauses

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-23 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pair_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_pair_rounds_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_rounds")),
        sa.UniqueConstraint("network_id", "day", name=op.f("uq_pair_rounds_network_id")),
    )
    op.create_table(
        "pair_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["pair_rounds.id"],
            name=op.f("fk_pair_groups_round_id_pair_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_groups")),
        sa.UniqueConstraint("round_id", "position", name=op.f("uq_pair_groups_round_id")),
    )
    op.create_table(
        "pair_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("municipality_key", sa.String(length=80), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("answered_by", sa.String(length=254), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["pair_groups.id"],
            name=op.f("fk_pair_answers_group_id_pair_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_answers")),
        sa.UniqueConstraint("group_id", "municipality_key", name=op.f("uq_pair_answers_group_id")),
    )
    op.create_table(
        "pair_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("municipality_key", sa.String(length=80), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_pair_preferences_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_preferences")),
        sa.UniqueConstraint(
            "network_id", "municipality_key", name=op.f("uq_pair_preferences_network_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("pair_preferences")
    op.drop_table("pair_answers")
    op.drop_table("pair_groups")
    op.drop_table("pair_rounds")
