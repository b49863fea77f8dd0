"""A manager's decision shown on the message that asked for it: written under its text,
or the text replaced. Telegram lets the bot edit a message only while it still shows it
(up to 48 hours); an older one gets the decision as a message of its own instead."""

from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from views.replies import editable_message_of, message_of


async def note_decision(query: CallbackQuery, line: str) -> None:
    """Write the decision under the tapped message's text (who decided what)."""
    tapped = editable_message_of(query)
    if tapped is not None:
        await tapped.edit_text(f"{tapped.text}\n\n{line}")
        return
    message = message_of(query)
    if message is not None:
        await message.answer(line)


async def replace_text(query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Show the tapped message's subject as it stands after the decision."""
    tapped = editable_message_of(query)
    if tapped is not None:
        await tapped.edit_text(text, reply_markup=reply_markup)
        return
    message = message_of(query)
    if message is not None:
        await message.answer(text, reply_markup=reply_markup)
