"""Photos of a report: sent one by one or as an album, at any step, acknowledged once."""

import asyncio
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiohttp import ClientError, ClientResponseError

from domain.categories import recognise_category
from domain.emergencies import recognise_emergency
from domain.units import Unit
from handlers.owner import emergency
from handlers.owner.albums import PhotoAcknowledger
from handlers.owner.filters import BoundOwner
from handlers.owner.states import Report
from handlers.owner.steps import ask_next, photo_required, save
from services.context import Services
from services.evidence import MAX_PIXELS, NotAPhoto, StoredPhoto
from services.intake import Draft
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.buttons import PhotosDone
from views.i18n import Translator
from views.notifier import DOCUMENT, Notifier
from views.replies import message_of

log = logging.getLogger(__name__)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/heic", "image/webp")
is_image_file = F.document.mime_type.in_(IMAGE_TYPES)
REFUSALS = {"unreadable": "report.photo_unreadable", "too_large": "report.photo_too_large"}


def setup() -> Router:
    router = Router(name="owner-photos")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    router.message.register(photo_received, StateFilter(None, Report), F.photo)
    router.message.register(photo_received, StateFilter(None, Report), is_image_file)
    router.callback_query.register(photos_done, Report.photos, PhotosDone.filter())
    return router


def download_from(bot: Bot):
    async def download(file_id: str) -> bytes | None:
        try:
            buffer = await bot.download(file_id.removeprefix(DOCUMENT))
        except (TelegramAPIError, ClientError, TimeoutError) as error:
            # never the error's text: a failed file download names its URL, and the URL holds the token
            log.warning("could not download photo %s: %s", file_id, _what_failed(error))
            return None
        return buffer.read() if buffer is not None else None

    return download


def _what_failed(error: Exception) -> str:
    if isinstance(error, ClientResponseError):
        return f"HTTP {error.status}"
    if isinstance(error, TelegramAPIError):
        return f"Telegram: {error.message}"
    return type(error).__name__


async def photo_received(
    message: Message,
    state: FSMContext,
    t: Translator,
    services: Services,
    acks: PhotoAcknowledger,
    bot: Bot,
    units: list[Unit],
    config: Config,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    offered = message.photo[-1] if message.photo else message.document
    if offered is None:  # registered for photos and image files only
        return
    current = await state.get_state()
    draft = Draft.from_data(await state.get_data())
    full = len(draft.photos) >= services.policy.max_photos
    if current is not None and (full or draft.has_photo(offered.file_unique_id)):
        # a full report takes no more; the same photo again (or its update delivered twice) counts once
        _acknowledge(message, current, draft, await state.get_data(), t, services, acks, bot, full)
        return
    acks.hold(message.chat.id)
    stored = await _store(message, offered.file_id, offered.file_unique_id, t, services, bot)
    if stored is None:
        acks.resume(message.chat.id)
        return
    # a caption is words like any: an emergency told in one starts at once, unless under way
    told_words = current in (None, Report.description.state) and not draft.emergency
    danger = recognise_emergency(message.caption or "") if told_words else None
    if danger is not None:  # told in the caption: safety first, the photo kept
        acks.discard(message.chat.id)
        draft.photos.append(stored.as_data())
        caption = message.caption or ""
        await emergency.told(
            message, caption, state, draft, danger, t, units, config, services, uow, notifier, language
        )
        return
    if current is None:
        current = await _start_with_photo(message, state, draft, services.policy.max_description)
    draft.photos.append(stored.as_data())
    if current == Report.description.state and message.caption:  # the caption answers the step
        acks.discard(message.chat.id)
        draft.description = message.caption.strip()[: services.policy.max_description]
        await ask_next(message, state, draft, t, units, config, services, uow)
        return
    if current == Report.summary.state:  # the summary to confirm shows the photo just added
        acks.discard(message.chat.id)
        await ask_next(message, state, draft, t, units, config, services, uow)
        return
    await save(state, draft)
    _acknowledge(message, current, draft, await state.get_data(), t, services, acks, bot, False)


async def _store(
    message: Message, file_id: str, unique_id: str, t: Translator, services: Services, bot: Bot
) -> StoredPhoto | None:
    """Fetch the photo and keep it as evidence; a refusal in the owner's words when it is
    not a photo we can read (the step stays where it was)."""
    telegram_id = file_id if message.photo else DOCUMENT + file_id
    content = await download_from(bot)(telegram_id)
    if content is None:
        await message.answer(t("report.photo_not_fetched"))
        return None
    try:
        # decoding and re-encoding a big photo takes a while: not on the loop that serves everyone
        return await asyncio.to_thread(services.photos.receive, telegram_id, unique_id, content)
    except NotAPhoto as refusal:
        await message.answer(t(REFUSALS[refusal.reason], max=MAX_PIXELS // 1_000_000))
        return None


def _acknowledge(
    message: Message,
    current: str | None,
    draft: Draft,
    data: dict,
    t: Translator,
    services: Services,
    acks: PhotoAcknowledger,
    bot: Bot,
    full: bool,
) -> None:
    text, markup = _acknowledgement(current, draft, data, t, services, full)
    chat_id = message.chat.id
    acks.schedule(chat_id, lambda: bot.send_message(chat_id, text, reply_markup=markup))


async def _start_with_photo(message: Message, state: FSMContext, draft: Draft, longest: int) -> str | None:
    """A photo out of the blue starts a report; its caption is the description (as long as
    a description may be)."""
    if message.caption:
        draft.description = message.caption.strip()[:longest]
    suggestion = recognise_category(draft.description or "")
    await save(state, draft)
    if suggestion is not None:
        await state.update_data(suggested=suggestion.code)
        await state.set_state(Report.suggestion)
        return Report.suggestion.state
    await state.set_state(Report.category)
    return Report.category.state


def _acknowledgement(
    current: str | None, draft: Draft, data: dict, t: Translator, services: Services, full: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    count = len(draft.photos)
    text = t("report.photos_received", count=count, max=services.policy.max_photos)
    if full:
        text += "\n" + t("report.photos_full", max=services.policy.max_photos)
    if current == Report.photos.state:
        return text + "\n" + t("report.photos_more"), keyboards.photos(t, photo_required(draft), count)
    if current == Report.category.state:
        return text + "\n" + t("report.ask_category"), keyboards.categories(t)
    if current == Report.suggestion.state:
        suggestion = render.category(t, data["suggested"])
        return text + "\n" + t("report.suggest", category=suggestion), keyboards.suggestion(t)
    if current == Report.description.state:  # the step still waits for its words
        return text + "\n" + t("report.ask_description"), None
    return text, None


async def photos_done(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    acks: PhotoAcknowledger,
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft = Draft.from_data(await state.get_data())
    if photo_required(draft) and not draft.photos:
        await message.answer(t("report.photo_required"))
        return
    acks.discard(message.chat.id)
    draft.photos_done = True
    await ask_next(message, state, draft, t, units, config, services, uow)
