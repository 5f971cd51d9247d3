"""Where updates come in: long polling or a webhook, both filling the same inbox.

An update is committed to the inbox before Telegram learns it was received: for
polling, before the next getUpdates carries the higher offset; for a webhook,
before the HTTP 200.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler
from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut

from storage import inbox
from storage.db import Database

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 25
MAX_BACKOFF_SECONDS = 30.0


class PollingIntake:
    def __init__(self, bot: Bot, db: Database, on_stored: Callable[[], None]) -> None:
        self.bot = bot
        self.db = db
        self.on_stored = on_stored
        self.poll_timeout = POLL_TIMEOUT_SECONDS

    async def run(self, stop: asyncio.Event) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        last = await inbox.last_update_id(self.db)
        offset = None if last is None else last + 1
        backoff = 1.0
        while not stop.is_set():
            try:
                updates = await self._get_updates(offset, stop)
            except InvalidToken:
                raise
            except RetryAfter as exc:
                await _sleep_or_stop(stop, _seconds(exc.retry_after))
                continue
            except (NetworkError, TimedOut) as exc:
                log.warning(
                    "getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, backoff
                )
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = 1.0
            if not updates:
                continue
            await inbox.add_many(self.db, [(u.update_id, _serialise(u)) for u in updates])
            offset = updates[-1].update_id + 1
            self.on_stored()
        # Tell Telegram what is already stored, so it is not delivered again.
        if offset is not None:
            with contextlib.suppress(NetworkError):
                await self.bot.get_updates(offset=offset, timeout=0, limit=1)

    async def _get_updates(self, offset: int | None, stop: asyncio.Event) -> tuple[Update, ...]:
        poll = asyncio.ensure_future(
            self.bot.get_updates(
                offset=offset, timeout=self.poll_timeout, allowed_updates=Update.ALL_TYPES
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if poll not in done:
            # Whatever this call would have returned stays unconfirmed at Telegram.
            poll.cancel()
            return ()
        stopped.cancel()
        return poll.result()


class WebhookIntake:
    """An aiohttp endpoint for Telegram's webhook calls."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        on_stored: Callable[[], None],
        *,
        url: str,
        secret: str,
        listen: str,
        port: int,
        health: Handler | None = None,
    ) -> None:
        self.bot = bot
        self.db = db
        self.on_stored = on_stored
        self.url = url
        self.secret = secret
        self.listen = listen
        self.port = port
        self.path = urlsplit(url).path or "/"
        self.health_handler = health or self.health

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=1 << 20)
        app.router.add_post(self.path, self.receive)
        app.router.add_get("/healthz", self.health_handler)
        return app

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403)
        try:
            data: Any = await request.json()
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400)
        # A failure here answers 500, and Telegram delivers the update again later.
        await inbox.add_many(self.db, [(data["update_id"], json.dumps(data))])
        self.on_stored()
        return web.Response(status=200)

    async def run(self, stop: asyncio.Event) -> None:
        runner = web.AppRunner(self.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.listen, self.port)
        await site.start()
        log.info("webhook server listening on %s:%s", self.listen, self.port)
        await self.bot.set_webhook(
            url=self.url, secret_token=self.secret, allowed_updates=Update.ALL_TYPES
        )
        try:
            await stop.wait()
        finally:
            await runner.cleanup()


def _serialise(update: Update) -> str:
    # ASCII escapes keep text with broken Unicode storable; the handler refuses it later.
    return json.dumps(update.to_dict())


def _seconds(value: object) -> float:
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value)  # type: ignore[arg-type]


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
