"""Application prerequisites, online attendance, the Teams join link (branch h22trips)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 12:40:00.000000

What a network's application form asks for besides the basics (the SKL invitation's area
idea and working group: networks.application_requires) and an application's answers to it
(applications.area_idea, applications.working_group); whether a meeting may be attended online; the Teams meeting's join
link of a meeting's Outlook event, as Graph returned it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
# The meeting_events table (0013) lies on another branch than 0019.
depends_on: str | Sequence[str] | None = "0013"


def upgrade() -> None:
    # ADD COLUMN on both databases: a batch rebuild on SQLite would drop the table once, and
    # with foreign keys on that deletes what references it (see 0016).
    op.add_column(
        "networks",
        sa.Column("application_requires", sa.JSON(), nullable=False, server_default="[]"),
    )
    op.add_column(
        "meetings",
        sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("meeting_events", sa.Column("join_url", sa.Text(), nullable=True))
    for column in ("area_idea", "working_group"):
        op.add_column(
            "applications", sa.Column(column, sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    op.execute("ALTER TABLE applications DROP COLUMN working_group")
    op.execute("ALTER TABLE applications DROP COLUMN area_idea")
    op.execute("ALTER TABLE meeting_events DROP COLUMN join_url")
    op.execute("ALTER TABLE meetings DROP COLUMN online")
    op.execute("ALTER TABLE networks DROP COLUMN application_requires")
