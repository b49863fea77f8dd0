"""job workflow and the clock

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:25:47.166198
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_id', 'key')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_by', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('visit_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('visit_slots', sa.Text(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('paused_since', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('proposed_resolve_by', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('done_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('done_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reopen_count', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('reopen_count')
        batch_op.drop_column('done_note')
        batch_op.drop_column('done_at')
        batch_op.drop_column('proposed_resolve_by')
        batch_op.drop_column('paused_since')
        batch_op.drop_column('visit_slots')
        batch_op.drop_column('visit_at')
        batch_op.drop_column('plan_by')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_ticket_id'))

    op.drop_table('notice')
