"""Delivers the outbox: rate-limited, retried with backoff, never lost, never sent twice."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
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

from bot import metrics
from bot.rounds import Rounds, RoundsWorker
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


# Telegram's pace for one chat: about one message a second to a person.
PRIVATE_INTERVAL_SECONDS = 1.0
# Messages in flight at once (each to a different chat). Few, so that replies handlers send
# directly wait behind at most this many outbox messages in the shared overall limiter.
MAX_IN_FLIGHT = 4


class OutboxSender(RoundsWorker):
    """Sends each chat's messages in order, at that chat's pace, chats side by side.

    No chat waits for another: a group paced at one message every 3 s does not hold up
    people's notifications. Urgent messages go before bulk ones; bulk may use at most
    `bulk_per_second`, so replies always find room under the overall limit, which the
    Bot's rate limiter (shared with the handlers' direct replies) enforces.
    """

    def __init__(
        self,
        bot: Bot,
        db: Database,
        hooks: dict[str, SentHook] | None = None,
        on_migrated: Callable[[int, int], Awaitable[None]] | None = None,
        refused_hooks: dict[str, RefusedHook] | None = None,
        *,
        group_interval: float = 3.0,
        bulk_per_second: int = 20,
    ) -> None:
        self.bot = bot
        self.db = db
        self.hooks = hooks or {}
        self.refused_hooks = refused_hooks or {}
        self.on_migrated = on_migrated
        self.group_interval = group_interval
        self.bulk_per_second = bulk_per_second
        self._bulk_sent: deque[float] = deque()
        self._in_flight: dict[int, asyncio.Task[bool]] = {}
        self._settled: set[int] = set()
        self._rounds = Rounds("outbox-sender", self._round, IDLE_WAIT_SECONDS)

    async def stop(self) -> None:
        await super().stop()
        if self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    async def _round(self) -> float:
        await self._start_due()
        return await self._next_wait()

    async def _next_wait(self) -> float:
        now = time.time()
        next_at = await outbox.next_due_at(self.db, after=now)
        wait = IDLE_WAIT_SECONDS if next_at is None else max(0.0, next_at - now)
        if self._bulk_sent and len(self._bulk_sent) >= self.bulk_per_second:
            wait = min(wait, max(0.0, self._bulk_sent[0] + 1.0 - time.monotonic()))
        return min(wait, IDLE_WAIT_SECONDS)

    async def _start_due(self) -> list[asyncio.Task[bool]]:
        """Start sending every lane that is due, as far as the slots allow."""
        free = MAX_IN_FLIGHT - len(self._in_flight)
        if free <= 0:
            return []
        self._settled.clear()
        items = await outbox.due(self.db, limit=free + len(self._in_flight))
        started: list[asyncio.Task[bool]] = []
        for item in items:
            if len(started) >= free:
                break
            # In flight, or settled while the query ran: what it read of that chat may be stale.
            if item.chat_id in self._in_flight or item.chat_id in self._settled:
                continue
            if item.priority != outbox.Priority.URGENT and not self._bulk_allowed():
                continue
            task = asyncio.create_task(self.deliver(item))
            self._in_flight[item.chat_id] = task
            task.add_done_callback(functools.partial(self._done, item))
            started.append(task)
        return started

    def _done(self, item: OutboxItem, _task: asyncio.Task[bool]) -> None:
        self._in_flight.pop(item.chat_id, None)
        self._settled.add(item.chat_id)
        self.wake()

    def _bulk_allowed(self) -> bool:
        now = time.monotonic()
        while self._bulk_sent and self._bulk_sent[0] <= now - 1.0:
            self._bulk_sent.popleft()
        if len(self._bulk_sent) >= self.bulk_per_second:
            return False
        self._bulk_sent.append(now)
        return True

    def interval(self, chat_id: int) -> float:
        """How long a chat waits between two messages: groups have their own, slower pace."""
        return PRIVATE_INTERVAL_SECONDS if chat_id > 0 else self.group_interval

    async def deliver_due(self) -> bool:
        """One round: send what is due now and wait for it; True if anything was attempted."""
        started = await self._start_due()
        if started:
            await asyncio.gather(*started, return_exceptions=True)
        return bool(started)

    async def deliver(self, item: OutboxItem) -> bool:
        """Try one message; True if it left (or can never leave), False if it must wait."""
        kind = "urgent" if item.priority == outbox.Priority.URGENT else "bulk"
        try:
            message = await self._call(item)
        except RetryAfter as exc:
            metrics.RATE_LIMITED.inc()
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
            metrics.MESSAGES_REFUSED.labels(kind).inc()
            return True
        except BadRequest as exc:
            if "not modified" in exc.message:
                await self._finish(item, None)
                return True
            log.error("outbox %s: rejected by Telegram: %s", item.id, exc.message)
            await self._give_up(item, exc.message)
            metrics.MESSAGES_REFUSED.labels(kind).inc()
            return True
        except (TimedOut, NetworkError) as exc:
            attempts = item.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                await self._give_up(item, f"gave up: {type(exc).__name__}")
                metrics.MESSAGES_REFUSED.labels(kind).inc()
                return True
            delay = min(MAX_BACKOFF_SECONDS, 2.0**attempts)
            log.warning("outbox %s: %s; retry in %.0f s", item.id, type(exc).__name__, delay)
            await outbox.retry_later(self.db, item.id, delay, type(exc).__name__)
            return False
        await self._finish(item, message)
        metrics.MESSAGES_SENT.labels(kind).inc()
        return True

    async def _give_up(self, item: OutboxItem, reason: str) -> None:
        """The message can never leave: recorded, and its feature told (to retry or to warn)."""
        await outbox.mark_failed(self.db, item.id, reason)
        refused = self.refused_hooks.get(item.on_sent or "")
        if refused is not None:
            await refused(item, reason)

    async def _finish(self, item: OutboxItem, message: Message | MessageId | None) -> None:
        message_id = message.message_id if message is not None else None
        # Counted from the answer, not the request: Telegram saw the request before that.
        next_in_chat_at = time.time() + self.interval(item.chat_id)
        async with self.db.transaction() as conn:
            await outbox.mark_sent_in(conn, item.id, message_id, next_in_chat_at=next_in_chat_at)
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
