"""handled updates, so a Telegram update delivered twice has one effect

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 14:30:00
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handled_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("update_id"),
    )
    with op.batch_alter_table("handled_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handled_update_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handled_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handled_update_received_at"))
    op.drop_table("handled_update")
