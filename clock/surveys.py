"""The surveys' part of the sweep: remind the owners who have not answered, keep the
progress message current, close each survey on its day and send its results; and start the
yearly and the post-move-in surveys on their own when the policy asks for them."""

import asyncio
import logging
from datetime import date, datetime, time

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy.exc import IntegrityError

from domain.surveys import QUESTIONS, Scope, next_step, reminder_due, yearly_due
from services import surveys
from services.context import Services
from settings.config import Config
from storage.surveys import Recipient, Survey
from storage.unit_of_work import UnitOfWork
from views.notifier import Notifier
from views.survey_report import close, send_files
from views.surveys import ask, show_progress

BATCH = 50

log = logging.getLogger(__name__)


class SurveyClock:
    def __init__(self, config: Config, services: Services, notifier: Notifier):
        self.config = config
        self.services = services
        self.notifier = notifier
        # each open survey's figures as last drawn (storage/surveys.py progress_mark): the
        # progress message is worked out again only when they move, not on every tick
        self._shown: dict[int, tuple[int, int]] = {}

    async def sweep(self, now: datetime) -> int:
        done = await self._start_due(now)
        async with self.services.unit_of_work() as uow:
            open_ids = await surveys.surveys(uow).open_surveys()
        for survey_id in open_ids:
            try:
                done += await self._tend(survey_id, now)
            except Exception:  # one broken survey must not hold back the others
                log.exception("the clock could not tend survey %s", survey_id)
        return done

    async def _tend(self, survey_id: int, now: datetime) -> int:
        async with self.services.unit_of_work() as uow:
            survey = await surveys.surveys(uow).get(survey_id)
            if survey is None:
                return 0
            if survey.closes_at <= now:
                return await self._close(uow, survey)
        reminded = await self._remind(survey, now)
        async with self.services.unit_of_work() as uow:
            mark = await surveys.surveys(uow).progress_mark(survey.id)
            if self._shown.get(survey.id) == mark:
                return reminded
            await show_progress(self.notifier, uow, survey, await surveys.where_it_stands(self.services, uow, survey))
        self._shown[survey.id] = mark
        return reminded

    async def _remind(self, survey: Survey, now: datetime) -> int:
        """The owners due a reminder, a batch per transaction: a whole property's reminders
        falling due on one tick never hold the database or the loop for long."""
        policy, sent, after = self.services.policy, 0, 0
        while True:
            async with self.services.unit_of_work() as uow:
                repository = surveys.surveys(uow)
                before = now - policy.survey_remind_after
                due = await repository.due_reminders(survey.id, before, policy.survey_reminders, after, BATCH)
                for recipient in due:
                    sent += await self._remind_one(uow, survey, recipient, now)
            if len(due) < BATCH:
                return sent
            after = due[-1].id
            await asyncio.sleep(0)

    async def _remind_one(self, uow: UnitOfWork, survey: Survey, recipient: Recipient, now: datetime) -> bool:
        policy, repository = self.services.policy, surveys.surveys(uow)
        due = recipient.returned_at is None and reminder_due(
            recipient.asked_at,
            recipient.reminded_at,
            recipient.reminders,
            now,
            every=policy.survey_remind_after,
            most=policy.survey_reminders,
        )
        if not due or not await repository.mark_reminded(
            recipient.id, recipient.reminders, now, policy.survey_reminders
        ):
            return False
        step = next_step(await repository.scores(recipient.id), len(survey.questions)) or 0
        await ask(self.notifier, uow, survey, recipient, step, reminder=True)
        return True

    async def _close(self, uow: UnitOfWork, survey: Survey) -> int:
        closed = await close(self.notifier, uow, survey.id)
        if closed is None:
            return 0
        # closed and committed before the files go: a second sweep does not send them again
        done, png, xlsx = closed
        if done.progress_chat_id is not None:
            telegram = self.config.telegram
            session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.api_base))
            async with Bot(telegram.token.get_secret_value(), session=session) as bot:
                await send_files(bot, done.progress_chat_id, done, png, xlsx)
        return 1

    async def _start_due(self, now: datetime) -> int:
        policy = self.services.policy
        today = now.astimezone(self.services.tz).date()
        started = 0
        if yearly_due(today, policy.survey_yearly_on):
            started += await self._start_once(f"survey:yearly:{today.year}", "yearly", Scope("all"), today)
        if policy.survey_move_in and today.day == 1:
            scope = Scope("moved_in", months=policy.survey_move_in_months)
            started += await self._start_once(f"survey:move_in:{today:%Y-%m}", "move_in", scope, today)
        return started

    async def _start_once(self, key: str, kind: str, scope: Scope, today: date) -> int:
        closes = datetime.combine(today + self.services.policy.survey_open_for, time(23, 59), self.services.tz)
        try:
            async with self.services.unit_of_work() as uow:
                if not await uow.owners.once(key, self.services.clock.now()):
                    return 0
                if not await surveys.owners_in_scope(self.services, uow, scope, today):
                    return 0  # nobody moved in that month: no empty survey for the managers
                chat = self.config.staff.alert_chat_id
                survey, recipients = await surveys.start(
                    self.services, uow, kind, scope, [str(d) for d in QUESTIONS], True, closes, None, chat
                )
                for recipient in recipients:
                    await ask(self.notifier, uow, survey, recipient, 0)
                await show_progress(
                    self.notifier, uow, survey, await surveys.where_it_stands(self.services, uow, survey)
                )
                log.info("survey %s (%s) started for %d owners", survey.id, kind, len(recipients))
            return 1
        except IntegrityError:  # another process started it a moment ago
            return 0
