"""Group commit: transactions asked for at about the same time share one commit.

Every update costs two small transactions (stored, then finished), and each is a trip to the
database's thread and back. Under load those trips, not the SQL, are the cost; and when one
person writes again as soon as answered, the next update's store waits behind the previous
update's finish. Work queued while a commit is being written goes into the next one together,
each piece in a savepoint of its own: a piece that fails is rolled back alone and its caller
gets the error, the others commit. Every caller still returns only once its work is
committed, so what a caller may rely on does not change.

A caller may also let its work wait a moment (linger) for company: a finished update waits up
to a couple of milliseconds for the next update's store, and both then take one trip.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Work = Callable[[sqlite3.Connection], Any]
# Runs a function in the database's thread: (function, *args) -> its result.
Runner = Callable[..., Awaitable[Any]]


@dataclass
class _Queued:
    work: Work
    done: asyncio.Future[Any]


class GroupCommit:
    def __init__(self, run_in_thread: Runner, lock: asyncio.Lock) -> None:
        self._run_in_thread = run_in_thread
        self._lock = lock
        self._queue: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    async def run(self, work: Work, linger: float = 0.0) -> Any:
        """work(connection) in a transaction with whatever else is queued; returns its result
        once committed, or raises what work raised (only work is then rolled back)."""
        loop = asyncio.get_running_loop()
        queued = _Queued(work, loop.create_future())
        self._queue.append(queued)
        if self._writer is None:
            if linger <= 0:
                self._start_writer()
            elif self._timer is None:
                self._timer = loop.call_later(linger, self._start_writer)
        return await queued.done

    async def drain(self) -> None:
        """Commit what is queued now, lingering or not (before the connection closes)."""
        self._start_writer()
        if self._writer is not None:
            await asyncio.shield(self._writer)

    def _start_writer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._writer is None and self._queue:
            self._writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        try:
            # Work queued while a commit is written goes into the next one, without lingering.
            while self._queue:
                batch = [q for q in self._queue if not q.done.done()]  # callers cancelled: left
                self._queue = []
                if batch:
                    await self._commit(batch)
        finally:
            self._writer = None

    async def _commit(self, batch: list[_Queued]) -> None:
        try:
            async with self._lock:
                outcomes = await self._run_in_thread(_in_one_transaction, [q.work for q in batch])
        except asyncio.CancelledError:
            for queued in batch:
                queued.done.cancel()
            raise
        except BaseException as exc:
            # Nothing of the batch was committed.
            for queued in batch:
                if not queued.done.done():
                    queued.done.set_exception(exc)
            return
        for queued, (ok, value) in zip(batch, outcomes, strict=True):
            if queued.done.done():
                continue
            if ok:
                queued.done.set_result(value)
            else:
                queued.done.set_exception(value)


def _in_one_transaction(conn: sqlite3.Connection, works: list[Work]) -> list[tuple[bool, Any]]:
    """BEGIN IMMEDIATE, each work in a savepoint, COMMIT: (True, result) or (False, error) for
    each. Runs in the database's thread."""
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        if len(works) == 1:
            # Alone, a failing work rolls the transaction back; no savepoint needed.
            try:
                outcomes.append((True, works[0](conn)))
            except Exception as exc:
                conn.execute("ROLLBACK")
                return [(False, exc)]
        else:
            for work in works:
                conn.execute("SAVEPOINT work")
                try:
                    outcomes.append((True, work(conn)))
                except Exception as exc:
                    conn.execute("ROLLBACK TO work")
                    outcomes.append((False, exc))
                conn.execute("RELEASE work")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes
