"""Our keyboards (views/inline_keyboard.py) are laid out as aiogram's builder lays them out."""

import pytest
from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder

from views.buttons import CategoryPick
from views.inline_keyboard import InlineKeyboard

LAYOUTS = [None, (), (1,), (2,), (3,), (5,), (8,), (1, 2, 1), (1, 2, 2), (3, 2), (2, 3), (1, 2, 2, 2, 2)]


@pytest.mark.parametrize("sizes", LAYOUTS)
@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 8, 9, 17])
def test_buttons_are_laid_out_as_aiogram_lays_them_out(count, sizes):
    ours, aiograms = InlineKeyboard(), InlineKeyboardBuilder()
    for keyboard in (ours, aiograms):
        for number in range(count):
            keyboard.button(text=f"button {number}", callback_data=f"data:{number}")
        if sizes is not None:
            keyboard.adjust(*sizes)
    assert ours.as_markup() == aiograms.as_markup()


def test_a_row_added_under_the_others_and_button_data_packed():
    turns = [InlineKeyboardButton(text=f"turn {n}", callback_data=f"t:{n}") for n in range(10)]
    ours, aiograms = InlineKeyboard(), InlineKeyboardBuilder()
    for keyboard in (ours, aiograms):
        keyboard.button(text="pick", callback_data=CategoryPick(code="leak"))
        keyboard.adjust(1)
        keyboard.row(*turns)
    assert ours.as_markup() == aiograms.as_markup()
    assert ours.as_markup().inline_keyboard[0][0].callback_data == CategoryPick(code="leak").pack()


def test_a_row_wider_than_telegram_allows_is_refused():
    with pytest.raises(ValueError):
        InlineKeyboard().button(text="a", callback_data="a").adjust(9)
