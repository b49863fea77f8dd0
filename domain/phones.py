"""Phone numbers in one normal form (E.164), so a roster's "138 0000 0001" and the
"8613800000001" Telegram sends are the same number."""

import phonenumbers


def normalize_phone(raw: str, region: str, *, international: bool = False) -> str | None:
    """E.164 form of a valid number, or None.

    A roster writes local numbers, read in `region`. Telegram sends a contact's full
    international number, often without "+" ("8613800000001"): with `international` it is
    read as such first, since "79161234567" is also a valid-looking local number in China.
    """
    text = raw.strip()
    if text.startswith("+"):
        candidates = [text]
    elif international:
        candidates = ["+" + text, text]
    else:
        candidates = [text, "+" + text]
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
