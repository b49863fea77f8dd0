"""`GET /healthz` and `GET /metrics` for the operator, on `[monitoring] port` (127.0.0.1
unless `listen` says otherwise).

The metrics are in Prometheus' text format (prometheus_client), each application with a
registry of its own so that tests may build several. What changes with every update (updates
handled, handler latency) is counted as it happens; what is a state of the database (the
outbox's backlog, open tickets by state) is read when scraped, by one query each.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.health import database_answers, open_tickets_by_status, outbox_backlog

log = logging.getLogger(__name__)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter("baoxiu_updates", "Updates handled, by kind", ["kind"], registry=self.registry)
        self.update_errors = Counter("baoxiu_update_errors", "Updates whose handler failed", registry=self.registry)
        self.handler_seconds = Histogram(
            "baoxiu_handler_seconds", "Time to handle one update", registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )  # fmt: skip
        self.too_many_requests = Counter(
            "baoxiu_telegram_429", "Telegram's 429 answers (Too Many Requests)", registry=self.registry
        )
        self.sweep_seconds = Histogram("baoxiu_sweep_seconds", "Duration of the clock's sweep", registry=self.registry)
        self.outbox_depth = Gauge("baoxiu_outbox_depth", "Messages waiting in the outbox", registry=self.registry)
        self.outbox_oldest = Gauge(
            "baoxiu_outbox_oldest_seconds", "Age of the oldest message waiting in the outbox", registry=self.registry
        )
        self.open_tickets = Gauge("baoxiu_open_tickets", "Open tickets by state", ["state"], registry=self.registry)

    def too_many(self) -> None:
        """Telegram answered 429 (the sender and the replies' retries call it)."""
        self.too_many_requests.inc()

    def middleware(self) -> "UpdateMetrics":
        return UpdateMetrics(self)

    async def refresh(self, sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
        """Read the database's side of the picture just before a scrape."""
        async with sessions() as session:
            depth, oldest = await outbox_backlog(session)
            by_state = await open_tickets_by_status(session)
        self.outbox_depth.set(depth)
        self.outbox_oldest.set((now - _aware(oldest)).total_seconds() if oldest else 0)
        self.open_tickets.clear()
        for state, count in by_state.items():
            self.open_tickets.labels(state).set(count)


class UpdateMetrics(BaseMiddleware):
    """Counts every update by kind and times its handling (an outer middleware)."""

    def __init__(self, metrics: Metrics):
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        self.metrics.updates.labels(kind).inc()
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception:
            self.metrics.update_errors.inc()
            raise
        finally:
            self.metrics.handler_seconds.observe(time.perf_counter() - started)


def monitoring_app(
    metrics: Metrics,
    sessions: async_sessionmaker[AsyncSession],
    is_running: Callable[[], bool],
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        problem = None if is_running() else "the bot is not polling or serving its webhook"
        if problem is None:
            try:
                async with sessions() as session:
                    await database_answers(session)
            except (SQLAlchemyError, OSError) as error:
                problem = f"the database does not answer: {error.__class__.__name__}"
        if problem:
            return web.Response(status=503, text=f"unhealthy: {problem}\n")
        return web.Response(text="ok\n")

    async def metrics_page(_request: web.Request) -> web.Response:
        try:
            await metrics.refresh(sessions, now())
        except (SQLAlchemyError, OSError) as error:
            log.warning("metrics: the database's figures are stale (%s)", error.__class__.__name__)
        body = generate_latest(metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    return app


async def start_monitoring(app: web.Application, listen: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen, port).start()
    return runner


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
