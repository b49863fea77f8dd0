"""The engineers' screens: the task card in their group, and the job in their private chat."""

from aiogram import Router

from handlers import evidence
from handlers.engineer import card, finishing, job, plan


def setup() -> Router:
    router = Router(name="engineer")
    router.include_routers(evidence.setup(), card.setup(), job.setup(), finishing.setup(), plan.setup())
    return router
