"""Faults a test can make the fake Bot API answer with, as Telegram, or a proxy in front of
it, really answers: `telegram.fail("sendMessage", Fault.html_502(), times=2, chat_id=...)`."""

import json
from dataclasses import dataclass

from aiohttp import web

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class Fault:
    status: int = 0  # 0: no answer of its own (drop, or latency then the real answer)
    body: str = ""
    content_type: str = "application/json"
    drop: bool = False  # close the connection without answering
    latency: float = 0.0  # seconds before anything happens

    @staticmethod
    def telegram(code: int, description: str, **parameters) -> "Fault":
        body = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return Fault(code, json.dumps(body))

    @classmethod
    def server_error(cls) -> "Fault":
        return cls.telegram(500, "Internal Server Error")

    @staticmethod
    def html_502(status: int = 502) -> "Fault":
        """A proxy's error page, sometimes even with status 200."""
        return Fault(status, NGINX_502, "text/html")

    @staticmethod
    def not_json() -> "Fault":
        return Fault(200, '{"ok": true, "result": {"message_id": ', "application/json")

    @classmethod
    def too_many(cls, retry_after: int = 1) -> "Fault":
        return cls.telegram(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    @classmethod
    def forbidden(cls, description: str = "Forbidden: bot was kicked from the supergroup chat") -> "Fault":
        return cls.telegram(403, description)

    @classmethod
    def migrated(cls, to_chat_id: int) -> "Fault":
        return cls.telegram(
            400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=to_chat_id
        )

    @staticmethod
    def dropped() -> "Fault":
        return Fault(drop=True)

    @staticmethod
    def slow(seconds: float) -> "Fault":
        return Fault(latency=seconds)

    def response(self) -> web.Response | None:
        """The answer in place of the real one; None to go on to the real one."""
        if self.status == 0:
            return None
        return web.Response(status=self.status, text=self.body, content_type=self.content_type)


@dataclass
class Planned:
    method: str  # lower case
    fault: Fault
    times: int
    chat_id: int | None = None
    skip: int = 0  # calls that go through first

    def applies(self, method: str, params: dict) -> bool:
        """Whether this call gets the fault (counting it off)."""
        if self.times <= 0 or self.method != method.lower():
            return False
        if self.chat_id is not None and params.get("chat_id") != self.chat_id:
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        self.times -= 1
        return True
