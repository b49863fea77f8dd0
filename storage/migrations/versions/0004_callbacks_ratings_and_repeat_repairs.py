"""callbacks, ratings and repeat repairs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 00:03:30.750739
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sent_once',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('callback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('asked_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('asked_again_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('still_fixed', sa.Boolean(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['callback_id'], ['callback.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('callback_id', 'dimension')
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_callback_id'), ['callback_id'], unique=False)

    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('caused_by_rain', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('repeat_of', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('repeat_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('unhappy_since', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('unhappy_worst', sa.Boolean(), server_default='0', nullable=False))
        batch_op.create_foreign_key('fk_ticket_repeat_of', 'ticket', ['repeat_of'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        # WARNING: constraint name is None; this directive will fail as
        # rendered.  Add a name, or use a naming convention; see
        # https://alembic.sqlalchemy.org/en/latest/naming.html
        batch_op.drop_constraint('fk_ticket_repeat_of', type_='foreignkey')
        batch_op.drop_column('unhappy_worst')
        batch_op.drop_column('unhappy_since')
        batch_op.drop_column('repeat_count')
        batch_op.drop_column('repeat_of')
        batch_op.drop_column('caused_by_rain')
        batch_op.drop_column('confirmed_at')

    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_callback_id'))

    op.drop_table('rating')
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_callback_status'))
        batch_op.drop_index(batch_op.f('ix_callback_due_at'))

    op.drop_table('callback')
    op.drop_table('sent_once')
