"""User-facing text: gettext catalogs under locales/, one per language, keyed by message id.

The .po files are read with Babel at start, so there is no compile step to forget.
"""

from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "baoxiu"


class Translator:
    """The text of one language; `t("ticket.filed", number=...)` formats a message."""

    def __init__(self, language: str, messages: dict[str, str], fallback: dict[str, str]):
        self.language = language
        self._messages = messages
        self._fallback = fallback

    def __call__(self, message_id: str, **values: object) -> str:
        text = self._messages.get(message_id) or self._fallback.get(message_id) or message_id
        return text.format_map(_Blank(values)) if values else text


class _Blank(dict):
    """A placeholder with no value prints as nothing rather than failing the message."""

    def __missing__(self, key: str) -> str:
        return ""


class Catalogs:
    def __init__(self, directory: Path = LOCALES, fallback_language: str = "en"):
        self._messages = {
            path.parent.parent.name: _read(path) for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        }
        self._fallback = self._messages.get(fallback_language, {})

    @property
    def languages(self) -> set[str]:
        return set(self._messages)

    def messages(self, language: str) -> dict[str, str]:
        return self._messages[language]

    def translator(self, language: str) -> Translator:
        return Translator(language, self._messages.get(language, {}), self._fallback)


def _read(path: Path) -> dict[str, str]:
    with path.open("rb") as po:
        catalog = read_po(po)
    return {message.id: message.string for message in catalog if message.id and message.string}


def pick_language(chosen: str | None, telegram_code: str | None, supported: list[str], default: str) -> str:
    """The owner's own choice, else their Telegram app's language, else the property's."""
    if chosen in supported:
        return chosen
    base = (telegram_code or "").split("-")[0].lower()
    return base if base in supported else default
