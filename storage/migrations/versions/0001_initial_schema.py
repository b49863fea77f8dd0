"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 23:05:04.022432
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('engineer',
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('can_message', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('telegram_user_id')
    )
    op.create_table('group_chat',
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('contractor_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('added_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('chat_id')
    )
    with op.batch_alter_table('group_chat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_chat_contractor_code'), ['contractor_code'], unique=False)

    op.create_table('owner_account',
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('bound_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('telegram_user_id')
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('block', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('handover_date', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('block', 'number')
    )
    op.create_table('user_preference',
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('telegram_user_id')
    )
    op.create_table('binding_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('binding_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_binding_request_telegram_user_id'), ['telegram_user_id'], unique=False)

    op.create_table('resident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'phone')
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_unit_id'), ['unit_id'], unique=False)

    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('owner_user_id', sa.BigInteger(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('block', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('public_area', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('trade', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('urgency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('visit_time', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('coverage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('contractor_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('engineer_user_id', sa.BigInteger(), nullable=True),
    sa.Column('engineer_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('filed_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('taken_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('accept_by', storage.types.UTCDateTime(), nullable=True),
    sa.Column('on_site_by', storage.types.UTCDateTime(), nullable=True),
    sa.Column('resolve_by', storage.types.UTCDateTime(), nullable=True),
    sa.Column('card_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('card_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_binding',
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('via', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('bound_at', storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('telegram_user_id', 'unit_id')
    )
    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('actor_user_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_event_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('exif_taken_at', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('received_at', storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_photo_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ticket_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_photo_ticket_id'))

    op.drop_table('ticket_photo')
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_event_ticket_id'))

    op.drop_table('ticket_event')
    op.drop_table('unit_binding')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_unit_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_status'))
        batch_op.drop_index(batch_op.f('ix_ticket_owner_user_id'))

    op.drop_table('ticket')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_unit_id'))
        batch_op.drop_index(batch_op.f('ix_resident_phone'))

    op.drop_table('resident')
    with op.batch_alter_table('binding_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_binding_request_telegram_user_id'))

    op.drop_table('binding_request')
    op.drop_table('user_preference')
    op.drop_table('unit')
    op.drop_table('owner_account')
    with op.batch_alter_table('group_chat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_chat_contractor_code'))

    op.drop_table('group_chat')
    op.drop_table('engineer')
    op.drop_table('conversation')
