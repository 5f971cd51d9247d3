"""Feeds announcements into the outbox at the configured rate, and keeps the admin informed.

The outbox sends whatever it holds as fast as it may, so the rate is kept here: a recipient
is handed over only while the messages sent in the last second (by anyone: bot/sends.py
counts them) plus those waiting in the outbox stay under ANNOUNCE_RATE. Sends in any one
second are then at most that many: those that went in the second before a hand-over were
counted, and those after it were waiting or handed over then.
Each hand-over marks the recipient 'queued' in the transaction that queues the message, so
a restart, even a SIGKILL, neither repeats nor skips anyone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.announcements import service, views
from bot.i18n import Translator
from bot.rounds import Rounds, RoundsWorker
from storage import announcements, outbox
from storage.announcements import Announcement, RecipientState, Status
from storage.db import Database
from storage.outbox import Priority

log = logging.getLogger(__name__)

# While sending, a freed place in the last second is taken within this long.
TICK_SECONDS = 0.02
# While one is paused or finishing it is looked at every second.
IDLE_SECONDS = 1.0
# With none under way it waits for the next scheduled one (confirming one wakes it), checking
# at least this often: polling every second cost an idle bot about 2% of a core.
QUIET_SECONDS = 60.0
# Sends are stamped when Telegram has answered, after it counted them: a full second suffices.
WINDOW_SECONDS = 1.0


@dataclass(eq=False)
class AnnouncementFeeder(RoundsWorker):
    bot: Bot
    db: Database
    i18n: Translator
    _: KW_ONLY
    rate: float
    progress_seconds: float
    default_language: str
    wake_outbox: Callable[[], None]
    recent_sends: Callable[[float], int]
    # When each announcement's progress was last looked at (counting is not free).
    _followed: dict[int, float] = field(default_factory=dict, init=False)
    # Whether the last tick found any under way (sending, paused, or cancelled unreported).
    _under_way: bool = field(default=False, init=False)
    _rounds: Rounds = field(init=False)

    def __post_init__(self) -> None:
        self._rounds = Rounds("announcement-feeder", self._round, IDLE_SECONDS)

    async def _round(self) -> float:
        if await self.tick():
            return TICK_SECONDS
        if self._under_way:
            return IDLE_SECONDS
        next_at = await announcements.next_send_at(self.db)
        wait = QUIET_SECONDS if next_at is None else next_at - time.time()
        return min(QUIET_SECONDS, max(TICK_SECONDS, wait))

    async def tick(self) -> bool:
        """Start what is due, feed what is sending, report; True while anything is sending."""
        for announcement_id in await announcements.due_to_start(self.db, time.time()):
            await self._start(announcement_id)
        active = await announcements.in_progress(self.db)
        self._under_way = bool(active)
        for announcement in active:
            drained = False
            if announcement.status == Status.SENDING:
                drained = await self._feed(announcement)
            last = self._followed.get(announcement.id, 0.0)
            if drained or time.monotonic() - last >= min(1.0, self.progress_seconds):
                self._followed[announcement.id] = time.monotonic()
                await self._follow(announcement)
        # Paused or cancelled ones need looking at now and then, not fifty times a second.
        return any(a.status == Status.SENDING for a in active)

    async def _start(self, announcement_id: int) -> None:
        found = await announcements.get(self.db, announcement_id)
        if found is None or found.status != Status.SCHEDULED:
            return
        async with self.db.transaction() as conn:
            total = await announcements.start_in(conn, found, self.default_language)
        log.info("announcement %s: sending to %s", announcement_id, total)

    async def _feed(self, announcement: Announcement) -> bool:
        """Hand over as many recipients as the rate allows; True once none are left waiting."""
        budget = await self._budget()
        if budget <= 0:
            return False
        async with self.db.transaction() as conn:
            batch = await announcements.next_waiting_in(conn, announcement.id, budget)
            skipped = [r.user_id for r in batch if r.blocked]
            queued = []
            for recipient in batch:
                if recipient.blocked:
                    continue
                method, payload = views.message_for(self.i18n, announcement, recipient.language)
                await outbox.enqueue_in(
                    conn,
                    dedup_key=service.recipient_key(announcement.id, recipient.user_id),
                    chat_id=recipient.user_id,
                    method=method,
                    payload=payload,
                    priority=Priority.BULK,
                )
                queued.append(recipient.user_id)
            await announcements.mark_in(conn, announcement.id, skipped, RecipientState.SKIPPED)
            await announcements.mark_in(conn, announcement.id, queued, RecipientState.QUEUED)
        if queued:
            self.wake_outbox()
        return len(batch) < budget

    async def _budget(self) -> int:
        """How many more may be handed over now without exceeding the rate in any second."""
        waiting = await outbox.pending_due(self.db, time.time() + WINDOW_SECONDS)
        return int(self.rate) - self.recent_sends(WINDOW_SECONDS) - waiting

    async def _follow(self, announcement: Announcement) -> None:
        """Edit the progress message every few seconds; at the end, the final report."""
        progress = await service.progress(self.db, announcement)
        if progress.finished:
            # The report is one more message: it too waits for a place in the last second.
            if await self._budget() > 0:
                await self._finish(announcement, progress)
            return
        due = announcement.progress_at is None or (
            time.time() - announcement.progress_at >= self.progress_seconds
        )
        if due:
            await self._show_progress(announcement, progress, announcement.status)

    async def _finish(self, announcement: Announcement, progress: service.Progress) -> None:
        cancelled = announcement.status == Status.CANCELLED
        status = Status.CANCELLED if cancelled else Status.DONE
        lang = announcement.admin_language

        def t(key: str, /, **args: object) -> str:
            return self.i18n.get(lang, key, **args)

        async with self.db.transaction() as conn:
            if not await announcements.finish_in(conn, announcement.id, status, progress.as_dict()):
                return
            await outbox.enqueue_in(
                conn,
                dedup_key=service.report_key(announcement.id),
                chat_id=announcement.admin_chat_id,
                method="send_message",
                payload={"text": views.report_text(t, lang, announcement.id, progress, status)},
            )
        self.wake_outbox()
        await self._show_progress(announcement, progress, status)
        log.info("announcement %s: %s", announcement.id, status)

    async def _show_progress(
        self, announcement: Announcement, progress: service.Progress, status: str
    ) -> None:
        lang = announcement.admin_language

        def t(key: str, /, **args: object) -> str:
            return self.i18n.get(lang, key, **args)

        text = views.progress_text(t, lang, progress, status, self.rate)
        markup = views.progress_markup(t, announcement.id, status)
        if announcement.progress_message_id is None:
            return
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=announcement.admin_chat_id,
                message_id=announcement.progress_message_id,
                reply_markup=markup,
            )
        except BadRequest as exc:
            if "not modified" not in exc.message:
                log.warning("announcement %s: progress not shown: %s", announcement.id, exc.message)
        except TelegramError as exc:
            # Progress is a courtesy: the next round tries again.
            log.warning(
                "announcement %s: progress not shown: %s", announcement.id, type(exc).__name__
            )
        await announcements.set_progress(self.db, announcement.id)

    async def refresh(self, announcement_id: int) -> None:
        """Show the state at once, after a pause, resume or cancel."""
        found = await announcements.get(self.db, announcement_id)
        if found is not None and found.status in announcements.FOLLOWED:
            await self._show_progress(found, await service.progress(self.db, found), found.status)
        self.wake()
