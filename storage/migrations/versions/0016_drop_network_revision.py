"""networks.revision and its triggers dropped: no meeting state is kept in a process any more

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:00:00.000000

Migration 0015 bumped a network's revision on every change to what a meeting card shows, so a
process could keep that part of a meeting in memory. Every click now reads the meeting in its
own unit of work, so nothing reads the revision: the triggers (and their functions on
PostgreSQL) go first, then the column. The column is dropped with ALTER TABLE ... DROP COLUMN
on both databases (SQLite >= 3.35): rebuilding the networks table, as a batch operation
would on SQLite, drops it once, and with foreign keys on that deletes what references it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept here, not imported: a migration must not change when the application's code does.
BY_NETWORK = ("seats", "material", "meetings")
BY_MEETING = ("programme_items", "cases")
POSTGRES_FUNCTIONS = ("self", "municipality", "by_network", "by_meeting")


def _drop_triggers(dialect: str) -> None:
    tables = BY_NETWORK + BY_MEETING
    if dialect == "postgresql":
        for table in (*tables, "networks", "municipalities"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
        for name in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS netpuls_revision_{name}()")
        return
    op.execute("DROP TRIGGER IF EXISTS networks_revision")
    op.execute("DROP TRIGGER IF EXISTS municipalities_revision")
    for table in tables:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{event}")


def upgrade() -> None:
    _drop_triggers(op.get_bind().dialect.name)
    op.execute("ALTER TABLE networks DROP COLUMN revision")


def downgrade() -> None:
    # The column comes back without its triggers: a process of 0015's code that keeps meeting
    # states would then keep them too long. Downgrade to 0014 instead of running that code.
    op.add_column(
        "networks", sa.Column("revision", sa.BigInteger(), server_default="1", nullable=False)
    )
