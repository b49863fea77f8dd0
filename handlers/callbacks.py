"""The data behind every inline button. Anything can be forged by a client, so each
handler checks what the button names against the database before acting."""
from aiogram.filters.callback_data import CallbackData


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
    action: str  # confirm, edit, cancel


class EditField(CallbackData, prefix="edit"):
    step: str


class JobAction(CallbackData, prefix="job"):
    action: str  # take, decline
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
