"""cadence_steps.reported_at: skipped steps are told to the organisers in one notice

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 13:40:00.000000

Skipped steps were told one notice each until now: those already skipped count as told.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "cadence_steps", sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        "UPDATE cadence_steps SET reported_at = COALESCE(ran_at, updated_at) "
        "WHERE status = 'skipped'"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE cadence_steps DROP COLUMN reported_at")
