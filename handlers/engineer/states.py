"""What the engineer types in his private chat while a job goes on, and the hint when he
sends something else at one of these steps."""

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from views.i18n import Translator

MAX_NOTE = 1000


class Finishing(StatesGroup):
    quote = State()
    parts_reason = State()
    note = State()  # the work record (handlers/engineer/work_record.py): the fault found
    materials = State()
    material_detail = State()  # a material named alone: how much, and the cost
    photos = State()
    receipt = State()  # paid work only
    collected = State()
    summary = State()


async def hint(message: Message, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    if current is None:  # registered only for the steps of Finishing
        return
    await message.answer(t(f"finish.hint.{current.split(':')[-1]}"))
