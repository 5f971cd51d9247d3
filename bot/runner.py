"""Start, run and stop the bot: database, application, inbox processor and intake."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Literal

from bot import commands, retention
from bot.app import admin_commands, build_application
from bot.config import Settings
from bot.context import BotData
from bot.handlers import faq_learning
from bot.health import Health, HealthServer
from bot.housekeeping import Housekeeping, prune_steps
from bot.intake import PollingIntake, WebhookIntake
from bot.moderation import service as moderation_service
from bot.processor import InboxProcessor
from storage.db import Database

log = logging.getLogger(__name__)

Mode = Literal["polling", "webhook"]

OUTBOX_GRACE = 1.0


async def run(
    settings: Settings, mode: Mode = "polling", stop: asyncio.Event | None = None
) -> None:
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    db = Database(settings.database_path)
    app = build_application(settings, db)
    data = app.bot_data
    assert isinstance(data, BotData)
    processor = InboxProcessor(app, db, settings.inbox_workers)
    health = Health(settings, db, processor, data.telegram_calls)
    listener = None
    if settings.health_port is not None:
        # First of all: a port in use stops the bot with one line, before the database is made.
        listener = HealthServer(health, settings.health_listen, settings.health_port)
        await listener.start()
    try:
        async with db:
            applied = await db.migrate()
            if applied:
                log.info("applied migrations %s", applied)
            if await db.enable_incremental_vacuum():
                log.info("database converted to incremental vacuum")
            if settings.moderation_chat_id is None:
                log.warning(
                    "MODERATION_CHAT_ID is not set: submissions are stored, but no card is sent"
                )
            async with app:
                await _serve(settings, mode, stop, processor, health)
    finally:
        if listener is not None:
            await listener.stop()
    log.info("stopped")


async def _serve(
    settings: Settings, mode: Mode, stop: asyncio.Event, processor: InboxProcessor, health: Health
) -> None:
    app, data = processor.app, processor.bot_data
    await app.start()
    await commands.publish(app.bot, data.i18n, settings.default_language, data.commands)
    await commands.publish_for_chats(
        app.bot,
        data.i18n,
        settings.default_language,
        data.commands + admin_commands(),
        settings.admin_ids,
    )
    await moderation_service.restore_migration(data)
    await faq_learning.restore(data)
    await data.outbox.start()
    await data.announcements.start()
    housekeeping = Housekeeping(
        processor.db,
        settings,
        [*prune_steps(), ("unfinished forms", retention.drop_unfinished_forms)],
    )
    await housekeeping.start()
    # Whatever a crash left undone is handled before anything new arrives.
    await processor.start()
    intake = _intake(settings, mode, processor.db, processor, health)
    log.info("bot @%s running (%s)", app.bot.username, mode)
    try:
        await intake.run(stop)
    finally:
        await housekeeping.stop()
        await _shut_down(settings, processor, data)
        await app.stop()


async def _shut_down(settings: Settings, processor: InboxProcessor, data: BotData) -> None:
    """No new updates are taken by now; those in hand get a bounded time, then the outbox."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.shutdown_timeout_seconds
    # The last second is the outbox's, so a message in flight can land within the bound.
    if not await processor.stop(max(0.0, settings.shutdown_timeout_seconds - OUTBOX_GRACE)):
        # Cut short: they stay pending and run again at the next start, from their saved step.
        processor.persistence.take_all()
        log.warning("updates still in hand at shutdown are handled at the next start")
    await data.announcements.stop()
    try:
        await asyncio.wait_for(data.outbox.stop(), max(OUTBOX_GRACE, deadline - loop.time()))
    except TimeoutError:
        log.warning("outbox stopped mid-send; what was not confirmed is sent at the next start")


def _intake(
    settings: Settings, mode: Mode, db: Database, processor: InboxProcessor, health: Health
) -> PollingIntake | WebhookIntake:
    bot = processor.app.bot
    if mode == "polling":
        return PollingIntake(bot, db, processor)
    # __main__ refuses webhook mode without these before anything starts.
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    return WebhookIntake(
        bot,
        db,
        processor,
        url=settings.webhook_url,
        secret=settings.webhook_secret.get_secret_value(),
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        health=health.healthz,
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not possible outside the main thread (tests run the bot in a thread).
        with contextlib.suppress(ValueError, NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
