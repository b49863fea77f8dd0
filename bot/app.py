"""Start-up: one function builds everything from the config and hands it down.

No module-level bot, dispatcher or engine: tests build as many applications as they like
(a restart is a second `build` on the same database).
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
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import set_commands
from bot.middlewares import (
    CommitBeforeTelegram,
    KeepAnswerModels,
    LanguageMiddleware,
    OnceMiddleware,
    UnitOfWorkMiddleware,
)
from clock.scheduler import DeadlineClock
from delivery.sender import OutboxSender
from domain.clock import Clock, SystemClock
from domain.durations import parse_duration
from handlers import common, engineer, groups, manager, owner, trades
from handlers.owner.albums import PhotoAcknowledger
from services.context import Services
from services.evidence import PhotoStore
from settings.config import Config
from storage.conversations import DatabaseStorage
from storage.database import create_engine, migrate, session_factory
from views.i18n import Catalogs
from views.notifier import Notifier

log = logging.getLogger(__name__)


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
    _sending: asyncio.Task | None = None
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        """Bring the schema up to date and tell Telegram our command menus."""
        await migrate(self.engine)
        catalogs = self.dispatcher["catalogs"]
        staff = self.config.staff
        manager_chats = sorted({c for c in [staff.alert_chat_id, *(d.chat_id for d in staff.duty)] if c})
        await set_commands(
            self.bot, catalogs, self.config.property.languages, self.config.property.default_language, manager_chats
        )

    async def run_polling(self, handle_signals: bool = True) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self.dispatcher.start_polling(
            self.bot, handle_signals=handle_signals, allowed_updates=self.dispatcher.resolve_used_update_types()
        )

    async def run_webhook(self, handle_signals: bool = True) -> None:
        """Telegram posts updates to our own web server; it runs until stop() or a signal."""
        hook = self.config.telegram.webhook
        secret = hook.secret.get_secret_value() if hook.secret else None
        web_app = web.Application()
        # the dispatcher's shutdown (drain, then flush the outbox) must run before the
        # handler's own shutdown closes the bot's session, so it is set up first
        setup_application(web_app, self.dispatcher, bot=self.bot)
        SimpleRequestHandler(self.dispatcher, self.bot, secret_token=secret).register(web_app, path=hook.path)
        runner = web.AppRunner(web_app)
        await runner.setup()
        await web.TCPSite(runner, hook.listen, hook.port).start()
        if handle_signals:
            for signal_number in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(signal_number, self._stopped.set)
        try:
            await self.bot.set_webhook(
                hook.url, secret_token=secret, allowed_updates=self.dispatcher.resolve_used_update_types()
            )
            await self._stopped.wait()
        finally:
            await runner.cleanup()  # the dispatcher's shutdown: updates in hand finish first

    async def stop(self) -> None:
        if self.config.telegram.mode == "webhook":
            self._stopped.set()
        else:
            await self.dispatcher.stop_polling()

    async def _on_startup(self) -> None:
        self.notifier.bot_username = (await self.bot.me()).username or ""
        self._sending = asyncio.create_task(self.sender.run())
        self.clock.start()

    async def _on_shutdown(self) -> None:
        """Finish the updates in hand, send pending acknowledgements and let the sends under
        way finish before the bot's session closes; the rest waits in the outbox."""
        try:
            await asyncio.wait_for(self.in_flight.idle.wait(), timeout=30)
        except TimeoutError:
            log.warning("%d updates were still being handled at shutdown", self.in_flight.count)
        self.clock.stop()
        await self.acks.flush()
        await self.sender.stop()
        if self._sending is not None:
            await self._sending

    async def close(self) -> None:
        await self.bot.session.close()
        await self.engine.dispose()


async def serve(app: App, handle_signals: bool = True) -> None:
    """What `baoxiu run` does: migrate, set the menus, poll until stopped, then close."""
    try:
        await app.start()
        if app.config.telegram.mode == "webhook":
            await app.run_webhook(handle_signals=handle_signals)
        else:
            await app.run_polling(handle_signals=handle_signals)
    finally:
        await app.close()


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
    storage, isolation = _conversation_storage(config, sessions, storage)
    catalogs = Catalogs()
    acks = PhotoAcknowledger(parse_duration_seconds(config.telegram.album_wait))
    sender = OutboxSender(bot, sessions, config.telegram.limits.to_limits())
    notifier = Notifier(config, services, catalogs, sender.wake)
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
    _wire(dispatcher, services, catalogs, config, in_flight)
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
        DeadlineClock(config, services, notifier),
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


def _wire(dispatcher: Dispatcher, services: Services, catalogs: Catalogs, config: Config, in_flight: InFlight) -> None:
    # The unit of work opens before aiogram's conversation middleware reads the state
    # (the conversation store uses it), so that middleware moves behind it.
    dispatcher.update.outer_middleware.unregister(dispatcher.fsm)
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(UnitOfWorkMiddleware(services))
    dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.update.outer_middleware(OnceMiddleware(services))
    dispatcher.update.outer_middleware(
        LanguageMiddleware(catalogs, config.property.languages, config.property.default_language)
    )
    dispatcher.callback_query.middleware(CallbackAnswerMiddleware(pre=True))
    dispatcher.include_routers(
        trades.setup(),
        groups.setup(),
        engineer.setup(),
        manager.setup(),
        manager.refusals(),
        common.setup(),
        owner.setup(catalogs),
        common.fallbacks(),
    )
