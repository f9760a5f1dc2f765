"""shared material (files and links) per network and meeting

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('shared_by', sa.String(length=254), nullable=False),
    sa.Column('shared_by_name', sa.String(length=200), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('drive_id', sa.String(length=200), nullable=True),
    sa.Column('drive_item_id', sa.String(length=200), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_material_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_material_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material')),
    sa.UniqueConstraint('drive_item_id', 'network_id', name=op.f('uq_material_drive_item_id')),
    sa.UniqueConstraint('sha256', 'network_id', name=op.f('uq_material_sha256'))
    )
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_material_network_id'), ['network_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_network_id'))
        batch_op.drop_index(batch_op.f('ix_material_meeting_id'))

    op.drop_table('material')
