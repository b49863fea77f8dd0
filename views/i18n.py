"""User-facing text: gettext catalogs under locales/, one per language, keyed by message id.

The .po files are read with Babel at start, so there is no compile step to forget.

A message that depends on a number is a plural entry: its `msgid_plural` names the value
that picks the form (for example `count`), and each language has the forms its
`Plural-Forms` header asks for (English two, Russian three, Chinese one), so callers write
`t("manager.rain", count=3)` and never choose a form themselves.
"""

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "baoxiu"


@dataclass(frozen=True)
class Plural:
    """The forms of one message and the name of the value that chooses among them."""

    forms: tuple[str, ...]
    decided_by: str


Text = str | Plural


class Translator:
    """The text of one language; `t("ticket.filed", number=...)` formats a message.

    A placeholder without a value is an error (KeyError), never printed blank: a message
    missing its number is a bug to be caught by the tests, not shown to an owner."""

    def __init__(
        self,
        language: str,
        messages: dict[str, Text],
        fallback: dict[str, Text],
        plural_of: Callable[[int], int],
    ):
        self.language = language
        self._messages = messages
        self._fallback = fallback
        self._plural_of = plural_of

    def __call__(self, message_id: str, **values: object) -> str:
        text = self._messages.get(message_id) or self._fallback.get(message_id) or message_id
        if isinstance(text, Plural):
            text = self._form(text, values)
        return text.format_map(values) if values else text

    def _form(self, plural: Plural, values: dict[str, object]) -> str:
        number = values[plural.decided_by]
        index = self._plural_of(abs(int(number))) if isinstance(number, int | float) else len(plural.forms) - 1
        return plural.forms[min(index, len(plural.forms) - 1)]


@dataclass(frozen=True)
class _Catalog:
    messages: dict[str, Text]
    plural_of: Callable[[int], int]


class Catalogs:
    def __init__(self, directory: Path = LOCALES, fallback_language: str = "en"):
        self._catalogs = {
            path.parent.parent.name: _read(path) for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        }
        fallback = self._catalogs.get(fallback_language)
        self._fallback: dict[str, Text] = fallback.messages if fallback else {}

    @property
    def languages(self) -> set[str]:
        return set(self._catalogs)

    def messages(self, language: str) -> dict[str, Text]:
        return self._catalogs[language].messages

    def translator(self, language: str) -> Translator:
        catalog = self._catalogs.get(language) or _Catalog({}, lambda n: int(n != 1))
        return Translator(language, catalog.messages, self._fallback, catalog.plural_of)


def _read(path: Path) -> _Catalog:
    with path.open("rb") as po:
        catalog = read_po(po)
    messages: dict[str, Text] = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple | list):
            messages[message.id[0]] = Plural(tuple(message.string), message.id[1])
        else:
            messages[message.id] = str(message.string)
    return _Catalog(messages, gettext.c2py(catalog.plural_expr))


def pick_language(chosen: str | None, telegram_code: str | None, supported: list[str], default: str) -> str:
    """The owner's own choice, else their Telegram app's language, else the property's."""
    if chosen in supported:
        return chosen
    base = (telegram_code or "").split("-")[0].lower()
    return base if base in supported else default
