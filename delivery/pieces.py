"""An outbox message as the Telegram calls that carry it: usually one; a text over
Telegram's limit goes as several messages, a long caption as the photo and the rest as text."""

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import (
    InlineKeyboardMarkup,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaLivePhoto,
    InputMediaPhoto,
    InputMediaVideo,
    ReplyKeyboardMarkup,
)

from delivery.texts import split_caption, split_text, trim
from storage.outbox import Outgoing

MediaItem = InputMediaAudio | InputMediaDocument | InputMediaLivePhoto | InputMediaPhoto | InputMediaVideo
EDIT_LOST = ("message to edit not found", "message can't be edited")


@dataclass(frozen=True)
class Piece:
    method: str
    params: dict


def pieces(item: Outgoing) -> list[Piece]:
    params = dict(item.payload["params"])
    if item.method == "sendMessage":
        return _texts(split_text(params.pop("text")), params)
    if item.method in ("sendPhoto", "sendDocument") and params.get("caption"):
        caption, rest = split_caption(params["caption"])
        return [Piece(item.method, {**params, "caption": caption}), *_texts(rest, {})]
    if item.method == "editCard":  # an edit stays one message
        return [Piece(item.method, {**params, "text": trim(params["text"])})]
    return [Piece(item.method, params)]


def _texts(texts: list[str], params: dict) -> list[Piece]:
    """The keyboard goes with the last part, under the whole text."""
    markup = params.pop("reply_markup", None)
    parts = [Piece("sendMessage", {**params, "text": text}) for text in texts]
    if parts and markup is not None:
        parts[-1].params["reply_markup"] = markup
    return parts


def markup(params: dict) -> dict:
    """The stored keyboard as aiogram's type."""
    params = dict(params)
    stored = params.pop("reply_markup", None)
    if stored is not None:
        kind = InlineKeyboardMarkup if "inline_keyboard" in stored else ReplyKeyboardMarkup
        params["reply_markup"] = kind.model_validate(stored)
    return params


async def send(bot: Bot, chat_id: int, piece: Piece) -> int:
    """Send one piece (not an edit); the id of the message it became."""
    params = markup(piece.params)
    if piece.method == "sendMessage":
        return (await bot.send_message(chat_id, **params)).message_id
    if piece.method == "sendPhoto":
        return (await bot.send_photo(chat_id, **params)).message_id
    if piece.method == "sendDocument":
        return (await bot.send_document(chat_id, **params)).message_id
    if piece.method == "sendMediaGroup":
        media: list[MediaItem] = [
            InputMediaPhoto(media=m["media"]) if m["type"] == "photo" else InputMediaDocument(media=m["media"])
            for m in params["media"]
        ]
        return (await bot.send_media_group(chat_id, media))[0].message_id
    raise ValueError(f"unknown outbox method {piece.method}")
