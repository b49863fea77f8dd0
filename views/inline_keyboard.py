"""Inline keyboards, put together plainly.

aiogram's InlineKeyboardBuilder validates and deep-copies the whole keyboard at every step
(a button, adjust, as_markup): about 170 µs for a keyboard of three buttons whose markup
costs 20, and nearly every answer carries a keyboard. The screens build theirs here, with
the same calls (button, adjust, row, as_markup) and the same layout rules.
"""

from itertools import chain, repeat

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

MAX_WIDTH = 8  # buttons a row holds (aiogram's limit for inline keyboards)


class InlineKeyboard:
    def __init__(self) -> None:
        self._rows: list[list[InlineKeyboardButton]] = []

    def button(self, *, text: str, callback_data: str | CallbackData) -> "InlineKeyboard":
        """A button at the end of the last row, or a new row when that one is full."""
        data = callback_data.pack() if isinstance(callback_data, CallbackData) else callback_data
        made = InlineKeyboardButton(text=text, callback_data=data)
        if self._rows and len(self._rows[-1]) < MAX_WIDTH:
            self._rows[-1].append(made)
        else:
            self._rows.append([made])
        return self

    def adjust(self, *sizes: int) -> "InlineKeyboard":
        """All the buttons laid out again: the first row holds sizes[0] of them, the next
        sizes[1], and every row after the last size holds that last size."""
        for size in sizes:
            if not 1 <= size <= MAX_WIDTH:
                raise ValueError(f"a row holds 1 to {MAX_WIDTH} buttons, not {size}")
        widths = chain(sizes[:-1], repeat(sizes[-1] if sizes else MAX_WIDTH))
        buttons = [button for row in self._rows for button in row]
        self._rows = []
        while buttons:
            width = next(widths)
            self._rows.append(buttons[:width])
            buttons = buttons[width:]
        return self

    def row(self, *buttons: InlineKeyboardButton) -> "InlineKeyboard":
        """These buttons on rows of their own, under the others."""
        self._rows += [list(buttons[start : start + MAX_WIDTH]) for start in range(0, len(buttons), MAX_WIDTH)]
        return self

    def as_markup(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in self._rows])
