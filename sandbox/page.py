"""The sandbox's web page: one person plays owners, engineers and managers side by side.

What a person does on the page becomes an update on the sandbox's Bot API server, exactly
what Telegram would deliver; what the bot sends, edits and deletes there is pushed to the
page over a WebSocket as it happens.
"""

import asyncio
import contextlib
import io
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from aiohttp import WSMsgType, web
from PIL import Image, UnidentifiedImageError

from sandbox import demo
from sandbox.bot_api import FakeTelegram
from sandbox.clock import SettableClock

PAGE = Path(__file__).parent / "page"
_queries = itertools.count(1)
_albums = itertools.count(1)


class Playground:
    def __init__(self, telegram: FakeTelegram, clock: SettableClock, sweep: Callable[[timedelta], Awaitable[None]]):
        self.tg = telegram
        self.clock = clock
        self.sweep = sweep  # what the scheduler does when the clock is moved (bot/sandbox_run.py)
        self.sockets: set[web.WebSocketResponse] = set()
        self._seen: dict[tuple[int, int], str] = {}
        self._keyboards: dict[int, str] = {}
        self._watching: asyncio.Task | None = None

    def mount(self, app: web.Application) -> None:
        app.router.add_get("/", self._index)
        app.router.add_get("/app.js", self._script)
        app.router.add_get("/world", self._world)
        app.router.add_get("/live", self._live)
        app.router.add_get("/photo/{file_id}", self._photo)
        app.router.add_post("/say", self._say)
        app.router.add_post("/send-photo", self._send_photo)
        app.router.add_post("/share-contact", self._share_contact)
        app.router.add_post("/press", self._press)
        app.router.add_post("/clock", self._move_clock)
        app.on_startup.append(self._start_watching)
        app.on_shutdown.append(self._close_sockets)

    # ---- the page itself --------------------------------------------------------------
    async def _index(self, _request: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE / "index.html")

    async def _script(self, _request: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE / "app.js")

    async def _world(self, _request: web.Request) -> web.Response:
        people = [
            {
                "id": p.user_id,
                "name": p.name,
                "role": p.role,
                "language": p.language,
                "chats": [{"id": p.user_id, "title": "Private chat with the bot"}]
                + [{"id": g.chat_id, "title": g.title} for g in demo.GROUPS if g.chat_id in p.groups],
            }
            for p in demo.PEOPLE
        ]
        return web.json_response({"people": people, "bot": self.tg.bot["username"], "now": self._now()})

    async def _photo(self, request: web.Request) -> web.Response:
        content = self.tg.files.get(request.match_info["file_id"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content, content_type="image/jpeg")

    # ---- what people do ---------------------------------------------------------------
    async def _say(self, request: web.Request) -> web.Response:
        body = await request.json()
        text = str(body.get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="Type a message first.")
        extra = {}
        if text.startswith("/"):
            command = text.split()[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message = await self._send(body, text=text, **extra)
        return web.json_response(message)

    async def _send_photo(self, request: web.Request) -> web.Response:
        """One photo, or several chosen at once: an album, as Telegram sends it (one message
        per photo, sharing a media_group_id, the caption on the first)."""
        form = await request.post()
        uploads = [field for field in form.getall("photo", []) if isinstance(field, web.FileField)]
        if not 1 <= len(uploads) <= 10:
            raise web.HTTPBadRequest(text="Choose one to ten pictures to send.")
        try:
            albums = [self._photo_sizes(upload.file.read()) for upload in uploads]
        except (UnidentifiedImageError, OSError):
            raise web.HTTPBadRequest(text="That file is not a picture.") from None
        group = {"media_group_id": f"album-{next(_albums)}"} if len(albums) > 1 else {}
        caption = {"caption": str(form["caption"])} if form.get("caption") else {}
        sent = []
        for index, sizes in enumerate(albums):
            sent.append(await self._send(dict(form), photo=sizes, **group, **(caption if index == 0 else {})))
        return web.json_response(sent)

    def _photo_sizes(self, content: bytes) -> list[dict]:
        """A thumbnail and the picture itself, as Telegram keeps every photo it receives."""
        image = Image.open(io.BytesIO(content))
        width, height = image.size
        thumb = image.convert("RGB")
        thumb.thumbnail((90, 90))
        buffer = io.BytesIO()
        thumb.save(buffer, "JPEG")
        small, large = self.tg.add_file(buffer.getvalue()), self.tg.add_file(content)
        return [
            {"file_id": small, "file_unique_id": "u" + small, "width": thumb.width, "height": thumb.height},
            {"file_id": large, "file_unique_id": "u" + large, "width": width, "height": height},
        ]

    async def _share_contact(self, request: web.Request) -> web.Response:
        """The reply keyboard's contact button: the person's own number, never someone else's."""
        body = await request.json()
        person = demo.person(int(body["person"]))
        contact = {"phone_number": person.phone or "", "first_name": person.name, "user_id": person.user_id}
        message = await self._send({"person": person.user_id, "chat": person.user_id}, contact=contact)
        return web.json_response(message)

    async def _press(self, request: web.Request) -> web.Response:
        """An inline button: a callback query, answered by the bot (or not) within 10 s."""
        body = await request.json()
        user = self.tg.users[int(body["person"])]
        message = self.tg.messages.get((int(body["chat"]), int(body["message_id"])))
        if message is None:
            raise web.HTTPNotFound(text="That message is gone.")
        query_id = f"sandbox-{next(_queries)}"
        query = {"id": query_id, "from": user, "chat_instance": str(body["chat"]), "data": str(body["data"])}
        await self.tg.push_update({"callback_query": {**query, "message": message}})
        with contextlib.suppress(AssertionError):
            answer = await self.tg.wait_for(lambda: self.tg.callback_answers.get(query_id), timeout=10)
            return web.json_response({"text": answer.get("text"), "show_alert": answer.get("show_alert", False)})
        return web.json_response({"text": None, "show_alert": False})

    async def _send(self, who: dict, **content) -> dict:
        user_id, chat_id = int(who["person"]), int(who["chat"])
        chat = self.tg.chats.get(chat_id)
        if (
            chat is None
            or (chat.type == "private" and chat_id != user_id)
            or (chat.type != "private" and user_id not in chat.members)
        ):
            raise web.HTTPForbidden(text="That person is not in this chat.")
        if chat.type == "private":
            self.tg.started.add(user_id)
        message = {
            "message_id": self.tg.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat.as_dict(self.tg.users),
            "from": self.tg.users[user_id],
            **content,
        }
        # kept with the bot's messages, so the page shows the whole conversation in order
        self.tg.messages[(chat_id, message["message_id"])] = message
        await self.tg.push_update({"message": message})
        return message

    # ---- time -------------------------------------------------------------------------
    async def _move_clock(self, request: web.Request) -> web.Response:
        body = await request.json()
        hours = float(body.get("hours", 0))
        if not 0 < hours <= 24 * 31:
            raise web.HTTPBadRequest(text="Move the clock forward by up to a month.")
        delta = timedelta(hours=hours)
        self.clock.advance(delta)
        await self.sweep(delta)
        await self._broadcast([{"kind": "clock", "now": self._now()}])
        return web.json_response({"now": self._now()})

    def _now(self) -> str:
        return self.clock.now().astimezone(demo.TIMEZONE).strftime("%a %Y-%m-%d %H:%M")

    # ---- live -------------------------------------------------------------------------
    async def _live(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=20)
        await socket.prepare(request)
        messages = [m for _, m in sorted(self.tg.messages.items())]
        keyboards = [{"chat": chat, "markup": markup} for chat, markup in self.tg.keyboards.items()]
        await socket.send_json({"kind": "snapshot", "messages": messages, "keyboards": keyboards, "now": self._now()})
        self.sockets.add(socket)
        try:
            async for frame in socket:
                if frame.type == WSMsgType.ERROR:
                    break
        finally:
            self.sockets.discard(socket)
        return socket

    async def _start_watching(self, _app: web.Application) -> None:
        self._seen = {key: json.dumps(m, sort_keys=True) for key, m in self.tg.messages.items()}
        self._watching = asyncio.create_task(self._watch())

    async def _close_sockets(self, _app: web.Application) -> None:
        if self._watching is not None:
            self._watching.cancel()
        for socket in list(self.sockets):
            await socket.close()

    async def _watch(self) -> None:
        """Every change on the server wakes this; what differs from the last look is pushed."""
        while True:
            try:
                changes = await self.tg.wait_for(self._changes, timeout=3600, what="a change")
            except AssertionError:
                continue
            await self._broadcast(changes)

    def _changes(self) -> list[dict[str, object]]:
        changes: list[dict[str, object]] = []
        for key, message in self.tg.messages.items():
            shape = json.dumps(message, sort_keys=True)
            if self._seen.get(key) != shape:
                changes.append({"kind": "edited" if key in self._seen else "message", "message": message})
                self._seen[key] = shape
        for key in [k for k in self._seen if k not in self.tg.messages]:
            del self._seen[key]
            changes.append({"kind": "deleted", "chat": key[0], "message_id": key[1]})
        for chat, markup in self.tg.keyboards.items():
            shape = json.dumps(markup, sort_keys=True)
            if self._keyboards.get(chat) != shape:
                self._keyboards[chat] = shape
                changes.append({"kind": "keyboard", "chat": chat, "markup": markup})
        return changes

    async def _broadcast(self, changes: list[dict[str, object]]) -> None:
        for socket in list(self.sockets):
            with contextlib.suppress(ConnectionError, RuntimeError):
                await socket.send_json({"kind": "changes", "changes": changes})
