"""Telegram's length limits, counted in UTF-16 code units as Telegram counts them."""

from delivery.texts import MAX_CAPTION, MAX_TEXT, split_caption, split_text, trim, units


def test_an_emoji_counts_twice():
    assert units("😡") == 2 and units("水") == 1 and units("a😡b") == 4


def test_a_text_within_the_limit_stays_whole():
    assert split_text("hello\nworld") == ["hello\nworld"]
    assert split_text("x" * MAX_TEXT) == ["x" * MAX_TEXT]


def test_a_long_text_is_cut_at_line_breaks_and_loses_nothing():
    lines = [f"{index:03} " + "水" * 96 for index in range(100)]  # 100 units a line
    parts = split_text("\n".join(lines))
    assert [len(part.split("\n")) for part in parts] == [40, 40, 20]
    assert "\n".join(parts) == "\n".join(lines)
    assert all(units(part) <= MAX_TEXT for part in parts)


def test_emoji_are_never_cut_in_half():
    parts = split_text("😡" * 2500)
    assert [units(part) for part in parts] == [4096, 904]
    assert "".join(parts) == "😡" * 2500


def test_a_text_without_breaks_is_cut_at_a_space():
    words = " ".join(["word"] * 2000)  # 9,999 units
    parts = split_text(words)
    assert all(units(part) <= MAX_TEXT and not part.startswith(" ") for part in parts)
    assert " ".join(parts) == words


def test_a_long_caption_keeps_its_head_and_sends_the_rest():
    caption = "\n".join(["line " + "x" * 95] * 30)  # 3,029 units
    head, rest = split_caption(caption)
    assert units(head) <= MAX_CAPTION and head.endswith("x")
    assert "\n".join([head, *rest]) == caption
    assert split_caption("short") == ("short", [])


def test_an_edit_that_must_stay_one_message_is_trimmed_with_an_ellipsis():
    assert trim("short") == "short"
    trimmed = trim("word " * 1000)
    assert units(trimmed) <= MAX_TEXT and trimmed.endswith("…")
