"""FAQ answers given, counted in memory and written with the update that gave them.

Counting an answer used to cost a write transaction of its own; now the inbox processor takes
the counts and writes them in the next transaction that marks an update done. A crash before
that loses them; the updates that gave them are handled again after the restart, and count
again.
"""

from __future__ import annotations

import time
from collections import Counter


class AnswersGiven:
    def __init__(self) -> None:
        self._pending: Counter[tuple[str, str]] = Counter()

    def add(self, entry_id: str) -> None:
        """One answer of the entry given today (UTC days, as /stats shows them)."""
        self._pending[(entry_id, time.strftime("%Y-%m-%d", time.gmtime()))] += 1

    def take(self) -> dict[tuple[str, str], int]:
        """Everything counted so far, to be written now; the counter starts again."""
        taken, self._pending = dict(self._pending), Counter()
        return taken

    def put_back(self, counts: dict[tuple[str, str], int]) -> None:
        """Counts that could not be written: they go with the next update instead."""
        self._pending.update(counts)
