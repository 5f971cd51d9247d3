"""Housekeeping on a timer: forget what is no longer needed, and let the file shrink.

Each step is a (name, function) pair in prune_steps(); a feature that keeps data for a limited
time adds its own step there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.rounds import Rounds, RoundsWorker
from storage import inbox, outbox
from storage.db import Database

log = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600
INTERVAL_SECONDS = 3600.0

# Returns how many rows it pruned or forgot.
PruneStep = Callable[[Database, Settings], Awaitable[int]]


async def prune_inbox(db: Database, settings: Settings) -> int:
    """Handled updates: kept a while so that a late redelivery is still recognised."""
    return await inbox.prune(db, settings.inbox_retention_days * DAY_SECONDS)


async def forget_outbox_texts(db: Database, settings: Settings) -> int:
    """Sent messages' texts: they can carry what people gave."""
    return await outbox.forget_sent(db, settings.outbox_retention_days * DAY_SECONDS)


async def prune_outbox_lanes(db: Database, settings: Settings) -> int:
    """The pace of chats with nothing to send for as long."""
    return await outbox.prune_lanes(db, settings.outbox_retention_days * DAY_SECONDS)


def prune_steps() -> list[tuple[str, PruneStep]]:
    return [
        ("inbox", prune_inbox),
        ("outbox texts", forget_outbox_texts),
        ("outbox lanes", prune_outbox_lanes),
    ]


class Housekeeping(RoundsWorker):
    def __init__(
        self,
        db: Database,
        settings: Settings,
        steps: list[tuple[str, PruneStep]] | None = None,
        interval: float = INTERVAL_SECONDS,
    ) -> None:
        self.db = db
        self.settings = settings
        self.steps = prune_steps() if steps is None else steps
        self.interval = interval
        # Once at start (in the background: the bot answers meanwhile), then on the timer.
        self._rounds = Rounds("housekeeping", self._round, interval)

    async def run_once(self) -> dict[str, int]:
        """Every step, each on its own (one failing does not stop the rest), then a vacuum."""
        done: dict[str, int] = {}
        for name, step in self.steps:
            try:
                done[name] = await step(self.db, self.settings)
            except Exception as exc:
                log.error("housekeeping step %s failed (%s)", name, type(exc).__name__)
        done["pages freed"] = await self.db.incremental_vacuum()
        if any(done.values()):
            log.info("housekeeping: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
        return done

    async def _round(self) -> float:
        await self.run_once()
        return self.interval
