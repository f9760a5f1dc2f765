"""people.tenant_id and networks.tenants: the tenant boundary (branch tenant)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 05:30:00.000000

A person's Teams ids are bound to the tenant they were first identified in; a network's
file may allow tenants besides those of its linked channels.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN on both databases: a batch rebuild of networks on SQLite would drop the
    # table once, and with foreign keys on that deletes what references it (see 0016).
    op.add_column("people", sa.Column("tenant_id", sa.String(length=64), nullable=True))
    op.add_column("networks", sa.Column("tenants", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    op.execute("ALTER TABLE networks DROP COLUMN tenants")
    op.execute("ALTER TABLE people DROP COLUMN tenant_id")
