"""An outbox message as the Telegram calls that carry it: usually one; a text over
Telegram's limit goes as several messages, a long caption as the photo and the rest as text."""

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import (
    FSInputFile,
    InlineKeyboardMarkup,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaLivePhoto,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
    ReplyKeyboardMarkup,
)

from delivery.texts import split_caption, split_text, trim
from storage.outbox import Outgoing

MediaItem = InputMediaAudio | InputMediaDocument | InputMediaLivePhoto | InputMediaPhoto | InputMediaVideo
EDIT_LOST = ("message to edit not found", "message can't be edited")
UPLOAD = "upload:"  # a photo on our disk: uploaded the first time, then sent by the id Telegram gave it


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


class Uploads:
    """Photos of our evidence store (the copies without EXIF) go up once; afterwards the
    file id Telegram gave them is reused, within this process."""

    def __init__(self) -> None:
        self._file_ids: dict[str, str] = {}  # our file's path → Telegram's file id for it

    def file(self, media: str) -> str | FSInputFile:
        if not media.startswith(UPLOAD):
            return media
        path = media.removeprefix(UPLOAD)
        return self._file_ids.get(path) or FSInputFile(path)

    def remember(self, media: str, sent: Message) -> None:
        if media.startswith(UPLOAD) and sent.photo:
            self._file_ids[media.removeprefix(UPLOAD)] = sent.photo[-1].file_id


async def send(bot: Bot, chat_id: int, piece: Piece, uploads: Uploads) -> int:
    """Send one piece (not an edit); the id of the message it became."""
    params = markup(piece.params)
    if piece.method == "sendMessage":
        return (await bot.send_message(chat_id, **params)).message_id
    if piece.method == "sendPhoto":
        photo = params.pop("photo")
        if isinstance(photo, dict):
            return (await bot.send_photo(chat_id, made_here(photo), **params)).message_id
        sent = await bot.send_photo(chat_id, uploads.file(photo), **params)
        uploads.remember(photo, sent)
        return sent.message_id
    if piece.method == "sendDocument":
        document = params.pop("document")
        document = made_here(document) if isinstance(document, dict) else document
        return (await bot.send_document(chat_id, document, **params)).message_id
    if piece.method == "sendMediaGroup":
        files = [m["media"] for m in params["media"]]
        media: list[MediaItem] = [
            InputMediaPhoto(media=uploads.file(m["media"]))
            if m["type"] == "photo"
            else InputMediaDocument(media=m["media"])
            for m in params["media"]
        ]
        album = await bot.send_media_group(chat_id, media)
        for file, sent in zip(files, album, strict=False):
            uploads.remember(file, sent)
        return album[0].message_id
    raise ValueError(f"unknown outbox method {piece.method}")


def made_here(file: dict[str, str]) -> FSInputFile:
    """A file the bot made itself (a report's chart or workbook, clock/reports.py) is queued
    by its path on disk, as {"path": ..., "name": ...}; a Telegram file id as text."""
    return FSInputFile(file["path"], filename=file.get("name"))
