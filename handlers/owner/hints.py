"""Whatever does not fit the step (a sticker, a voice message, a file where a photo is
asked) gets a hint for that step, and the step is kept."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from handlers.owner.filters import BoundOwner
from handlers.owner.states import Report
from views.i18n import Translator


def setup() -> Router:
    router = Router(name="owner-hints")
    router.message.register(hint, StateFilter(Report))
    # a voice message, a sticker, a location, a video, a file at no step: what the bot reads
    router.message.register(idle_hint, StateFilter(None), BoundOwner(), ~F.text.startswith("/"))
    return router


async def idle_hint(message: Message, t: Translator) -> None:
    await message.answer(t("hint.idle"))


async def hint(message: Message, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    if current is None:  # StateFilter(Report) lets only the report's steps through
        return
    step = current.split(":")[-1]
    await message.answer(t(f"hint.{step}") + "\n" + t("hint.cancel"))
