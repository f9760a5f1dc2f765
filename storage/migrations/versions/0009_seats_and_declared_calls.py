"""seat people (holder, colleagues, usual attendee) and the day a declared call opens

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-23 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_opens", sa.Date(), nullable=True))
    op.create_table(
        "seat_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("usual", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_seat_people_municipality_id_municipalities"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_seat_people_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_seat_people_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_people")),
        sa.UniqueConstraint("network_id", "person_id", name=op.f("uq_seat_people_network_id")),
    )
    with op.batch_alter_table("seat_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_seat_people_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("seat_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seat_people_municipality_id"))
    op.drop_table("seat_people")
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_column("call_opens")
