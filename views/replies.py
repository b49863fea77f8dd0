"""Where a handler answers: the message a tapped button sits on, and who sent a message.

aiogram types these as optional, and every handler needs the same decision about the
missing case, so it is made here once. Handlers call these helpers instead of reading
`query.message` or `message.from_user` directly:

    message = message_of(query)
    if message is None:
        return  # nowhere to answer: see message_of
    await message.answer(...)

    user = sender_of(message)
    if user is None:
        return  # sent on behalf of a chat: nobody to act for

A typed answer is asked with `ask_to_type` (after a button) and asked again with
`ask_again` (after an answer that would not do); see there why.
"""

from aiogram.types import CallbackQuery, ForceReply, InaccessibleMessage, Message, MessageEntity, User

from views.notices import DOCUMENT

# what a tapped button's message can be: both can be answered into (`.answer()`) and name
# their chat (`.chat`), only a Message still has its text and buttons
TappedMessage = Message | InaccessibleMessage


def message_of(query: CallbackQuery) -> TappedMessage | None:
    """The message whose button was tapped, to answer into its chat.

    A message older than 48 hours comes as an InaccessibleMessage: it can still be answered
    into, but use `editable_message_of` to read or change it. None only for a button on an
    inline-mode message, which this bot never sends: there is no chat to answer in, and
    the tap itself is already answered (CallbackAnswerMiddleware in bot/app.py), so the
    handler stops."""
    return query.message


def editable_message_of(query: CallbackQuery) -> Message | None:
    """The tapped message with its text and buttons, to edit it or read its keyboard back;
    None when Telegram no longer shows it to the bot (older than 48 hours, or deleted)."""
    message = query.message
    return message if isinstance(message, Message) else None


def sender_of(message: Message) -> User | None:
    """Who wrote the message; None when it was sent on behalf of a chat (an anonymous group
    admin, a linked channel). In a private chat there is always a sender."""
    return message.from_user


def kept_photo_id(message: Message) -> str | None:
    """The id a photo is kept under: its largest size, or an image sent as a file (marked, so
    it is fetched and shown as the original it is); None for anything else."""
    if message.photo:
        return message.photo[-1].file_id
    if message.document:
        return DOCUMENT + message.document.file_id
    return None


def _forced_reply(in_group: bool) -> ForceReply:
    """In a group the forced reply is for the one person the message targets (selective);
    in a private chat there is nobody else."""
    return ForceReply(selective=in_group, input_field_placeholder="…")


async def ask_to_type(message: TappedMessage, text: str, who: User) -> None:
    """Ask `who`, who has just tapped a button on `message`, to type an answer.

    Always a new message with a forced reply, never an edit (a forced reply cannot be put
    on an edited message): with BotFather's group privacy mode on, a bot in a group sees
    only commands and replies to its own messages, so the answer must be a reply to this
    one. In a group the presser is mentioned at the top, which makes the selective forced
    reply his alone (Telegram targets the users mentioned in the text)."""
    if message.chat.type == "private":
        await message.answer(text, reply_markup=_forced_reply(in_group=False))
        return
    name = who.full_name
    mention = MessageEntity(type="text_mention", offset=0, length=len(name.encode("utf-16-le")) // 2, user=who)
    await message.answer(f"{name}\n{text}", entities=[mention], reply_markup=_forced_reply(in_group=True))


async def ask_again(message: Message, text: str) -> None:
    """Ask once more after a typed answer that would not do: a new message with a forced
    reply, in reply to that answer, which targets its writer in a group (see ask_to_type)."""
    if message.chat.type == "private":
        await message.answer(text, reply_markup=_forced_reply(in_group=False))
        return
    in_reply = message.as_reply_parameters(allow_sending_without_reply=True)
    await message.answer(text, reply_parameters=in_reply, reply_markup=_forced_reply(in_group=True))
