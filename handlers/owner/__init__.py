"""The owner's screens, in private chats: binding, reporting, photos, their tickets."""

from aiogram import F, Router

from handlers.owner import (
    binding,
    callback,
    complaint,
    emergency,
    hints,
    job,
    photos,
    report,
    summary,
    survey,
    tickets,
)


def setup(catalogs) -> Router:
    router = Router(name="owner")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")
    router.include_routers(
        emergency.setup(catalogs),  # first: the 🚨 button leaves whatever step the owner is at
        survey.setup(),
        complaint.setup(catalogs),
        callback.setup(),
        job.setup(),
        tickets.setup(catalogs),
        photos.setup(),
        report.setup(catalogs),
        summary.setup(),
        binding.setup(),
        hints.setup(),
    )
    return router
