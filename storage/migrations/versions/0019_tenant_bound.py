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
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tenant_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tenants", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_column("tenants")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("tenant_id")
