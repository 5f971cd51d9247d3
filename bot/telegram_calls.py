"""When Telegram last answered: every Bot API call of the bot goes through TrackedRequest."""

from __future__ import annotations

import time
from typing import Any

from telegram.request import HTTPXRequest


class TelegramCalls:
    """The one record of how calls to Telegram are going, for /healthz."""

    def __init__(self) -> None:
        self.last_ok: float | None = None
        self.failing_since: float | None = None

    def succeeded(self) -> None:
        self.last_ok = time.time()
        self.failing_since = None

    def failed(self) -> None:
        if self.failing_since is None:
            self.failing_since = time.time()

    def failing_for(self, now: float) -> float:
        """Seconds every call has failed (0 while calls succeed; an idle bot is not failing)."""
        return 0.0 if self.failing_since is None else now - self.failing_since


class TrackedRequest(HTTPXRequest):
    """python-telegram-bot's HTTP client, noting each answer (< 500) or failure."""

    def __init__(self, calls: TelegramCalls, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls = calls

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            status, body = await super().do_request(*args, **kwargs)
        except Exception:
            self.calls.failed()
            raise
        if status < 500:
            self.calls.succeeded()
        else:
            self.calls.failed()
        return status, body
