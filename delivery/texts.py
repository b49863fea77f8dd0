"""Telegram's length limits, counted as Telegram counts them (UTF-16 code units: an emoji
is two), and how a long text is cut so that it is never refused."""

MAX_TEXT = 4096
MAX_CAPTION = 1024


def units(text: str) -> int:
    """The length Telegram measures: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units."""
    count = 0
    for index, char in enumerate(text):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > limit:
            return index
    return len(text)


def _cut(text: str, limit: int) -> tuple[str, str]:
    """The longest head within the limit, cut at a line break if there is one in its second
    half, else at a space, else anywhere; the tail starts after the break."""
    end = _fit(text, limit)
    if end == len(text):
        return text, ""
    for separator in ("\n", " "):
        at = text.rfind(separator, end // 2, end)
        if at > 0:
            return text[:at], text[at + 1 :]
    return text[:end], text[end:]


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """The text as messages of at most `limit` units each, in order."""
    parts = []
    while units(text) > limit:
        head, text = _cut(text, limit)
        if head.strip():
            parts.append(head)
    if text.strip() or not parts:
        parts.append(text)
    return parts


def split_caption(caption: str) -> tuple[str, list[str]]:
    """A caption within Telegram's limit, and the rest as texts to send after the photo."""
    if units(caption) <= MAX_CAPTION:
        return caption, []
    head, rest = _cut(caption, MAX_CAPTION)
    return head, split_text(rest) if rest.strip() else []


def trim(text: str, limit: int = MAX_TEXT) -> str:
    """A text that has to stay one message (an edit): cut, with an ellipsis saying so."""
    if units(text) <= limit:
        return text
    return _cut(text, limit - 1)[0] + "…"
