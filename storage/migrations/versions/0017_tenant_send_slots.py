"""tenant_send_slots: each tenant's next free send time, shared by the replicas

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:30:00.000000

Teams' per-tenant send limit holds for the bot as a whole; replicas reserve their sends
here instead of each keeping a share of the limit in memory.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tenant_send_slots",
        sa.Column("tenant", sa.String(100), primary_key=True),
        sa.Column("next_at", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tenant_send_slots")
