"""ticket.channel, ticket.filed_by: a report customer service filed for an owner (by phone
or at the desk), with contact_name and contact_phone when the owner is not in Telegram;
ticket.verified_at, ticket.verified_by: a public-area repair checked on site

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 17:10:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("filed_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("contact_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("verified_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("verified_by", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("verified_by")
        batch_op.drop_column("verified_at")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_name")
        batch_op.drop_column("filed_by")
        batch_op.drop_column("channel")
