"""The repair plan: when the engineer first surveyed the job, whether he marked it complex,
and the written plan he submitted (its text, expected finish and time)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 17:10:00
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("surveyed_at", storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("plan_complex", sa.Boolean(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("plan_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("plan_finish_by", storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("plan_at", storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("plan_at")
        batch_op.drop_column("plan_finish_by")
        batch_op.drop_column("plan_text")
        batch_op.drop_column("plan_complex")
        batch_op.drop_column("surveyed_at")
