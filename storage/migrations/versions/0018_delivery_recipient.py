"""deliveries.recipient_id: a message for a person whose personal chat is still to be opened

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 05:00:00.000000

The outbox worker opens the chat when it delivers; until then the delivery names the person.
Erasing the person removes their deliveries with them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_deliveries_recipient_id"), ["recipient_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_deliveries_recipient_id_people"),
            "people",
            ["recipient_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_deliveries_recipient_id_people"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_deliveries_recipient_id"))
        batch_op.drop_column("recipient_id")
