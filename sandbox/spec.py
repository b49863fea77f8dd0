"""The Bot API's method signatures (bot_api.json, taken from the official api.json) used to
read requests as Telegram does: typed parameters, required ones enforced."""

import json
from pathlib import Path

SPEC = json.loads((Path(__file__).parent / "bot_api.json").read_text(encoding="utf-8"))
METHODS: dict[str, dict[str, dict]] = {name.lower(): fields for name, fields in SPEC["methods"].items()}
CANONICAL = {name.lower(): name for name in SPEC["methods"]}


class BadRequest(Exception):
    def __init__(
        self, description: str, code: int = 400, retry_after: int | None = None, migrate_to_chat_id: int | None = None
    ):
        super().__init__(description)
        self.description = description
        self.code = code
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id


def coerce(method: str, raw: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """Typed parameters and a list of protocol problems (unknown parameters: Telegram
    ignores them silently, but for us they are bugs)."""
    fields = METHODS[method.lower()]
    params, problems = {}, []
    for name, value in raw.items():
        if name not in fields:
            problems.append(f"{CANONICAL[method.lower()]}: unknown parameter {name}")
            continue
        params[name] = _typed(value, fields[name]["types"])
    for name, field in fields.items():
        if field["required"] and name not in params:
            raise BadRequest(f"Bad Request: parameter {name} is required")
    return params, problems


def _typed(value: object, types: list[str]) -> object:
    if not isinstance(value, str):
        return value
    if "Integer" in types:
        try:
            return int(value)
        except ValueError:
            if "String" in types:
                return value
            raise BadRequest(f"Bad Request: invalid integer {value!r}") from None
    if types == ["Boolean"]:
        return value.lower() in ("true", "1")
    if types == ["Float"]:
        return float(value)
    if "String" in types:
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise BadRequest(f"Bad Request: can't parse {value!r} as JSON") from None
