"""chat troubles: groups upgraded to supergroups, staff chats closed to the bot

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 14:30:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_trouble',
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('moved_to', sa.BigInteger(), nullable=True),
    sa.Column('unreachable_since', storage.types.UTCDateTime(), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('chat_id')
    )


def downgrade() -> None:
    op.drop_table('chat_trouble')
