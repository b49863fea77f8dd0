"""The data behind every inline button. Anything can be forged by a client, so each
handler checks what the button names against the database before acting."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from domain.categories import Urgency
from domain.complaints import Severity, Topic
from domain.job import Action
from domain.roles import Duty


class SummaryChoice(StrEnum):
    CONFIRM = "confirm"
    EDIT = "edit"
    CANCEL = "cancel"
    BEFORE = "before"  # this happened before: pick the earlier repair


class CardChoice(StrEnum):
    TAKE = "take"
    DECLINE = "decline"


class ComplaintChoice(StrEnum):
    TAKE = "take"  # in hand
    PROPOSE = "propose"  # a solution


class QuoteChoice(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    DISPUTE = "dispute"


class CategoryPick(CallbackData, prefix="cat"):
    code: str


class SuggestionAnswer(CallbackData, prefix="sug"):
    accept: bool


class PlacePick(CallbackData, prefix="place"):
    unit_id: int = 0  # 0: a public area of `block`
    block: str = ""


class PhotosDone(CallbackData, prefix="photos"):
    pass


class VisitPick(CallbackData, prefix="visit"):
    code: str


class SummaryAction(CallbackData, prefix="sum"):
    action: SummaryChoice


class EditField(CallbackData, prefix="edit"):
    step: str


class JobAction(CallbackData, prefix="job"):
    action: CardChoice
    ticket_id: int


class AssignTo(CallbackData, prefix="assign"):
    ticket_id: int
    contractor: str


class HelpRequest(CallbackData, prefix="help"):
    pass


class BlockPick(CallbackData, prefix="blk"):
    block: str


class BindingDecision(CallbackData, prefix="bindreq"):
    approve: bool
    request_id: int


class TicketOpen(CallbackData, prefix="open"):
    ticket_id: int


class LanguagePick(CallbackData, prefix="lang"):
    code: str


class JobStep(CallbackData, prefix="step"):
    """A button of the engineer's job panel."""

    action: Action
    ticket_id: int


class SlotPick(CallbackData, prefix="slot"):
    ticket_id: int
    minute: int  # the slot, in minutes since the epoch (UTC); 0 sends the chosen slots


class VisitChoice(CallbackData, prefix="visitat"):
    ticket_id: int
    minute: int  # 0: none of these suits the owner


class PartsDays(CallbackData, prefix="parts"):
    ticket_id: int
    days: int


class OwnerAway(CallbackData, prefix="away"):
    ticket_id: int
    reason: str  # nobody_home, later_day


class FixedAnswer(CallbackData, prefix="fixed"):
    ticket_id: int
    fixed: bool


class NewDateAnswer(CallbackData, prefix="newdate"):
    ticket_id: int
    agree: bool


class ExtensionAgreement(CallbackData, prefix="extok"):
    """How the owner agrees to a manager's extension past the rules: asked in the chat
    (how="owner") or already on the phone (how="phone")."""

    ticket_id: int
    how: str


class DateApproval(CallbackData, prefix="dateok"):
    """A manager accepts the new resolve-by date an engineer asked for."""

    ticket_id: int


class FinishPhotosDone(CallbackData, prefix="fin"):
    ticket_id: int


class FaultPick(CallbackData, prefix="fault"):
    """A common fault of the job's trade (domain/work_record.py faults_for)."""

    ticket_id: int
    code: str


class MaterialsDone(CallbackData, prefix="mats"):
    """No (more) materials: on to the photos of the result."""

    ticket_id: int


class RecordAnswer(CallbackData, prefix="wrec"):
    """The work record's summary: confirm it (the job is done) or start it over."""

    ticket_id: int
    confirm: bool


class ManagerTicket(CallbackData, prefix="mgr"):
    """A manager's button on an alert or a ticket."""

    action: Duty  # domain/roles.py: who may press which is decided there
    ticket_id: int


class UrgencyPick(CallbackData, prefix="urg"):
    ticket_id: int
    urgency: Urgency


class CallbackReply(CallbackData, prefix="cb"):
    """A callback's first question: is the repair still holding?"""

    callback_id: int
    fixed: bool


class RatingScore(CallbackData, prefix="rate"):
    callback_id: int
    step: int  # which question of the rating
    score: int  # 1 = the best answer of the scale


class CommentSkip(CallbackData, prefix="nocomment"):
    callback_id: int


class ManagerVisit(CallbackData, prefix="visited"):
    """The repair manager looked at a repeat repair personally."""

    ticket_id: int


class RainCause(CallbackData, prefix="rain"):
    ticket_id: int
    rain: bool


class StartReport(CallbackData, prefix="newreport"):
    pass


class ComplaintTopicPick(CallbackData, prefix="ctopic"):
    topic: Topic


class ComplaintSend(CallbackData, prefix="csend"):
    pass


class ComplaintAction(CallbackData, prefix="cact"):
    """A manager's button on a complaint."""

    action: ComplaintChoice
    complaint_id: int


class ComplaintSeverityPick(CallbackData, prefix="csev"):
    complaint_id: int
    severity: Severity


class ComplaintAnswer(CallbackData, prefix="cans"):
    """The owner agrees to the proposed solution, or not."""

    complaint_id: int
    agree: bool


class ComplaintCallbackAnswer(CallbackData, prefix="ccb"):
    complaint_id: int
    satisfied: bool


class QuoteStart(CallbackData, prefix="quote"):
    ticket_id: int


class QuoteAnswer(CallbackData, prefix="qans"):
    ticket_id: int
    choice: QuoteChoice


class EarlierPick(CallbackData, prefix="before"):
    """The owner says this happened before: the earlier ticket (0: none of these)."""

    ticket_id: int


class TradeMenu(CallbackData, prefix="trades"):
    """Open the list of trades to move a report to (engineer holding it, or a manager)."""

    ticket_id: int


class TradePick(CallbackData, prefix="trade"):
    ticket_id: int
    trade: str


class EmergencyPick(CallbackData, prefix="emkind"):
    kind: str  # an EmergencyKind


class PlanStep(CallbackData, prefix="plan"):
    """The written repair plan from the job panel: write it ("write"), or mark the repair
    complex ("complex"), which gives the plan 24 hours (services/plans.py)."""

    step: str
    ticket_id: int


class PlanFinish(CallbackData, prefix="planend"):
    """The plan's expected finish: the office closing so many days from today."""

    ticket_id: int
    days: int


class ListPage(CallbackData, prefix="page"):
    """Previous or Next under a list that has more than one page (views/pages.py); a
    manager's /open carries its filters along."""

    kind: str  # open, overdue, jobs (an engineer's), mine (an owner's)
    page: int  # from 0
    block: str = ""
    contractor: str = ""
    urgency: str = ""


class JobOpen(CallbackData, prefix="job"):
    """A job in the engineer's list: its details and its panel."""

    ticket_id: int
