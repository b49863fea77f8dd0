"""engineer.can_message goes: nothing read it (whether an engineer can be written to is
learnt from Telegram's answer when a message is sent)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 15:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engineer", schema=None) as batch_op:
        batch_op.drop_column("can_message")


def downgrade() -> None:
    with op.batch_alter_table("engineer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("can_message", sa.Boolean(), nullable=False, server_default=sa.false()))
