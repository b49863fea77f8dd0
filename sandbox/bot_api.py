"""The built-in Bot API server: keeps chats, members, messages and files, hands out updates
by long polling, and answers each method as Telegram does (errors included). The tests and
`baoxiu sandbox` talk to it instead of Telegram.

It is long because it implements the Bot API methods the bot uses, each a short function
of its own, checked against Telegram's method list (sandbox/spec.py, bot_api.json); fault
injection is sandbox/faults.py and the web page sandbox/page.py."""

import asyncio
import contextlib
import itertools
import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sandbox.faults import Fault, Planned
from sandbox.spec import METHODS, BadRequest, coerce

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
SENDING = {"sendmessage", "sendphoto", "senddocument", "sendmediagroup", "editmessagetext"}
# Telegram's published limits: (messages, seconds) per private chat, per group, overall
PRIVATE_LIMIT, GROUP_LIMIT, OVERALL_LIMIT = (1, 1.0), (20, 60.0), (30, 1.0)


def utf16(text: str) -> int:
    """Telegram counts lengths in UTF-16 code units: an emoji is two."""
    return len(text.encode("utf-16-le")) // 2


class Upload(bytes):
    """A file the bot uploaded, with the name it gave it."""

    file_name: str | None

    def __new__(cls, content: bytes, file_name: str | None) -> "Upload":
        upload = super().__new__(cls, content)
        upload.file_name = file_name
        return upload


@dataclass
class Chat:
    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id → status

    def as_dict(self, users: dict[int, dict]) -> dict:
        if self.type == "private":
            user = users[self.id]
            return {
                "id": self.id,
                "type": "private",
                "first_name": user["first_name"],
                **({"username": user["username"]} if user.get("username") else {}),
            }
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class Request:
    method: str
    params: dict
    at: float
    failed: str | None = None  # Telegram's error description, when it refused


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-TOKEN", bot_username: str = "baoxiu_test_bot"):
        self.token = token
        self.bot: dict[str, Any] = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Baoxiu",
            "username": bot_username,
        }
        self.users: dict[int, dict] = {}
        self.chats: dict[int, Chat] = {}
        self.started: set[int] = set()  # users who opened a private chat with the bot
        self.messages: dict[tuple[int, int], dict] = {}
        self.requests: list[Request] = []
        self.problems: list[str] = []
        self.callback_answers: dict[str, dict] = {}
        self.commands: dict[tuple[str, str], list] = {}
        self.keyboards: dict[int, dict] = {}  # the reply keyboard each chat shows now
        self.files: dict[str, bytes] = {}
        self.lost_files: set[str] = set()  # getFile knows them, the file server answers 404
        self.file_names: dict[str, str] = {}  # uploads the bot made: a report's workbook
        self.polls = 0
        self.faults: list[BadRequest] = []
        self.enforce_limits = False
        # (messages, seconds) it enforces; a test may shorten the windows
        self.private_limit, self.group_limit, self.overall_limit = PRIVATE_LIMIT, GROUP_LIMIT, OVERALL_LIMIT
        self.down = False  # every sending request gets 502, as during an outage
        self.blocked: set[int] = set()  # users who blocked the bot
        self.planned: list[Planned] = []  # faults a test asked for (fail())
        self.upgraded: dict[int, int] = {}  # group → the supergroup it became
        self.too_many = 0  # 429 answers given
        self.too_many_why: list[tuple] = []
        self._sends: dict[int, list[float]] = {}
        self._all_sends: list[float] = []  # raised, in order, by the next sending requests
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # ---- life cycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self.mount(app)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def mount(self, app: web.Application) -> None:
        """The Bot API's routes, on this server's own application or on a bigger one (the
        sandbox serves its page beside them, sandbox/page.py)."""
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)

    # ---- the world --------------------------------------------------------------------
    def add_user(
        self, user_id: int, first_name: str, username: str | None = None, language_code: str | None = None
    ) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        self.chats.setdefault(user_id, Chat(user_id, "private"))
        return user

    def add_group(self, chat_id: int, title: str, members: list[int], kind: str = "supergroup") -> Chat:
        chat = Chat(chat_id, kind, title, {user_id: "member" for user_id in members})
        chat.members[self.bot["id"]] = "member"
        self.chats[chat_id] = chat
        return chat

    def add_file(self, content: bytes) -> str:
        file_id = f"file-{next(self._file_ids)}"
        self.files[file_id] = content
        return file_id

    def fail(self, method: str, fault: Fault, times: int = 1, chat_id: int | None = None, skip: int = 0) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given), after letting
        `skip` of them through, with `fault`."""
        self.planned.append(Planned(method.lower(), fault, times, chat_id, skip))

    def upgrade_group(self, chat_id: int, new_chat_id: int) -> Chat:
        """The group becomes a supergroup, as Telegram does it: same people, a new id, and
        the old id answers with migrate_to_chat_id from now on."""
        old = self.chats[chat_id]
        self.upgraded[chat_id] = new_chat_id
        self.chats[new_chat_id] = Chat(new_chat_id, "supergroup", old.title, dict(old.members))
        return self.chats[new_chat_id]

    async def announce_upgrade(self, chat_id: int) -> None:
        """What Telegram says of an upgrade (upgrade_group) in both chats: a service message
        in the old group naming the new id, and one in the supergroup naming the old."""
        new_chat_id = self.upgraded[chat_id]
        for chat, key, other in (
            (chat_id, "migrate_to_chat_id", new_chat_id),
            (new_chat_id, "migrate_from_chat_id", chat_id),
        ):
            said = {"message_id": self.next_message_id(chat), "date": int(time.time()), key: other}
            await self.push_update({"message": said | {"chat": self.chats[chat].as_dict(self.users)}})

    def remove_bot(self, chat_id: int) -> None:
        self.chats[chat_id].members[self.bot["id"]] = "kicked"

    def add_bot(self, chat_id: int) -> None:
        self.chats[chat_id].members[self.bot["id"]] = "member"

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def push_update(self, payload: dict) -> dict:
        update = {"update_id": next(self._update_ids), **payload}
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    async def change_member(self, chat_id: int, user_id: int, status: str, by: int | None = None) -> dict:
        """Someone joins, leaves or is removed from a group: Telegram's chat_member update."""
        chat = self.chats[chat_id]
        old = chat.members.get(user_id, "left")
        chat.members[user_id] = status
        user = self.users[user_id]
        change = {
            "chat": chat.as_dict(self.users),
            "from": self.users[by] if by else user,
            "date": int(time.time()),
            "old_chat_member": {"status": old, "user": user},
            "new_chat_member": {"status": status, "user": user} | ({"until_date": 0} if status == "kicked" else {}),
        }
        return await self.push_update({"chat_member": change})

    async def wait_for(self, predicate, timeout: float = 5.0, what: str = "a condition"):
        """The first truthy value of predicate() as the bot works, or AssertionError."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for {what}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    def sent(self, method: str, **match) -> list[dict]:
        """Parameters of every request of `method` whose parameters include `match`."""
        return [
            r.params
            for r in self.requests
            if r.method == method and r.failed is None and all(r.params.get(k) == v for k, v in match.items())
        ]

    def chat_messages(self, chat_id: int) -> list[dict]:
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    # ---- HTTP -------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        if method.lower() not in METHODS:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        raw = self._attached(await self._read(request))
        params = raw
        try:
            params, problems = coerce(method, raw)
            self.problems += problems
            handler = getattr(self, "_" + method.lower())
            planned = await self._planned(request, method, params)
            if planned is not None:
                return planned
            if method.lower() in SENDING:
                self._fault()
                media = params.get("media")
                self._enforce_limits(params.get("chat_id"), len(media) if isinstance(media, list) and media else 1)
            result = await handler(params)
        except BadRequest as error:
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            if error.migrate_to_chat_id is not None:
                body["parameters"] = {"migrate_to_chat_id": error.migrate_to_chat_id}
            await self._record(method, params, failed=error.description)
            return web.json_response(body, status=error.code)
        if method.lower() != "getupdates":
            await self._record(method, params)
        return web.json_response({"ok": True, "result": result})

    async def _planned(self, request: web.Request, method: str, params: dict) -> web.StreamResponse | None:
        """A fault a test planned for this call: its answer (recorded as failed), or None."""
        planned = next((p for p in self.planned if p.applies(method, params)), None)
        if planned is None:
            return None
        fault = planned.fault
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.drop:
            await self._record(method, params, failed="connection dropped")
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        response = fault.response()
        if response is not None:
            await self._record(method, params, failed=f"{fault.status}: {fault.body}")
        return response

    def _fault(self) -> None:
        if self.down:
            raise BadRequest("Bad Gateway", 502)
        if self.faults:
            raise self.faults.pop(0)

    def _enforce_limits(self, chat_id, weight: int = 1) -> None:
        """With `enforce_limits`, answer 429 as Telegram does when a chat or the bot sends
        more than its limit within the window. An album of `weight` photos counts each of
        them in a group's minute and overall; in a private chat it counts once."""
        if not self.enforce_limits or chat_id is None:
            return
        now = time.monotonic()
        count, window = self.private_limit if chat_id > 0 else self.group_limit
        overall_count, overall_window = self.overall_limit
        in_chat = 1 if chat_id > 0 else min(weight, count)
        recent = [t for t in self._sends.get(chat_id, []) if now - t < window]
        overall = [t for t in self._all_sends if now - t < overall_window]
        too_many = len(recent) + in_chat > count
        if too_many or len(overall) + weight > overall_count:
            self.too_many += 1
            self.too_many_why.append(("chat" if too_many else "overall", chat_id, [round(now - t, 3) for t in recent]))
            free_at = recent[len(recent) + in_chat - count - 1] + window if too_many else overall[0] + overall_window
            after = max(1, math.ceil(free_at - now))
            raise BadRequest(f"Too Many Requests: retry after {after}", 429, retry_after=after)
        self._sends[chat_id] = [*recent, *[now] * in_chat]
        self._all_sends = [*overall, *[now] * weight]

    async def _record(self, method: str, params: dict, failed: str | None = None) -> None:
        async with self._changed:
            self.requests.append(Request(method, params, time.monotonic(), failed))
            self._changed.notify_all()

    async def _read(self, request: web.Request) -> dict:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        # an uploaded file is a part of its own, named by "attach://<part>" in its parameter
        # (resolved by _attached), and keeps the file name it was sent with
        return {k: Upload(v.file.read(), v.filename) if isinstance(v, web.FileField) else v for k, v in form.items()}

    def _stored(self, params: dict, field: str) -> str:
        """A file id for what was sent: an uploaded file is kept like a user's photo."""
        value = params[field]
        if isinstance(value, bytes):
            file_id = f"upload-{next(self._file_ids)}"
            self.files[file_id] = value
            self.file_names[file_id] = getattr(value, "file_name", None) or file_id
            return file_id
        return value

    @staticmethod
    def _attached(raw: dict) -> dict:
        """Uploaded files in place of their "attach://name" references, as Telegram reads them."""
        files = {k: v for k, v in raw.items() if isinstance(v, bytes)}

        def resolve(value: object) -> object:
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                return files[value[9:]]
            return value

        params: dict[str, Any] = {k: resolve(v) for k, v in raw.items() if not isinstance(v, bytes)}
        if isinstance(params.get("media"), str):
            media = json.loads(params["media"])
            params["media"] = [{**item, "media": resolve(item["media"])} for item in media]
        return params

    async def _file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].removeprefix("files/")
        if request.match_info["token"] != self.token or file_id not in self.files or file_id in self.lost_files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    # ---- methods ----------------------------------------------------------------------
    async def _getme(self, params: dict) -> dict:
        return self.bot

    async def _getupdates(self, params: dict) -> list[dict]:
        offset = params.get("offset")
        timeout = min(params.get("timeout", 0), 0.25)  # tests never wait long for nothing
        async with self._changed:
            self.polls += 1
            self._changed.notify_all()
            if offset is not None:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout)
            return list(self._updates[: params.get("limit", 100)])

    async def _deletewebhook(self, params: dict) -> bool:
        return True

    async def _setwebhook(self, params: dict) -> bool:
        return True

    async def _getwebhookinfo(self, params: dict) -> dict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    @staticmethod
    def _scope(params: dict) -> str:
        scope = params.get("scope", {"type": "default"})
        return f"chat:{scope['chat_id']}" if scope["type"] == "chat" else scope["type"]

    async def _setmycommands(self, params: dict) -> bool:
        scope = self._scope(params)
        for command in params["commands"]:
            if not (1 <= len(command["description"]) <= 256):
                raise BadRequest("Bad Request: command description is invalid")
        self.commands[(scope, params.get("language_code", ""))] = params["commands"]
        return True

    async def _getmycommands(self, params: dict) -> list:
        scope = self._scope(params)
        return self.commands.get((scope, params.get("language_code", "")), [])

    def _chat(self, chat_id) -> Chat:
        if chat_id in self.upgraded:
            raise BadRequest(
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.upgraded[chat_id],
            )
        chat = self.chats.get(chat_id)
        if chat is None:
            raise BadRequest("Bad Request: chat not found")
        if chat.type == "private":
            if chat_id in self.blocked:
                raise BadRequest("Forbidden: bot was blocked by the user", 403)
            if chat_id not in self.started:
                raise BadRequest("Forbidden: bot can't initiate conversation with a user", 403)
        elif chat.members.get(self.bot["id"]) == "kicked":
            raise BadRequest(f"Forbidden: bot was kicked from the {chat.type} chat", 403)
        elif self.bot["id"] not in chat.members:
            raise BadRequest("Forbidden: bot is not a member of the supergroup chat", 403)
        return chat

    def _new_message(self, chat: Chat, params: dict, **content) -> dict:
        message = {
            "message_id": self.next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.as_dict(self.users),
            "from": self.bot,
            **content,
        }
        markup = params.get("reply_markup")
        if markup is not None and "inline_keyboard" in markup:
            self._check_markup(markup)
            message["reply_markup"] = markup
        elif markup is not None:  # Telegram keeps a reply keyboard on the user's side only
            self.keyboards[chat.id] = markup
        self.messages[(chat.id, message["message_id"])] = message
        return message

    @staticmethod
    def _check_markup(markup: dict) -> None:
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not (1 <= len(data.encode()) <= MAX_CALLBACK_DATA):
                    raise BadRequest("Bad Request: BUTTON_DATA_INVALID")

    @staticmethod
    def _check_text(text: str) -> None:
        if not text.strip():
            raise BadRequest("Bad Request: message text is empty")
        if utf16(text) > MAX_TEXT:
            raise BadRequest("Bad Request: message is too long")

    async def _sendmessage(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        self._check_text(params["text"])
        return self._new_message(chat, params, text=params["text"])

    def _photo(self, file_id: str | bytes) -> list[dict]:
        if isinstance(file_id, bytes):  # a new upload: Telegram keeps it and gives it an id
            file_id = self.add_file(file_id)
        if file_id not in self.files:
            raise BadRequest("Bad Request: wrong file identifier/HTTP URL specified")
        return [
            {
                "file_id": file_id,
                "file_unique_id": "u" + file_id,
                "width": 1280,
                "height": 960,
                "file_size": len(self.files[file_id]),
            }
        ]

    @staticmethod
    def _check_caption(params: dict) -> None:
        if utf16(params.get("caption") or "") > MAX_CAPTION:
            raise BadRequest("Bad Request: message caption is too long")

    async def _sendphoto(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        self._check_caption(params)
        photo = self._photo(self._stored(params, "photo"))
        return self._new_message(chat, params, photo=photo, caption=params.get("caption"))

    async def _senddocument(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        self._check_caption(params)
        file_id = self._stored(params, "document")
        self._photo(file_id)
        document = {"file_id": file_id, "file_unique_id": "u" + file_id}
        if file_id in self.file_names:
            document["file_name"] = self.file_names[file_id]
        return self._new_message(chat, params, document=document, caption=params.get("caption"))

    async def _sendmediagroup(self, params: dict) -> list[dict]:
        chat = self._chat(params["chat_id"])
        media = params["media"]
        if not 2 <= len(media) <= 10:
            raise BadRequest("Bad Request: wrong number of media in the album")
        if len({item["type"] for item in media}) > 1 and "document" in {item["type"] for item in media}:
            raise BadRequest("Bad Request: documents can't be mixed with other media types")
        group = f"album-{next(self._file_ids)}"
        messages = []
        for item in media:
            content = (
                {"photo": self._photo(item["media"])}
                if item["type"] == "photo"
                else {"document": {"file_id": item["media"], "file_unique_id": "u" + item["media"]}}
            )
            messages.append(self._new_message(chat, {}, media_group_id=group, **content))
        return messages

    def _existing(self, params: dict) -> dict:
        self._chat(params.get("chat_id"))
        key = (params.get("chat_id"), params.get("message_id"))
        if key not in self.messages:
            raise BadRequest("Bad Request: message to edit not found")
        return self.messages[key]

    async def _editmessagetext(self, params: dict) -> dict:
        message = self._existing(params)
        self._check_text(params["text"])
        if message.get("text") == params["text"] and message.get("reply_markup") == params.get("reply_markup"):
            raise BadRequest(
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of the message"
            )
        message["text"] = params["text"]
        self._set_markup(message, params)
        return message

    async def _editmessagereplymarkup(self, params: dict) -> dict:
        message = self._existing(params)
        if message.get("reply_markup") == params.get("reply_markup"):
            raise BadRequest("Bad Request: message is not modified")
        self._set_markup(message, params)
        return message

    def _set_markup(self, message: dict, params: dict) -> None:
        if params.get("reply_markup"):
            self._check_markup(params["reply_markup"])
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)

    async def _answercallbackquery(self, params: dict) -> bool:
        query_id = params["callback_query_id"]
        if query_id in self.callback_answers:
            raise BadRequest("Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.callback_answers[query_id] = params
        return True

    async def _getchatmember(self, params: dict) -> dict:
        chat = self.chats.get(params["chat_id"])
        if chat is None:
            raise BadRequest("Bad Request: chat not found")
        user = self.bot if params["user_id"] == self.bot["id"] else self.users.get(params["user_id"])
        if user is None:
            raise BadRequest("Bad Request: user not found")
        status = chat.members.get(user["id"], "left")
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member |= {
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
                "can_send_welcome_messages": False,  # newer than bot_api.json; aiogram requires it
            }
        if status == "creator":
            member |= {"is_anonymous": False}
        if status == "kicked":
            member |= {"until_date": 0}
        return member

    async def _getchat(self, params: dict) -> dict:
        chat = self.chats.get(params["chat_id"])
        if chat is None:
            raise BadRequest("Bad Request: chat not found")
        return {
            **chat.as_dict(self.users),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    async def _getfile(self, params: dict) -> dict:
        file_id = params["file_id"]
        if file_id not in self.files:
            raise BadRequest("Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": "u" + file_id,
            "file_size": len(self.files[file_id]),
            "file_path": f"files/{file_id}",
        }

    async def _deletemessage(self, params: dict) -> bool:
        self._existing(params)
        del self.messages[(params["chat_id"], params["message_id"])]
        return True

    async def _sendchataction(self, params: dict) -> bool:
        self._chat(params["chat_id"])
        return True
