"""A storm of owners against the fake Bot API: each binds by sharing their contact and
files a leak report with a photo, step by step, sending the next step only once the bot
has answered the last (a closed loop, as people do). Shared by bench/intake.py and
tests/e2e/test_storm.py.

The fake server's own waiting scans every message on each change, which is fine for a few
people and quadratic for hundreds, so each owner here reads from their own inbox."""

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.bot_api import Chat, FakeTelegram
from tests.fake_telegram.people import jpeg

FIRST_OWNER = 3_000_000
_queries = itertools.count(1)


class StormTelegram(FakeTelegram):
    """The fake server, handing each private chat's new bot messages to a queue."""

    def __init__(self) -> None:
        super().__init__()
        self.inboxes: dict[int, asyncio.Queue[dict]] = {}

    def _new_message(self, chat: Chat, params: dict, **content) -> dict:
        message = super()._new_message(chat, params, **content)
        inbox = self.inboxes.get(chat.id)
        if inbox is not None:
            inbox.put_nowait(message)
        return message


def roster(count: int) -> str:
    """`count` owners, one flat each in block A (in warranty), phones 138 0100 xxxx."""
    lines = ["block,unit,owner_name,phone,handover_date,language"]
    lines += [f"A,{2001 + i},Owner {i},{phone(i)},2024-06-30,en" for i in range(count)]
    return "\n".join(lines) + "\n"


def phone(index: int) -> str:
    return f"1380100{index:04d}"


@dataclass
class Owner:
    tg: StormTelegram
    index: int
    timeout: float = 30.0
    latencies: list[tuple[str, float]] = field(default_factory=list)
    updates: int = 0
    number: str | None = None

    def __post_init__(self) -> None:
        self.id = FIRST_OWNER + self.index
        self.user = self.tg.add_user(self.id, f"Owner{self.index}", None, "en")
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.tg.inboxes[self.id] = self.inbox
        self.tg.started.add(self.id)
        self.last: list[dict] = []  # the bot's messages since the last step

    async def report_a_leak(self) -> str:
        """Bind, report, confirm; the ticket's number."""
        await self.step("start", self._message(text="/start", entities=[_command("/start")]), "repair desk")
        contact = {"phone_number": "86" + phone(self.index), "first_name": self.user["first_name"], "user_id": self.id}
        await self.step("contact", self._message(contact=contact), "You are registered")
        await self.step("describe", self._message(text="water is dripping from the bathroom ceiling"), "It sounds like")
        await self.step("confirm category", self._press("Yes"), "Where is the problem?")
        await self.step("choose unit", self._press(f"unit {2001 + self.index}"), "at least one photo")
        photo = self.tg.add_file(jpeg(["red", "blue", "green"][self.index % 3]))
        await self.step("photo", self._message(photo=_sizes(photo)), "Photos received: 1 of 10")
        await self.step("photos done", self._press("Done"), "When would a visit suit you?")
        await self.step("visit time", self._press("Tomorrow morning"), "Please check your report")
        confirmation = await self.step("confirm", self._press("Confirm"), "is registered")
        self.number = (confirmation.get("text") or "").split("№")[1].split()[0]
        return self.number

    async def step(self, name: str, update: dict, answer: str) -> dict:
        """Send one update and wait for the bot's message holding `answer`."""
        self.last = []
        started = time.monotonic()
        await self.tg.push_update(update)
        self.updates += 1
        deadline = started + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"owner {self.index} got no «{answer}» after step «{name}»")
            message = await asyncio.wait_for(self.inbox.get(), remaining)
            self.last.append(message)
            if answer in (message.get("text") or message.get("caption") or ""):
                self.latencies.append((name, time.monotonic() - started))
                return message

    def _message(self, **content) -> dict:
        chat = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
        message_id = self.tg.next_message_id(self.id)
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": self.user}
        return {"message": {**message, **content}}

    def _press(self, text: str) -> dict:
        for message in reversed(self.last):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if text in button["text"] and "callback_data" in button:
                        query = {"id": f"storm-{next(_queries)}", "from": self.user, "chat_instance": "ci"}
                        return {"callback_query": {**query, "data": button["callback_data"], "message": message}}
        raise AssertionError(f"owner {self.index} sees no button «{text}»")


def _command(text: str) -> dict:
    return {"type": "bot_command", "offset": 0, "length": len(text)}


def _sizes(file_id: str) -> list[dict]:
    return [{"file_id": file_id, "file_unique_id": "u" + file_id, "width": 1280, "height": 960}]


def write_roster(folder: Path, count: int) -> Path:
    path = folder / "storm-roster.csv"
    path.write_text(roster(count), encoding="utf-8")
    return path
