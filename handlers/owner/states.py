"""The steps of an owner's conversations; the state lives in the database (storage.conversations)."""

from aiogram.fsm.state import State, StatesGroup


class Binding(StatesGroup):
    block = State()
    unit = State()


class Report(StatesGroup):
    suggestion = State()  # "it sounds like a leak — right?"
    category = State()
    emergency_kind = State()  # which emergency, after the 🚨 button
    place = State()
    public_area = State()
    description = State()
    photos = State()
    visit_time = State()
    summary = State()
    edit = State()


STEP_STATES = {
    "category": Report.category,
    "place": Report.place,
    "public_area": Report.public_area,
    "description": Report.description,
    "photos": Report.photos,
    "visit_time": Report.visit_time,
}
