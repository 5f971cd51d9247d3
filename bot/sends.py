"""Counts every message the bot puts in a chat, whoever sends it (handlers or the outbox).

Announcements are fed at ANNOUNCE_RATE minus what was sent in the last second, so replies to
people and moderators' cards sent meanwhile are counted against the same overall rate.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

SEND_ENDPOINTS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
KEEP_SECONDS = 5.0


class CountingRateLimiter(AIORateLimiter):
    """python-telegram-bot's rate limiter that also remembers when each send went out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sent: deque[float] = deque()
        self._in_flight = 0

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint not in SEND_ENDPOINTS:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        self._in_flight += 1
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            self._in_flight -= 1
            self._sent.append(time.monotonic())

    def recent(self, seconds: float) -> int:
        """Sends finished in the last `seconds`, plus those under way now."""
        now = time.monotonic()
        while self._sent and self._sent[0] < now - KEEP_SECONDS:
            self._sent.popleft()
        return self._in_flight + sum(1 for at in self._sent if at > now - seconds)
