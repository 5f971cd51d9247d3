"""A background task that works in rounds: one now, then the next when woken or when the
wait the round asked for is over, until stopped. The outbox sender, the announcement feeder
and housekeeping each run one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Rounds:
    def __init__(
        self, name: str, round_: Callable[[], Awaitable[float]], wait_after_failure: float
    ) -> None:
        """round_ does one round and returns how long to wait before the next (a wake cuts
        the wait short). A round that fails is logged by its kind only (never its content)
        and the next waits wait_after_failure."""
        self.name = name
        self._round = round_
        self._wait_after_failure = wait_after_failure
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.stopping = False

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """The round under way finishes; no other starts."""
        self.stopping = True
        self.wake()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self.stopping:
            try:
                wait = await self._round()
            except Exception as exc:
                log.error("%s round failed (%s)", self.name, type(exc).__name__)
                wait = self._wait_after_failure
            if self.stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            self._wake.clear()


class RoundsWorker:
    """wake, start and stop for a class whose work runs in its Rounds."""

    _rounds: Rounds

    def wake(self) -> None:
        self._rounds.wake()

    async def start(self) -> None:
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
