"""Hands stored updates to the Application, one chat at a time, and finishes them durably.

The intake hands over each update it stored, parsed; the processor keeps them in memory,
one lane per chat, so finding the next update to handle never reads the database. Only at
start does it read what a crash left pending. Claiming an update in the database
(inbox.begin_attempt) succeeds only while it is still pending, so nothing is handled twice
whatever the processor believes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Iterable, Mapping

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application

from bot import metrics
from bot.context import BotData
from bot.failures import RetryUpdate
from bot.intake import parse_update
from bot.persistence import SQLitePersistence
from storage import inbox, outbox
from storage.db import Database

log = logging.getLogger(__name__)

# How long an update that hit a network error waits before it is tried again.
RETRY_DELAY_SECONDS = 2.0
# How long the supervisor waits before restarting a processing loop that failed.
RESTART_DELAY_SECONDS = 0.5
# Pending updates read at start, per query.
RECOVERY_BATCH = 500


def chat_key(update: Update) -> int:
    """Updates of one chat are handled in order; different chats run side by side."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return 0


def private_sender(update: Update) -> int | None:
    """The person whose private chat this is: they are recorded as seen when it is claimed."""
    chat, user = update.effective_chat, update.effective_user
    if user is not None and chat is not None and chat.type == ChatType.PRIVATE:
        return user.id
    return None


class InboxProcessor:
    def __init__(self, application: Application, db: Database, workers: int) -> None:  # type: ignore[type-arg]
        self.app = application
        self.db = db
        self.workers = workers
        self._wake = asyncio.Event()
        # Per chat, its updates in arrival order; a chat is in _ready when it can go next.
        self._lanes: dict[int, deque[Update]] = {}
        self._ready: deque[int] = deque()
        self._scheduled: set[int] = set()
        self._busy_keys: set[int] = set()
        self._waiting_keys: set[int] = set()
        self._known_ids: set[int] = set()
        # Attempts counted when the update was stored (see startable); used by its first try.
        self._claims: dict[int, inbox.Attempt] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._supervisor: asyncio.Task[None] | None = None
        self._loop_running = False
        self._stopping = False
        self.restarts = 0

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
        """The processing loop is running (the supervisor restarts it if it fails)."""
        return self._loop_running and not self._stopping

    def wake(self) -> None:
        self._wake.set()

    def startable(self, updates: list[Update]) -> dict[int, int | None]:
        """Of updates about to be stored, those that are next in their chat: nothing of the
        chat queued or waiting to be retried, and either the chat's update running now or a
        worker free. The intake claims them as it stores them (attempt counted, sender
        recorded as seen), which spares each a transaction of its own. One behind a running
        update is counted a moment before it starts: should the process die in between, it
        is tried one time fewer. update_id -> the private sender, or None."""
        free = self.workers - len(self._tasks) - len(self._ready)
        chosen: dict[int, int | None] = {}
        taken: set[int] = set()
        for update in updates:
            key = chat_key(update)
            next_up = not (self._lanes.get(key) or key in self._waiting_keys or key in taken)
            taken.add(key)
            if not next_up or self._stopping or update.update_id in self._known_ids:
                continue
            if key not in self._busy_keys:
                if free <= 0:
                    continue
                free -= 1
            chosen[update.update_id] = private_sender(update)
        return chosen

    def submit(
        self, updates: Iterable[Update], claimed: Mapping[int, inbox.Attempt] | None = None
    ) -> None:
        """Updates just stored: queue each in its chat's lane (an id already queued is not).

        claimed: the updates whose first attempt was counted as they were stored."""
        for update in updates:
            if update.update_id in self._known_ids:
                continue
            self._known_ids.add(update.update_id)
            if claimed and update.update_id in claimed:
                self._claims[update.update_id] = claimed[update.update_id]
            key = chat_key(update)
            lane = self._lanes.setdefault(key, deque())
            if lane and lane[-1].update_id > update.update_id:
                # Arrived late (a redelivery): it still goes before the chat's newer updates.
                at = next(i for i, queued in enumerate(lane) if queued.update_id > update.update_id)
                lane.insert(at, update)
            else:
                lane.append(update)
            self._schedule(key)
        # Before the intake, which called this, sends its next getUpdates: the answer first.
        self._start_ready()

    async def start(self) -> None:
        """Queue what a crash left pending, then start handling."""
        await self._recover()
        self._supervisor = asyncio.create_task(self._supervise(), name="inbox-processor")
        self.wake()

    async def stop(self, grace_seconds: float | None = None) -> bool:
        """Stop taking new updates and let those in progress finish within grace_seconds.

        True if they all finished; those still running then are cancelled (rolled back, so
        they stay pending and are handled at the next start).
        """
        self._stopping = True
        self.wake()
        if self._supervisor:
            await self._supervisor
        if not self._tasks:
            return True
        _, late = await asyncio.wait(set(self._tasks), timeout=grace_seconds)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
        return not late

    async def _recover(self) -> None:
        after = -1
        while items := await inbox.pending(self.db, limit=RECOVERY_BATCH, after=after):
            for item in items:
                arrival = parse_update(json.loads(item.payload), self.app.bot)
                if arrival.update is not None:
                    self.submit([arrival.update])
                    continue
                reason = f"poison: {arrival.stored.poison}"
                await inbox.mark_failed(self.db, item.update_id, reason, keep_payload=True)
                metrics.UPDATES_FAILED.labels("poison").inc()
            after = items[-1].update_id

    async def _supervise(self) -> None:
        """Keep the processing loop running: a failure in it is logged and it starts again."""
        while not self._stopping:
            # A failure may have left a chat out of the queue: every waiting chat is put back.
            for key in list(self._lanes):
                self._schedule(key)
            try:
                self._loop_running = True
                await self._run()
            except Exception as exc:
                self.restarts += 1
                log.error("inbox processor failed (%s); restarting", type(exc).__name__)
                metrics.UPDATES_FAILED.labels("processor").inc()
            finally:
                self._loop_running = False
            if not self._stopping:
                await asyncio.sleep(RESTART_DELAY_SECONDS)
                self.wake()

    async def _run(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            if self._stopping:
                break
            self._dispatch_ready()

    def _dispatch_ready(self) -> None:
        while self._ready and len(self._tasks) < self.workers:
            key = self._ready.popleft()
            self._scheduled.discard(key)
            lane = self._lanes.get(key)
            if not lane or key in self._busy_keys or key in self._waiting_keys:
                continue
            update = lane.popleft()
            self._busy_keys.add(key)
            task = asyncio.create_task(self._handle(update, key))
            self._tasks.add(task)
            task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        # Runs after the task's own wake-up: its worker slot is free only now.
        self._tasks.discard(task)
        self._start_ready()

    def _start_ready(self) -> None:
        """Start what can start now, rather than on the loop's next wake-up (one turn of the
        event loop later); while the loop is not running, it does so when it runs."""
        if self._loop_running and not self._stopping:
            self._dispatch_ready()
        else:
            self.wake()

    def _schedule(self, key: int) -> None:
        if (
            key in self._scheduled
            or key in self._busy_keys
            or key in self._waiting_keys
            or not self._lanes.get(key)
        ):
            return
        self._scheduled.add(key)
        self._ready.append(key)

    async def _handle(self, update: Update, key: int) -> None:
        update_id = update.update_id
        retry_in: float | None = None
        started = time.perf_counter()
        try:
            retry_in = await self._process(update, key)
        except Exception as exc:
            log.error("update %s could not be finished (%s)", update_id, type(exc).__name__)
            metrics.UPDATES_FAILED.labels("error").inc()
            retry_in = RETRY_DELAY_SECONDS
        finally:
            metrics.HANDLER_SECONDS.observe(time.perf_counter() - started)
            self._busy_keys.discard(key)
            if retry_in is None:
                self._known_ids.discard(update_id)
            else:
                # Tried again later, still before anything newer of the same chat.
                self._lanes.setdefault(key, deque()).appendleft(update)
                self._wait(key, retry_in)
            if not self._lanes.get(key):
                self._lanes.pop(key, None)
            self._schedule(key)

    async def _process(self, update: Update, key: int) -> float | None:
        """Handle one update; None once it is done or set aside, else seconds to wait."""
        update_id = update.update_id
        claimed = self._claims.pop(update_id, None) or await inbox.begin_attempt(
            self.db, update_id, touch_user=private_sender(update)
        )
        if claimed is None:
            # Done or set aside already (a duplicate delivery, or handled before a restart).
            return None
        if claimed.attempts > inbox.MAX_ATTEMPTS:
            log.error("update %s failed %s times; set aside", update_id, claimed.attempts - 1)
            await inbox.mark_failed(self.db, update_id, "too many attempts")
            metrics.UPDATES_FAILED.labels("poison").inc()
            return None
        data = self.bot_data
        if claimed.user is not None:
            data.seen_users[update_id] = claimed.user
        queued_before = outbox.enqueued_total()
        retry = False
        try:
            await self.app.process_update(update)
        except RetryUpdate:
            retry = True  # the error handlers have run; the whole update is tried again
        finally:
            data.seen_users.pop(update_id, None)
        await self.app.update_persistence()
        if outbox.enqueued_total() != queued_before:
            # Handlers queued messages with their changes.
            data.outbox.wake()
        if retry:
            if claimed.attempts < inbox.MAX_ATTEMPTS:
                log.warning("update %s hit a network error; will retry", update_id)
                metrics.UPDATES_FAILED.labels("retry").inc()
                return RETRY_DELAY_SECONDS * claimed.attempts
            await inbox.mark_failed(self.db, update_id, "network errors")
            metrics.UPDATES_FAILED.labels("poison").inc()
            return None
        answers = data.answers_given.take()
        after = self._next_in_lane(key)
        try:
            next_claim = await inbox.mark_done(
                self.db, update_id, self.persistence.take(key), answers, after
            )
        except BaseException:
            data.answers_given.put_back(answers)
            raise
        if after is not None and next_claim is not None:
            self._claims[after[0]] = next_claim
        metrics.UPDATES_HANDLED.inc()
        return None

    def _next_in_lane(self, key: int) -> tuple[int, int | None] | None:
        """The chat's next update, to be claimed with the one finishing (update_id, sender)."""
        lane = self._lanes.get(key)
        if not lane or self._stopping or lane[0].update_id in self._claims:
            return None
        return lane[0].update_id, private_sender(lane[0])

    def _wait(self, key: int, delay: float) -> None:
        self._waiting_keys.add(key)

        def resume() -> None:
            self._waiting_keys.discard(key)
            self._schedule(key)
            self._start_ready()

        asyncio.get_running_loop().call_later(delay, resume)
