"""The clock reads only due tickets (ticket.next_due_at, ticket.due_version) and owners due a
survey reminder (survey_recipient.last_asked_at); an engineer's jobs, due callbacks and
complaint callbacks are found by index

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 17:30:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# the statuses the clock never looks at (domain/job.py CLOSED), unless the owner is unhappy
CLOSED = ("closed", "closed_by_silence", "cancelled", "referred")
NEEDS_A_LOOK = datetime(2000, 1, 1, tzinfo=UTC)  # storage/ticket_clock.py, as it stood here


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("due_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index(batch_op.f("ix_ticket_next_due_at"), ["next_due_at"], unique=False)
        batch_op.create_index("ix_ticket_engineer_user_id_status", ["engineer_user_id", "status"], unique=False)
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.create_index("ix_callback_status_due_at", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_callback_status_asked_at", ["status", "asked_at"], unique=False)
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaint_callback_answer_callback_due_at", ["callback_answer", "callback_due_at"], unique=False
        )
    with op.batch_alter_table("survey_recipient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_asked_at", UTCDateTime(), nullable=True))
        batch_op.create_index(
            "ix_survey_recipient_survey_id_last_asked_at", ["survey_id", "last_asked_at"], unique=False
        )
        batch_op.create_index("ix_survey_recipient_survey_id_returned_at", ["survey_id", "returned_at"], unique=False)
    # who may still be reminded: those who have not answered (the most reminders is the
    # config's: one reminded the most times already keeps a time but is never picked)
    op.execute("UPDATE survey_recipient SET last_asked_at = COALESCE(reminded_at, asked_at) WHERE returned_at IS NULL")
    # every ticket the clock watches gets its moment computed on the first sweep
    op.execute(
        sa.text(
            "UPDATE ticket SET next_due_at = :moment WHERE status NOT IN :closed OR unhappy_since IS NOT NULL"
        ).bindparams(
            sa.bindparam("moment", NEEDS_A_LOOK, type_=UTCDateTime()),
            sa.bindparam("closed", CLOSED, expanding=True),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("survey_recipient", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_recipient_survey_id_returned_at")
        batch_op.drop_index("ix_survey_recipient_survey_id_last_asked_at")
        batch_op.drop_column("last_asked_at")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_callback_answer_callback_due_at")
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.drop_index("ix_callback_status_asked_at")
        batch_op.drop_index("ix_callback_status_due_at")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_engineer_user_id_status")
        batch_op.drop_index(batch_op.f("ix_ticket_next_due_at"))
        batch_op.drop_column("due_version")
        batch_op.drop_column("next_due_at")
