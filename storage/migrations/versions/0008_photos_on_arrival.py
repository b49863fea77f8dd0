"""filing once: the report a ticket was filed from; photos' copies without EXIF

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 14:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f('ix_ticket_intake_key'), ['intake_key'], unique=True)
    with op.batch_alter_table('ticket_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_path', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket_photo', schema=None) as batch_op:
        batch_op.drop_column('shared_path')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_intake_key'))
        batch_op.drop_column('intake_key')
