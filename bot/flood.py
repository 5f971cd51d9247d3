"""A sliding-window counter per person, so one person's flood slows nobody else."""

from __future__ import annotations

import time
from collections import deque


class FloodGuard:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._events: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, key: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self._events) > 10_000:
            self._forget_idle(now)
        return True

    def should_warn(self, key: int, now: float | None = None) -> bool:
        """Say "slow down" once a window, not once per dropped message."""
        now = time.monotonic() if now is None else now
        if now - self._warned.get(key, -self.window) < self.window:
            return False
        self._warned[key] = now
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window]:
            del self._events[key]
            self._warned.pop(key, None)
