"""The tables. Each maps to a domain value in repositories; handlers never see a row.

Every table is in this one module, on purpose: a newcomer looking for a table finds it
here, and the schema-matches-models test compares it with the migrations in one place.
That makes it over 300 lines (about 415, some 15 a table for 26 tables), with no logic to
split."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _when(nullable: bool = False, index: bool = False):
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def _chat_id(primary_key: bool = False, nullable: bool = True, index: bool = False):
    return Field(default=None, sa_type=BigInteger, primary_key=primary_key, nullable=nullable, index=index)


class UnitRow(SQLModel, table=True):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("block", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    block: str
    number: str
    handover_date: date | None = None


class ResidentRow(SQLModel, table=True):
    """An owner as the roster lists them: one row per unit they own."""

    __tablename__ = "resident"
    __table_args__ = (UniqueConstraint("unit_id", "phone"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str
    phone: str = Field(index=True)  # E.164
    language: str | None = None


class OwnerAccountRow(SQLModel, table=True):
    """A Telegram user who proved to be an owner."""

    __tablename__ = "owner_account"
    telegram_user_id: int = _chat_id(primary_key=True, nullable=False)
    name: str
    phone: str | None = None
    bound_at: datetime = _when()


class UnitBindingRow(SQLModel, table=True):
    __tablename__ = "unit_binding"
    telegram_user_id: int = _chat_id(primary_key=True, nullable=False)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    via: str  # "contact" or "manager"
    bound_at: datetime = _when()


class BindingRequestRow(SQLModel, table=True):
    """An owner the roster did not recognise, asking a manager to bind them to a unit."""

    __tablename__ = "binding_request"
    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = _chat_id(nullable=False, index=True)
    name: str
    username: str | None = None
    phone: str | None = None
    unit_id: int = Field(foreign_key="unit.id")
    status: str = "pending"  # pending, approved, rejected
    created_at: datetime = _when()
    decided_by: int | None = _chat_id()
    decided_at: datetime | None = _when(nullable=True)


class TicketRow(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (Index("ix_ticket_engineer_user_id_status", "engineer_user_id", "status"),)  # an engineer's /my
    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, unique=True)
    owner_user_id: int = _chat_id(nullable=False, index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    block: str
    public_area: str | None = None
    category: str
    trade: str
    urgency: str
    description: str = Field(sa_column=Column(Text, nullable=False))
    visit_time: str
    coverage: str
    status: str = Field(index=True)
    contractor_code: str | None = None
    engineer_user_id: int | None = _chat_id()
    engineer_name: str | None = None
    language: str
    filed_at: datetime = _when()
    taken_at: datetime | None = _when(nullable=True)
    accept_by: datetime | None = _when(nullable=True)
    on_site_by: datetime | None = _when(nullable=True)
    resolve_by: datetime | None = _when(nullable=True)
    card_chat_id: int | None = _chat_id()
    card_message_id: int | None = None
    plan_by: datetime | None = _when(nullable=True)  # the written plan, counted from the survey
    visit_at: datetime | None = _when(nullable=True)
    visit_slots: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    paused_since: datetime | None = _when(nullable=True)
    proposed_resolve_by: datetime | None = _when(nullable=True)  # waiting for parts: a new date asked
    done_at: datetime | None = _when(nullable=True)
    done_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reopen_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    confirmed_at: datetime | None = _when(nullable=True)
    caused_by_rain: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    repeat_of: int | None = Field(default=None, foreign_key="ticket.id")  # the earlier repair it repeats
    repeat_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # times repaired before
    unhappy_since: datetime | None = _when(nullable=True)  # a callback was answered "not satisfied"
    unhappy_worst: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    quote: str | None = None  # paid work: the engineer's price and what it covers
    quote_status: str | None = None  # proposed, accepted, declined, disputed
    intake_key: str | None = Field(default=None, unique=True, index=True)  # the report filed: once
    surveyed_at: datetime | None = _when(nullable=True)  # the engineer's first arrival on site
    plan_complex: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    plan_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    plan_finish_by: datetime | None = _when(nullable=True)  # the expected finish the plan gives
    plan_at: datetime | None = _when(nullable=True)  # when the plan was submitted
    channel: str | None = None  # filed by staff: "phone" or "walk_in"; None when the owner wrote himself
    filed_by: int | None = _chat_id()  # the staff member who filed it for the owner
    contact_name: str | None = None  # an owner not in Telegram: whom the engineer calls
    contact_phone: str | None = None  # E.164
    verified_at: datetime | None = _when(nullable=True)  # a public-area repair checked on site
    verified_by: int | None = _chat_id()
    # When the clock must next look at it (domain/escalation.py next_due_at), so a sweep reads
    # only what is due; None when nothing ever will be. Every change to the ticket sets it to
    # NEEDS_A_LOOK (storage/tickets.py) and bumps due_version, so the sweep recomputes it and
    # never writes a moment computed from a state that changed meanwhile.
    next_due_at: datetime | None = _when(nullable=True, index=True)
    due_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class TicketPhotoRow(SQLModel, table=True):
    """A photo kept as evidence: the original bytes on disk, their hash and EXIF time."""

    __tablename__ = "ticket_photo"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    stage: str  # "before" (with the report) or "after" (with the completion)
    file_id: str
    path: str | None = None  # None when the download failed: the file id still shows it
    sha256: str | None = None
    size: int | None = None
    exif_taken_at: str | None = None  # as the camera wrote it: local time, no zone
    shared_path: str | None = None  # a re-encoded copy without EXIF: what others are sent
    received_at: datetime = _when()


class TicketEventRow(SQLModel, table=True):
    """The ticket's history: who did what, when."""

    __tablename__ = "ticket_event"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = _when()
    actor_user_id: int | None = _chat_id()
    kind: str
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON


class GroupChatRow(SQLModel, table=True):
    """A group the bot was added to, and the contractor bound to it with /bind."""

    __tablename__ = "group_chat"
    chat_id: int = _chat_id(primary_key=True, nullable=False)
    title: str
    contractor_code: str | None = Field(default=None, index=True)
    active: bool = True
    added_at: datetime = _when()


class ChatTroubleRow(SQLModel, table=True):
    """A staff chat Telegram will not take messages for: upgraded to a supergroup (its
    messages go to `moved_to` now) or closed to the bot (they wait; the managers were told)."""

    __tablename__ = "chat_trouble"
    chat_id: int = _chat_id(primary_key=True, nullable=False)
    moved_to: int | None = _chat_id()
    unreachable_since: datetime | None = _when(nullable=True)
    error: str | None = None


class EngineerRow(SQLModel, table=True):
    __tablename__ = "engineer"
    telegram_user_id: int = _chat_id(primary_key=True, nullable=False)
    name: str
    username: str | None = None


class ConversationRow(SQLModel, table=True):
    """aiogram FSM state and data, so a half-written report survives a restart."""

    __tablename__ = "conversation"
    key: str = Field(primary_key=True)
    state: str | None = None
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON


class UserPreferenceRow(SQLModel, table=True):
    """What any Telegram user chose for themselves: their language."""

    __tablename__ = "user_preference"
    telegram_user_id: int = _chat_id(primary_key=True, nullable=False)
    language: str


class OutboxRow(SQLModel, table=True):
    """A message to Telegram, written in the same transaction as the change that caused
    it, and sent later by the sender (delivery/sender.py) within Telegram's limits."""

    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _chat_id(nullable=False, index=True)
    method: str  # sendMessage, sendMediaGroup, sendPhoto, sendDocument, editMessageText, editCard
    payload: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    purpose: str | None = None  # what to do once sent or refused (views/notifier.py)
    ticket_id: int | None = Field(default=None, index=True)
    coalesce_key: str | None = Field(default=None, index=True)
    status: str = Field(default="pending", index=True)  # pending, sent, failed
    attempts: int = 0
    created_at: datetime = _when()
    not_before: datetime = _when()
    claimed_until: datetime | None = _when(nullable=True)
    claimed_by: str | None = None  # the sender holding it (delivery/sender.py), while claimed_until lasts
    sent_at: datetime | None = _when(nullable=True)
    message_id: int | None = None
    error: str | None = None


class NoticeRow(SQLModel, table=True):
    """A reminder or alert the clock has sent for a ticket; the unique key makes the sweep
    idempotent: two sweeps at once, or one after a restart, send it once."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("ticket_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    key: str  # e.g. "remind:accept", "missed:resolve:2"
    at: datetime = _when()


class CallbackRow(SQLModel, table=True):
    """A callback (回访) to the owner: scheduled, asked, answered or unanswered."""

    __tablename__ = "callback"
    # the clock's two questions: which scheduled callbacks are due, which asked ones wait
    __table_args__ = (
        Index("ix_callback_status_due_at", "status", "due_at"),
        Index("ix_callback_status_asked_at", "status", "asked_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    kind: str  # repair, rain (held until the next rain)
    due_at: datetime | None = _when(nullable=True, index=True)
    status: str = Field(default="scheduled", index=True)  # scheduled, held, asked, answered, unanswered
    asked_at: datetime | None = _when(nullable=True)
    asked_again_at: datetime | None = _when(nullable=True)
    answered_at: datetime | None = _when(nullable=True)
    still_fixed: bool | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class RatingRow(SQLModel, table=True):
    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("callback_id", "dimension"),)
    id: int | None = Field(default=None, primary_key=True)
    callback_id: int = Field(foreign_key="callback.id", index=True)
    dimension: str
    score: int  # 1 = the best answer of the scale


class SentOnceRow(SQLModel, table=True):
    """Reminders that are not about a ticket (a unit's warranty ending): sent once per key."""

    __tablename__ = "sent_once"
    key: str = Field(primary_key=True)
    at: datetime = _when()


class ComplaintRow(SQLModel, table=True):
    """An owner's complaint (投诉), with its severity's deadlines and the owner's say on the solution."""

    __tablename__ = "complaint"
    # the clock's question: which closed complaints are due their callback
    __table_args__ = (Index("ix_complaint_callback_answer_callback_due_at", "callback_answer", "callback_due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, unique=True)
    owner_user_id: int = _chat_id(nullable=False, index=True)
    topic: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    photos: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # Telegram file ids, JSON
    severity: str
    status: str = Field(default="open", index=True)  # open, handling, proposed, closed, closed_by_silence
    language: str
    filed_at: datetime = _when()
    first_handling_by: datetime | None = _when(nullable=True)
    answer_by: datetime = _when()
    resolve_by: datetime = _when()
    handled_at: datetime | None = _when(nullable=True)
    handled_by: int | None = _chat_id()
    solution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    proposed_at: datetime | None = _when(nullable=True)
    closed_at: datetime | None = _when(nullable=True)
    callback_due_at: datetime | None = _when(nullable=True)  # complaint callbacks are 100% (docs/rules.md)
    callback_answer: str | None = None  # satisfied, unsatisfied, unanswered


class HandledUpdateRow(SQLModel, table=True):
    """A Telegram update the bot has taken in: Telegram may deliver one twice (a webhook
    answered late, a restart before the offset moved on); the key makes the second a no-op."""

    __tablename__ = "handled_update"
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    received_at: datetime = _when(index=True)


class SurveyRow(SQLModel, table=True):
    """A satisfaction survey (满意度调查) sent to the owners in its scope through the chat."""

    __tablename__ = "survey"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # manual, yearly, move_in
    scope: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON: all, blocks, moved_in
    scale: int  # 3 or 4 levels
    suggestion: bool = True  # a free-text suggestion is asked after the scores
    created_by: int | None = _chat_id()
    created_at: datetime = _when()
    closes_at: datetime = _when(index=True)
    status: str = Field(default="open", index=True)  # open, closed
    closed_at: datetime | None = _when(nullable=True)
    progress_chat_id: int | None = _chat_id()  # the managers' chat with the live progress message
    progress_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SurveyQuestionRow(SQLModel, table=True):
    __tablename__ = "survey_question"
    __table_args__ = (UniqueConstraint("survey_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True)
    position: int
    dimension: str


class SurveyRecipientRow(SQLModel, table=True):
    """One owner asked once per survey: the unique key keeps a second ask from happening."""

    __tablename__ = "survey_recipient"
    __table_args__ = (
        UniqueConstraint("survey_id", "owner_user_id"),
        # the clock's questions: who is due a reminder, how many answered
        Index("ix_survey_recipient_survey_id_last_asked_at", "survey_id", "last_asked_at"),
        Index("ix_survey_recipient_survey_id_returned_at", "survey_id", "returned_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True)
    owner_user_id: int = _chat_id(nullable=False, index=True)
    units: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON: unit ids in scope
    asked_at: datetime = _when()
    reminders: int = 0
    reminded_at: datetime | None = _when(nullable=True)
    returned_at: datetime | None = _when(nullable=True)
    suggestion: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    unhappy: bool = False  # an answer below "satisfied": the customer-service manager calls back
    # the first ask or the last reminder, while another reminder may follow: None once the
    # owner answered or was reminded the most times (storage/surveys.py)
    last_asked_at: datetime | None = _when(nullable=True)


class SurveyAnswerRow(SQLModel, table=True):
    __tablename__ = "survey_answer"
    __table_args__ = (UniqueConstraint("recipient_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="survey_recipient.id", index=True)
    question_id: int = Field(foreign_key="survey_question.id", index=True)
    score: int  # 1 = the best answer of the scale
    answered_at: datetime = _when()


class WorkRecordRow(SQLModel, table=True):
    """The engineer's record of one round of a repair (a redo after "not fixed" is a round of
    its own): the fault found and, for paid work, what was collected against the receipt."""

    __tablename__ = "work_record"
    __table_args__ = (UniqueConstraint("ticket_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    round: int = 0  # the ticket's reopen_count when the job was done
    engineer_user_id: int | None = _chat_id()
    fault_code: str | None = None  # a common fault chosen by button (domain/work_record.py)
    fault: str = Field(sa_column=Column(Text, nullable=False))
    paid: bool = False
    quoted_fen: int | None = None  # the accepted price, when the quote names one
    collected_fen: int | None = None
    collected_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recorded_at: datetime = _when()


class WorkMaterialRow(SQLModel, table=True):
    """One line of materials used: what, how much, and the line's cost."""

    __tablename__ = "work_material"
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="work_record.id", index=True)
    position: int
    name: str
    quantity: str  # a decimal as written ("1.5"): exact, and every database keeps text alike
    unit: str = ""
    cost_fen: int
