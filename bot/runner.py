"""Start, run and stop the bot: database, application, inbox processor and intake."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Literal

from bot import commands
from bot.app import build_application
from bot.config import Settings
from bot.context import BotData
from bot.handlers import moderation
from bot.housekeeping import Housekeeping
from bot.intake import PollingIntake, WebhookIntake
from bot.processor import InboxProcessor
from storage.db import Database

log = logging.getLogger(__name__)

Mode = Literal["polling", "webhook"]


async def run(
    settings: Settings, mode: Mode = "polling", stop: asyncio.Event | None = None
) -> None:
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    async with Database(settings.database_path) as db:
        applied = await db.migrate()
        if applied:
            log.info("applied migrations %s", applied)
        if await db.enable_incremental_vacuum():
            log.info("database converted to incremental vacuum")
        housekeeping = Housekeeping(db, settings)
        if settings.moderation_chat_id is None:
            log.warning(
                "MODERATION_CHAT_ID is not set: submissions are stored, but no card is sent"
            )
        app = build_application(settings, db)
        data = app.bot_data
        assert isinstance(data, BotData)
        async with app:
            await app.start()
            await commands.publish(app.bot, data.i18n, settings.default_language, data.commands)
            await moderation.restore_migration(data)
            await data.outbox.start()
            await housekeeping.start()
            processor = InboxProcessor(app, db, settings.inbox_workers)
            # Whatever a crash left undone is handled before anything new arrives.
            await processor.start()
            intake = _intake(settings, mode, db, processor)
            log.info("bot @%s running (%s)", app.bot.username, mode)
            try:
                await intake.run(stop)
            finally:
                await housekeeping.stop()
                await processor.stop()
                await data.outbox.stop()
                await app.stop()
    log.info("stopped")


def _intake(
    settings: Settings, mode: Mode, db: Database, processor: InboxProcessor
) -> PollingIntake | WebhookIntake:
    bot = processor.app.bot
    if mode == "polling":
        return PollingIntake(bot, db, processor.submit)
    # __main__ refuses webhook mode without these before anything starts.
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    return WebhookIntake(
        bot,
        db,
        processor.submit,
        url=settings.webhook_url,
        secret=settings.webhook_secret.get_secret_value(),
        listen=settings.webhook_listen,
        port=settings.webhook_port,
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not possible outside the main thread (tests run the bot in a thread).
        with contextlib.suppress(ValueError, NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
