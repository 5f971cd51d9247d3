"""Delivers the outbox: rate-limited, retried with backoff, never lost, never sent twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, MessageId
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from storage import outbox, users
from storage.db import Database
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
MAX_BACKOFF_SECONDS = 300.0
IDLE_WAIT_SECONDS = 5.0

# What to do once a message is out, by the name stored with it: (item, message) -> None.
SentHook = Callable[[Database, OutboxItem, Message | MessageId | None], Awaitable[None]]
# What to do when a message can never leave (refused, forbidden, given up), by the same name.
RefusedHook = Callable[[OutboxItem, str], Awaitable[None]]

SEND_METHODS = {
    "send_message",
    "copy_message",
    "send_document",
    "edit_message_text",
    "edit_message_reply_markup",
    "delete_message",
}


def _seconds(value: Any) -> float:
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        db: Database,
        hooks: dict[str, SentHook] | None = None,
        on_migrated: Callable[[int, int], Awaitable[None]] | None = None,
        refused_hooks: dict[str, RefusedHook] | None = None,
    ) -> None:
        self.bot = bot
        self.db = db
        self.hooks = hooks or {}
        self.refused_hooks = refused_hooks or {}
        self.on_migrated = on_migrated
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        self._stopping = True
        self.wake()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stopping:
            try:
                sent_any = await self.deliver_due()
            except Exception:
                log.exception("outbox round failed")
                sent_any = False
            if sent_any:
                continue
            await self._sleep_until_due()

    async def _sleep_until_due(self) -> None:
        next_at = await outbox.next_due_at(self.db)
        wait = IDLE_WAIT_SECONDS if next_at is None else max(0.0, next_at - time.time())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=min(wait, IDLE_WAIT_SECONDS))
        self._wake.clear()

    async def deliver_due(self) -> bool:
        """One round over what is due; True if anything was attempted."""
        items = await outbox.due(self.db)
        blocked_chats: set[int] = set()
        for item in items:
            if self._stopping:
                break
            # Keep a chat's messages in order: after one waits, the rest of that chat wait too.
            if item.chat_id in blocked_chats:
                continue
            if not await self.deliver(item):
                blocked_chats.add(item.chat_id)
        return bool(items)

    async def deliver(self, item: OutboxItem) -> bool:
        """Try one message; True if it left (or can never leave), False if it must wait."""
        try:
            message = await self._call(item)
        except RetryAfter as exc:
            await outbox.retry_later(self.db, item.id, _seconds(exc.retry_after), "429")
            return False
        except ChatMigrated as exc:
            log.warning("chat %s migrated to %s", item.chat_id, exc.new_chat_id)
            await outbox.move_chat(self.db, item.chat_id, exc.new_chat_id)
            await outbox.set_state(self.db, f"migrated:{item.chat_id}", str(exc.new_chat_id))
            if self.on_migrated is not None:
                await self.on_migrated(item.chat_id, exc.new_chat_id)
            return False
        except Forbidden as exc:
            # Blocked by the person, or removed from the group: retrying cannot help.
            log.warning("outbox %s: forbidden (%s)", item.id, exc.message)
            if item.chat_id > 0:
                await users.mark_blocked(self.db, item.chat_id)
            await self._give_up(item, f"forbidden: {exc.message}")
            return True
        except BadRequest as exc:
            if "not modified" in exc.message:
                await self._finish(item, None)
                return True
            log.error("outbox %s: rejected by Telegram: %s", item.id, exc.message)
            await self._give_up(item, exc.message)
            return True
        except (TimedOut, NetworkError) as exc:
            attempts = item.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                await self._give_up(item, f"gave up: {type(exc).__name__}")
                return True
            delay = min(MAX_BACKOFF_SECONDS, 2.0**attempts)
            log.warning("outbox %s: %s; retry in %.0f s", item.id, type(exc).__name__, delay)
            await outbox.retry_later(self.db, item.id, delay, type(exc).__name__)
            return False
        await self._finish(item, message)
        return True

    async def _give_up(self, item: OutboxItem, reason: str) -> None:
        """The message can never leave: recorded, and its feature told (to retry or to warn)."""
        await outbox.mark_failed(self.db, item.id, reason)
        refused = self.refused_hooks.get(item.on_sent or "")
        if refused is not None:
            await refused(item, reason)

    async def _finish(self, item: OutboxItem, message: Message | MessageId | None) -> None:
        message_id = message.message_id if message is not None else None
        async with self.db.transaction() as conn:
            await outbox.mark_sent_in(conn, item.id, message_id)
        hook = self.hooks.get(item.on_sent or "")
        if hook is not None:
            await hook(self.db, item, message)

    async def _call(self, item: OutboxItem) -> Message | MessageId | None:
        if item.method not in SEND_METHODS:
            raise BadRequest(f"unknown outbox method {item.method}")
        payload = dict(item.payload)
        if isinstance(payload.get("reply_markup"), dict):
            payload["reply_markup"] = InlineKeyboardMarkup.de_json(
                payload["reply_markup"], self.bot
            )
        method = getattr(self.bot, item.method)
        result = await method(chat_id=item.chat_id, **payload)
        return result if isinstance(result, Message | MessageId) else None
