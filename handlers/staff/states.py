"""The steps of a report customer service files (the state lives where owners' does)."""

from aiogram.fsm.state import State, StatesGroup


class Desk(StatesGroup):
    kind = State()  # for an owner or for a public area
    find = State()  # the owner's block and unit, or phone
    owner = State()  # which of the unit's owners in Telegram, or one who is not
    name = State()  # an owner not in Telegram: the name …
    phone = State()  # … and the phone
    block = State()  # a public area: which block …
    location = State()  # … and where in it
    channel = State()  # by phone or at the desk
    topic = State()  # a complaint: what about …
    words = State()  # … and what happened
    description = State()
    category = State()
    emergency_kind = State()
    photos = State()
    visit_time = State()
    summary = State()
