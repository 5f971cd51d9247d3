"""GET /healthz and /metrics: is the bot doing its work, and how much of it.

/healthz answers 200 or 503 with what it found, in both modes (the webhook server serves the
same report). /metrics, in Prometheus' format, is served only by the health listener
(HEALTH_PORT on HEALTH_LISTEN, 127.0.0.1 unless set), optionally behind METRICS_TOKEN.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics
from bot.config import Settings
from bot.processor import InboxProcessor
from bot.telegram_calls import TelegramCalls
from storage import inbox, outbox
from storage.db import Database

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

DATABASE_TIMEOUT_SECONDS = 5.0


class ListenError(Exception):
    """The health listener could not bind its address."""


class Health:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        processor: InboxProcessor,
        calls: TelegramCalls,
    ) -> None:
        self.settings = settings
        self.db = db
        self.processor = processor
        self.calls = calls

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, what was found); every figure in seconds."""
        now = time.time()
        s = self.settings
        problems: list[str] = []
        found: dict[str, Any] = {"processor": "running" if self.processor.alive else "stopped"}
        if not self.processor.alive:
            problems.append("the inbox processor is not running")
        try:
            pending_age, backlog, due_age = await asyncio.wait_for(
                self._figures(now), DATABASE_TIMEOUT_SECONDS
            )
        except Exception as exc:
            found["database"] = f"unreachable: {type(exc).__name__}"
            problems.append("the database cannot be read")
        else:
            found["database"] = "ok"
            found["oldest_pending_update_seconds"] = _rounded(pending_age)
            found["outbox_backlog"] = backlog
            found["oldest_due_message_seconds"] = _rounded(due_age)
            if pending_age is not None and pending_age > s.health_max_pending_seconds:
                problems.append("an update has waited too long to be handled")
            if due_age is not None and due_age > s.health_max_outbox_seconds:
                problems.append("a message has waited too long in the outbox")
        last_ok = self.calls.last_ok
        found["telegram_last_ok_seconds_ago"] = None if last_ok is None else _rounded(now - last_ok)
        failing = self.calls.failing_for(now)
        found["telegram_failing_seconds"] = _rounded(failing)
        if failing > s.health_max_telegram_silence_seconds:
            problems.append("calls to Telegram have failed for too long")
        return not problems, {"ok": not problems, "problems": problems, **found}

    async def _figures(self, now: float) -> tuple[float | None, int, float | None]:
        return (
            await inbox.oldest_pending_age(self.db, now),
            await outbox.pending_count(self.db),
            await outbox.oldest_due_age(self.db, now),
        )

    # aiohttp's web server is imported where it serves: a bot without HEALTH_PORT that polls
    # never loads it (about 1.5 MiB).
    async def healthz(self, request: web.Request) -> web.Response:
        from aiohttp import web

        healthy, body = await self.report()
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics(self, request: web.Request) -> web.Response:
        from aiohttp import web

        token = self.settings.metrics_token
        if token is not None:
            given = request.headers.get("Authorization", "")
            expected = f"Bearer {token.get_secret_value()}"
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return web.Response(status=401)
        # Backlogs are read from the database at scrape time, so they are never stale.
        try:
            metrics.INBOX_BACKLOG.set(await inbox.pending_count(self.db))
            metrics.OUTBOX_BACKLOG.set(await outbox.pending_count(self.db))
        except Exception:
            log.warning("metrics: the database cannot be read; backlogs not updated")
        return web.Response(
            body=generate_latest(metrics.REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )


class HealthServer:
    """The health listener: /healthz and /metrics, in either mode."""

    def __init__(self, health: Health, listen: str, port: int) -> None:
        self.health = health
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/healthz", self.health.healthz)
        app.router.add_get("/metrics", self.health.metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.listen, self.port).start()
        except OSError as exc:
            await self._runner.cleanup()
            raise ListenError(
                f"HEALTH_PORT: cannot listen on {self.listen}:{self.port} ({exc.strerror})"
            ) from None
        log.info("health listener on %s:%s (/healthz, /metrics)", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
