"""complaints

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 00:21:38.697538
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('owner_user_id', sa.BigInteger(), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photos', sa.Text(), nullable=False),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('filed_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('first_handling_by', storage.types.UTCDateTime(), nullable=True),
    sa.Column('answer_by', storage.types.UTCDateTime(), nullable=False),
    sa.Column('resolve_by', storage.types.UTCDateTime(), nullable=False),
    sa.Column('handled_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('handled_by', sa.BigInteger(), nullable=True),
    sa.Column('solution', sa.Text(), nullable=True),
    sa.Column('proposed_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('closed_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('callback_due_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('callback_answer', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_status'))
        batch_op.drop_index(batch_op.f('ix_complaint_owner_user_id'))

    op.drop_table('complaint')
