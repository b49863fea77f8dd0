"""Simulated people: they write to the bot, share contacts, send photos and press buttons,
and read what the bot sends them, in order."""

import io
import itertools
import struct
import time
import zlib

from PIL import Image

from sandbox.bot_api import FakeTelegram

_queries = itertools.count(1)
_albums = itertools.count(1)


GPS_IFD = 0x8825


def jpeg(color: str = "red", exif_time: str | None = "2026:11:23 09:41:07", gps: bool = False) -> bytes:
    """A small real JPEG, with the camera's time in its EXIF when asked, and where it was
    taken (the phone's GPS) when asked."""
    image = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    if exif_time:
        exif.get_ifd(0x8769)[0x9003] = exif_time
    if gps:
        exif[0x010F] = "PhoneMaker"  # the camera's make, also not for strangers
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 13.0, 48.0), 3: "E", 4: (121.0, 28.0, 12.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def huge_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A tiny file that claims to be a picture of width × height pixels: decoding it would
    take gigabytes (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    content = bytearray(buffer.getvalue())
    header = content.index(b"IHDR")
    content[header + 4 : header + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(content[header : header + 17]))
    content[header + 17 : header + 21] = struct.pack(">I", crc)
    return bytes(content)


class Person:
    def __init__(
        self,
        telegram: FakeTelegram,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language: str | None = "en",
        phone: str | None = None,
    ):
        self.tg = telegram
        self.user = telegram.add_user(user_id, first_name, username, language)
        self.id = user_id
        self.name = first_name
        self.phone = phone
        self._seen: dict[int, int] = {}  # chat id → last bot message id read

    # ---- writing ----------------------------------------------------------------------
    async def _send(self, chat_id: int | None, **content) -> dict:
        chat_id = chat_id or self.id
        if chat_id == self.id:
            self.tg.started.add(self.id)
        chat = self.tg.chats[chat_id].as_dict(self.tg.users)
        message = {
            "message_id": self.tg.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user,
            **content,
        }
        await self.tg.push_update({"message": message})
        return message

    async def send(self, text: str, chat_id: int | None = None) -> dict:
        extra = {}
        if text.startswith("/"):
            command = text.split()[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self._send(chat_id, text=text, **extra)

    async def send_photo(
        self,
        content: bytes | None = None,
        caption: str | None = None,
        media_group_id: str | None = None,
        chat_id: int | None = None,
    ) -> dict:
        file_id = self.tg.add_file(content or jpeg())
        sizes = [
            {"file_id": file_id + "-thumb", "file_unique_id": "t" + file_id, "width": 90, "height": 68},
            {"file_id": file_id, "file_unique_id": "u" + file_id, "width": 1280, "height": 960},
        ]
        self.tg.files[file_id + "-thumb"] = b"thumbnail"
        extra = {"caption": caption} if caption else {}
        if media_group_id:
            extra["media_group_id"] = media_group_id
        return await self._send(chat_id, photo=sizes, **extra)

    async def redeliver(self, message: dict) -> None:
        """The same message once more, as Telegram does when it was not sure we got it."""
        await self.tg.push_update({"message": message})

    async def send_album(self, photos: list[bytes], caption: str | None = None) -> list[dict]:
        group = f"mg-{next(_albums)}"
        sent = []
        for index, content in enumerate(photos):
            sent.append(await self.send_photo(content, caption if index == 0 else None, group))
        return sent

    async def send_document(self, content: bytes, mime_type: str, file_name: str) -> dict:
        file_id = self.tg.add_file(content)
        return await self._send(
            None,
            document={
                "file_id": file_id,
                "file_unique_id": "u" + file_id,
                "file_name": file_name,
                "mime_type": mime_type,
            },
        )

    async def send_sticker(self) -> dict:
        return await self._send(
            None,
            sticker={
                "file_id": "sticker-1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        )

    async def send_voice(self) -> dict:
        return await self._send(None, voice={"file_id": "voice-1", "file_unique_id": "v1", "duration": 3})

    async def share_contact(self, phone: str | None = None, of: "Person | None" = None) -> dict:
        """Share one's own contact (the button), or forward someone else's."""
        owner = of or self
        contact = {"phone_number": phone or owner.phone, "first_name": owner.name, "user_id": owner.id}
        return await self._send(None, contact=contact)

    # ---- buttons ----------------------------------------------------------------------
    def find_button(self, text: str, chat_id: int | None = None) -> tuple[dict, str] | None:
        """The newest bot message in the chat with an inline button whose text contains `text`."""
        for message in reversed(self.tg.chat_messages(chat_id or self.id)):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if text in button["text"] and "callback_data" in button:
                        return message, button["callback_data"]
        return None

    async def press(self, text: str, chat_id: int | None = None) -> dict:
        """Press a button once it is shown, as a person waits for it to appear."""
        message, data = await self.tg.wait_for(
            lambda: self.find_button(text, chat_id), what=f"a button «{text}» for {self.name}"
        )
        return await self.press_data(data, message)

    async def tap(self, data: str, message: dict) -> None:
        """Press a button and do not wait: the bot may not be there to answer."""
        query = {"id": f"cq-{next(_queries)}", "from": self.user, "chat_instance": "ci", "data": data}
        await self.tg.push_update({"callback_query": {**query, "message": message}})

    async def press_data(self, data: str, message: dict | None) -> dict:
        """Press a button by its data: what a forged or forwarded button sends."""
        query_id = f"cq-{next(_queries)}"
        query = {"id": query_id, "from": self.user, "chat_instance": "ci", "data": data}
        if message is not None:
            query["message"] = message
        await self.tg.push_update({"callback_query": query})
        return await self.tg.wait_for(
            lambda: self.tg.callback_answers.get(query_id), what=f"an answer to {self.name} pressing {data}"
        )

    # ---- reading ----------------------------------------------------------------------
    async def next_message(self, chat_id: int | None = None, timeout: float = 5.0) -> dict:
        chat_id = chat_id or self.id

        def unread():
            for message in self.tg.chat_messages(chat_id):
                if message["message_id"] > self._seen.get(chat_id, 0):
                    return message
            return None

        message = await self.tg.wait_for(unread, timeout, f"a message to {self.name} in chat {chat_id}")
        self._seen[chat_id] = message["message_id"]
        return message

    async def expect(self, *fragments: str, chat_id: int | None = None, timeout: float = 5.0) -> dict:
        """Read on until a message holds every fragment; the messages before it are skipped."""
        while True:
            message = await self.next_message(chat_id, timeout)
            text = message.get("text") or message.get("caption") or ""
            if all(fragment in text for fragment in fragments):
                return message

    def read_all(self, chat_id: int | None = None) -> list[dict]:
        """Everything unread, without waiting."""
        chat_id = chat_id or self.id
        unread = [m for m in self.tg.chat_messages(chat_id) if m["message_id"] > self._seen.get(chat_id, 0)]
        if unread:
            self._seen[chat_id] = unread[-1]["message_id"]
        return unread
