"""the work record: the fault found, the materials used, what paid work collected

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 17:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("engineer_user_id", sa.BigInteger(), nullable=True),
        sa.Column("fault_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("fault", sa.Text(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("quoted_fen", sa.Integer(), nullable=True),
        sa.Column("collected_fen", sa.Integer(), nullable=True),
        sa.Column("collected_reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "round"),
    )
    with op.batch_alter_table("work_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_record_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "work_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("quantity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cost_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["work_record.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_material", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_material_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("work_material", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_material_record_id"))
    op.drop_table("work_material")
    with op.batch_alter_table("work_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_record_ticket_id"))
    op.drop_table("work_record")
