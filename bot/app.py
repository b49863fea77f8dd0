"""Start-up: one function builds everything from the config and hands it down.

No module-level bot, dispatcher or engine: tests build as many applications as they like
(a restart is a second `build` on the same database). It is the one module that knows
every room, which is why it is longer than most: the wiring is read in one place.

Over 300 lines (about 400), on purpose: the App (start, polling or webhook, a clean stop) and `build`
(every room put together from the config) are the whole of start-up, and split across
modules the order in which things are made and stopped could no longer be read at once.
"""

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.answers import SafeCallbackAnswer
from bot.commands import set_commands
from bot.leader import ClockLeader
from bot.logs import UpdateContext
from bot.middlewares import (
    CommitBeforeTelegram,
    FreshUpdates,
    KeepAnswerModels,
    LanguageMiddleware,
    OnceMiddleware,
    UnitOfWorkMiddleware,
)
from bot.monitoring import Metrics, monitoring_app, start_monitoring
from bot.preflight import configured_chats, open_database, warn_of_missing_chats
from bot.routing import speed_up
from bot.startup import CannotStart, until_reached
from bot.webhook import SecretCheckedHandler
from clock.scheduler import DeadlineClock
from delivery.retries import Retries
from delivery.sender import OutboxSender
from domain.clock import Clock, SystemClock
from domain.durations import parse_duration
from handlers import common, engineer, groups, manager, owner, staff, trades
from handlers.owner.albums import PhotoAcknowledger
from services.context import Services
from services.evidence import PhotoStore
from settings.config import Config
from storage.conversations import DatabaseStorage
from storage.database import create_engine, migrate, session_factory
from views.i18n import Catalogs
from views.notifier import Notifier

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GREETING_TIMEOUT = 20  # seconds for getMe at start-up, so a silent network is reported soon
SENDER_STOP = 20  # seconds the sender gets at shutdown to finish the sends under way


class InFlight(BaseMiddleware):
    """Counts updates being handled, so a shutdown can let them finish."""

    def __init__(self):
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()

    async def __call__(
        self, handler: Callable[[Any, dict[str, Any]], Awaitable[Any]], event: Any, data: dict[str, Any]
    ) -> Any:
        self.count += 1
        self.idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.count -= 1
            if self.count == 0:
                self.idle.set()


@dataclass
class App:
    config: Config
    bot: Bot
    dispatcher: Dispatcher
    services: Services
    engine: AsyncEngine
    acks: PhotoAcknowledger
    in_flight: InFlight
    sender: OutboxSender
    notifier: Notifier
    clock: DeadlineClock
    leader: ClockLeader
    fresh: FreshUpdates
    _sending: asyncio.Task | None = None
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)
    metrics: Metrics = field(default_factory=Metrics)
    _polling: bool = False  # the dispatcher's polling loop is under way
    _serving: bool = False  # updates are being taken (polling or webhook)
    _stopping: asyncio.Task | None = None
    _monitoring: web.AppRunner | None = None
    _checking_chats: asyncio.Task | None = None

    async def start(self) -> bool:
        """Bring the schema up to date, then reach Telegram: who we are, our command menus.

        While Telegram cannot be reached it retries, one line each time; False when stopped
        before it got through. A token Telegram refuses, or a database the bot cannot use,
        raises CannotStart.
        """
        await open_database(self.config.storage.database_url, lambda: migrate(self.engine))
        return await until_reached(self._greet_telegram, self.config.telegram.api_base, self._stopped)

    async def _greet_telegram(self) -> None:
        await self.bot.get_me(request_timeout=GREETING_TIMEOUT)
        catalogs = self.dispatcher["catalogs"]
        staff = self.config.staff
        manager_chats = sorted({c for c in [staff.alert_chat_id, *(d.chat_id for d in staff.duty)] if c})
        desk = sorted({*staff.customer_service, *staff.managers})
        await set_commands(
            self.bot,
            catalogs,
            self.config.property.languages,
            self.config.property.default_language,
            manager_chats,
            desk,
        )
        if self.config.telegram.mode == "polling":
            await self.bot.delete_webhook(drop_pending_updates=False)

    async def run_polling(self) -> None:
        await self.dispatcher.start_polling(
            self.bot, handle_signals=False, allowed_updates=self.dispatcher.resolve_used_update_types()
        )

    async def run_webhook(self) -> None:
        """Telegram posts updates to our own web server; it runs until stop() or a signal."""
        hook = self.config.telegram.webhook
        if hook is None or hook.secret is None:
            raise CannotStart("telegram.webhook.secret: required in webhook mode")
        secret = hook.secret.get_secret_value()
        web_app = web.Application()
        # the dispatcher's shutdown (drain, then flush the outbox) must run before the
        # handler's own shutdown closes the bot's session, so it is set up first
        setup_application(web_app, self.dispatcher, bot=self.bot)
        SecretCheckedHandler(self.dispatcher, self.bot, secret).register(web_app, path=hook.path)
        runner = web.AppRunner(web_app)
        await runner.setup()
        try:
            await self._listen(runner, hook.listen, hook.port)
            if await until_reached(
                lambda: self._set_webhook(hook.url, secret), self.config.telegram.api_base, self._stopped
            ):
                await self._stopped.wait()
        finally:
            await runner.cleanup()  # the dispatcher's shutdown: updates in hand finish first

    @staticmethod
    async def _listen(runner: web.AppRunner, host: str, port: int) -> None:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            raise CannotStart(
                f"cannot listen on {host}:{port} (telegram.webhook.listen and port): {error.strerror or error}"
            ) from None

    async def _set_webhook(self, url: str, secret: str) -> None:
        try:
            await self.bot.set_webhook(
                url, secret_token=secret, allowed_updates=self.dispatcher.resolve_used_update_types()
            )
        except TelegramBadRequest as error:
            raise CannotStart(f"telegram.webhook.url: Telegram refused {url}: {error.message}") from None

    async def stop(self) -> None:
        """Stop serving, whichever stage start-up has reached; safe to call more than once."""
        self._stopped.set()
        if self._polling:
            self._polling = False
            await self.dispatcher.stop_polling()

    def _on_signal(self) -> None:
        self._stopping = asyncio.create_task(self.stop())

    async def _on_startup(self) -> None:
        self.notifier.bot_username = (await self.bot.me()).username or ""
        # polling has begun (its lock is held): a stop asked for before now is honoured here
        self._polling = self.config.telegram.mode == "polling"
        if self._polling and self._stopped.is_set():
            self._on_signal()
        if self.fresh.enabled:
            async with self.services.unit_of_work() as uow:
                self.fresh.begin_after(await uow.updates.highest())
        self._sending = asyncio.create_task(self.sender.run())
        # a configured chat the bot is not in is a warning line; owners need not wait for it
        self._checking_chats = asyncio.create_task(warn_of_missing_chats(self.bot, configured_chats(self.config)))
        self.leader.start()  # the clock, in one worker only
        self._serving = True
        await self._start_monitoring()

    async def _start_monitoring(self) -> None:
        section = self.config.monitoring
        if section.port is None:
            return
        page = monitoring_app(self.metrics, self.services.sessions, lambda: self._serving, self.services.clock.now)
        try:
            self._monitoring = await start_monitoring(page, section.listen, section.port)
        except OSError as error:  # the bot goes on: monitoring is for the operator, not the owners
            log.error("monitoring cannot listen on %s:%s: %s", section.listen, section.port, error.strerror)

    async def _on_shutdown(self) -> None:
        """Finish the updates in hand, send pending acknowledgements and let the sends under
        way finish before the bot's session closes; the rest waits in the outbox."""
        self._polling = self._serving = False
        if self._monitoring is not None:
            await self._monitoring.cleanup()
        try:
            await asyncio.wait_for(self.in_flight.idle.wait(), timeout=30)
        except TimeoutError:
            log.warning("%d updates were still being handled at shutdown", self.in_flight.count)
        await self.clock.finish()
        await self.leader.stop()
        if self._checking_chats is not None:
            self._checking_chats.cancel()
        await self.acks.flush()
        try:  # a stop never hangs: what is not written down as sent goes again after the start
            await asyncio.wait_for(self._stop_sending(), timeout=SENDER_STOP)
        except TimeoutError:
            log.warning("the sender did not stop within %d s; its messages wait in the outbox", SENDER_STOP)
            if self._sending is not None:
                self._sending.cancel()

    async def _stop_sending(self) -> None:
        await self.sender.stop()
        if self._sending is not None:
            await self._sending

    async def close(self) -> None:
        await self.bot.session.close()
        await self.engine.dispose()


async def serve(app: App, handle_signals: bool = True) -> None:
    """What `baoxiu run` does: migrate, reach Telegram, serve until stopped, then close.

    SIGINT and SIGTERM stop it at any stage, even while it waits for the network.
    """
    loop = asyncio.get_running_loop()
    if handle_signals:
        for signal_number in STOP_SIGNALS:
            loop.add_signal_handler(signal_number, app._on_signal)
    try:
        if not await app.start():
            return
        if app.config.telegram.mode == "webhook":
            await app.run_webhook()
        else:
            await app.run_polling()
    finally:
        await app.close()
        if handle_signals:
            for signal_number in STOP_SIGNALS:
                loop.remove_signal_handler(signal_number)


def build(config: Config, clock: Clock | None = None, storage: BaseStorage | None = None) -> App:
    engine = create_engine(config.storage.database_url)
    sessions = session_factory(engine)
    services = Services(
        sessions=sessions,
        clock=clock or SystemClock(),
        policy=config.domain_policy(),
        tz=config.tz,
        contractors=config.contractor_rules(),
        phone_region=config.property.phone_region,
        photos=PhotoStore(config.storage.photo_dir),
        configured_chats={c.code: c.chat_id for c in config.contractors if c.chat_id is not None},
        calendar=config.working_calendar(),
    )
    session = AiohttpSession(api=TelegramAPIServer.from_base(config.telegram.api_base))
    bot = Bot(config.telegram.token.get_secret_value(), session=session)
    bot.session.middleware(KeepAnswerModels())
    bot.session.middleware(CommitBeforeTelegram())
    metrics = Metrics()
    bot.session.middleware(
        Retries(first_retry=config.telegram.limits.to_limits().retry_base, on_too_many_requests=metrics.too_many)
    )
    storage, isolation = _conversation_storage(config, sessions, storage)
    catalogs = Catalogs()
    acks = PhotoAcknowledger(parse_duration_seconds(config.telegram.album_wait))
    # Only a bot on SQLite without Redis is surely one process: only its sender may free,
    # at start, the claims a dead run left. On PostgreSQL other workers' claims are live.
    sender = OutboxSender(
        bot,
        sessions,
        config.telegram.limits.to_limits(),
        sole=engine.dialect.name == "sqlite" and not config.storage.redis_url,
        on_too_many_requests=metrics.too_many,
    )
    notifier = Notifier(config, services, catalogs, sender.wake)
    sender.troubles = notifier  # the managers hear of staff chats Telegram refuses
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=isolation,
        config=config,
        services=services,
        catalogs=catalogs,
        acks=acks,
        notifier=notifier,
    )
    in_flight = InFlight()
    fresh = FreshUpdates(config.telegram.mode == "polling" and isinstance(storage, DatabaseStorage))
    _wire(dispatcher, services, catalogs, config, in_flight, metrics, fresh)
    clock_jobs = DeadlineClock(config, services, notifier, on_swept=metrics.sweep_seconds.observe)
    app = App(
        config,
        bot,
        dispatcher,
        services,
        engine,
        acks,
        in_flight,
        sender,
        notifier,
        clock_jobs,
        ClockLeader(engine, clock_jobs.start, clock_jobs.stop, config.storage.redis_url),
        fresh,
        metrics=metrics,
    )
    dispatcher.startup.register(app._on_startup)
    dispatcher.shutdown.register(app._on_shutdown)
    return app


def _conversation_storage(config: Config, sessions, storage: BaseStorage | None):
    if storage is not None:
        return storage, SimpleEventIsolation()
    if config.storage.redis_url:
        # Several workers share conversations and locks through Redis.
        from aiogram.fsm.storage.redis import RedisStorage

        redis_storage = RedisStorage.from_url(config.storage.redis_url)
        return redis_storage, redis_storage.create_isolation()
    return DatabaseStorage(sessions), SimpleEventIsolation()


def parse_duration_seconds(text: str) -> float:
    return parse_duration(text).total_seconds()


def _wire(
    dispatcher: Dispatcher,
    services: Services,
    catalogs: Catalogs,
    config: Config,
    in_flight: InFlight,
    metrics: Metrics,
    fresh: FreshUpdates,
) -> None:
    dispatcher.update.outer_middleware(UpdateContext())
    dispatcher.update.outer_middleware(metrics.middleware())
    # The unit of work opens before aiogram's conversation middleware reads the state
    # (the conversation store uses it), so that middleware moves behind it.
    dispatcher.update.outer_middleware.unregister(dispatcher.fsm)
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(UnitOfWorkMiddleware(services))
    dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.update.outer_middleware(OnceMiddleware(services, fresh))
    dispatcher.update.outer_middleware(
        LanguageMiddleware(catalogs, config.property.languages, config.property.default_language)
    )
    dispatcher.callback_query.middleware(SafeCallbackAnswer(pre=True))
    dispatcher.errors.register(common.something_went_wrong)
    dispatcher.include_routers(
        trades.setup(),
        groups.setup(),
        staff.setup(),  # before the others: the desk's conversation steps are its own
        staff.verification(),
        staff.proxy(),
        engineer.setup(),
        manager.setup(),
        manager.ladder(),
        manager.refusals(),
        staff.refusals(),
        common.setup(),
        owner.setup(catalogs),
        common.fallbacks(),
    )
    speed_up(dispatcher)
