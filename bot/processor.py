"""Hands stored updates to the Application, one chat at a time, and finishes them durably."""

from __future__ import annotations

import asyncio
import json
import logging
import time

from telegram import Update
from telegram.ext import Application

from bot.context import BotData
from bot.persistence import SQLitePersistence
from bot.safe_text import clean_json
from storage import inbox
from storage.db import Database

log = logging.getLogger(__name__)

# How long an update that hit a network error waits before it is tried again.
RETRY_DELAY_SECONDS = 2.0


def chat_key(update: Update) -> int:
    """Updates of one chat are handled in order; different chats run side by side."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return 0


class InboxProcessor:
    def __init__(self, application: Application, db: Database, workers: int) -> None:  # type: ignore[type-arg]
        self.app = application
        self.db = db
        self.workers = workers
        self._wake = asyncio.Event()
        self._busy_keys: set[int] = set()
        self._busy_ids: set[int] = set()
        self._not_before: dict[int, float] = {}
        self._parsed: dict[int, tuple[Update, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def bot_data(self) -> BotData:
        data = self.app.bot_data
        assert isinstance(data, BotData)
        return data

    @property
    def persistence(self) -> SQLitePersistence:
        persistence = self.app.persistence
        assert isinstance(persistence, SQLitePersistence)
        return persistence

    @property
    def alive(self) -> bool:
        """Its loop is running (it ends on stop, or if it dies)."""
        return self._loop_task is not None and not self._loop_task.done()

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._loop_task = asyncio.create_task(self._run(), name="inbox-processor")
        self.wake()

    async def stop(self, grace_seconds: float | None = None) -> bool:
        """Stop taking new updates and let those in progress finish within grace_seconds.

        True if they all finished; those still running then are cancelled (rolled back, so
        they stay pending and are handled at the next start).
        """
        self._stopping = True
        self.wake()
        if self._loop_task:
            await self._loop_task
        if not self._tasks:
            return True
        _, late = await asyncio.wait(set(self._tasks), timeout=grace_seconds)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
        return not late

    async def _run(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            if self._stopping:
                break
            await self._dispatch_ready()

    async def _dispatch_ready(self) -> None:
        items = await inbox.pending(self.db, limit=200)
        waiting_keys: set[int] = set()
        for item in items:
            if len(self._tasks) >= self.workers:
                break
            update, key = self._parse(item)
            waiting = self._not_before.get(item.update_id, 0.0) > time.monotonic()
            if waiting or item.update_id in self._busy_ids:
                waiting_keys.add(key)
                continue
            if key in self._busy_keys or key in waiting_keys:
                waiting_keys.add(key)
                continue
            self._busy_keys.add(key)
            self._busy_ids.add(item.update_id)
            task = asyncio.create_task(self._handle(update, key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _parse(self, item: inbox.InboxItem) -> tuple[Update, int]:
        """Parsed once per update: a backlog is scanned again after every update handled."""
        parsed = self._parsed.get(item.update_id)
        if parsed is None:
            # Lone surrogates (JSON escapes like \ud800) could neither be stored nor sent.
            update = Update.de_json(clean_json(json.loads(item.payload)), self.app.bot)
            parsed = (update, chat_key(update))
            self._parsed[item.update_id] = parsed
        return parsed

    async def _handle(self, update: Update, key: int) -> None:
        update_id = update.update_id
        finished = False
        try:
            finished = await self._process(update, key)
        except Exception:
            log.exception("update %s could not be finished", update_id)
            self._retry_later(update_id, 1)
        finally:
            if finished:
                self._parsed.pop(update_id, None)
                self._not_before.pop(update_id, None)
            self._busy_keys.discard(key)
            self._busy_ids.discard(update_id)
            self.wake()

    async def _process(self, update: Update, key: int) -> bool:
        """Handle one update; True once it is done or set aside, False to try again later."""
        update_id = update.update_id
        attempts = await inbox.begin_attempt(self.db, update_id)
        if attempts > inbox.MAX_ATTEMPTS:
            log.error("update %s failed %s times; set aside", update_id, attempts - 1)
            await inbox.mark_failed(self.db, update_id, "too many attempts")
            return True
        await self.app.process_update(update)
        await self.app.update_persistence()
        if update_id in self.bot_data.retry_updates:
            self.bot_data.retry_updates.discard(update_id)
            if attempts < inbox.MAX_ATTEMPTS:
                log.warning("update %s hit a network error; will retry", update_id)
                self._retry_later(update_id, attempts)
                return False
            await inbox.mark_failed(self.db, update_id, "network errors")
            return True
        await inbox.mark_done(self.db, update_id, self.persistence.take(key))
        # Handlers may have queued messages with their changes.
        self.bot_data.outbox.wake()
        return True

    def _retry_later(self, update_id: int, attempts: int) -> None:
        delay = RETRY_DELAY_SECONDS * attempts
        self._not_before[update_id] = time.monotonic() + delay
        asyncio.get_running_loop().call_later(delay, self.wake)
