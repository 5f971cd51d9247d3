"""Where updates come in: long polling or a webhook, both filling the same inbox.

An update is committed to the inbox before Telegram learns it was received: for
polling, before the next getUpdates carries the higher offset; for a webhook,
before the HTTP 200.

Updates arrive as raw JSON and are parsed here, once, each on its own: one that
python-telegram-bot cannot parse is stored already set aside ("poison") instead of
stopping the intake, and the rest go on to the processor.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut

from bot import metrics
from bot.safe_text import clean_json
from storage import inbox
from storage.db import Database
from storage.inbox import INT64_MAX, INT64_MIN, Attempt, NewUpdate

if TYPE_CHECKING:
    from aiohttp import web
    from aiohttp.typedefs import Handler

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 25
MAX_BACKOFF_SECONDS = 30.0


class Receiver(Protocol):
    """The inbox processor, as the intake sees it."""

    def startable(self, updates: list[Update]) -> dict[int, int | None]:
        """Of these updates, those that would start at once: update_id -> the private sender
        to record as seen (or None). They are claimed as they are stored."""

    def submit(self, updates: list[Update], claimed: Mapping[int, Attempt] | None = None) -> None:
        """Updates just stored, with the attempts already counted for the claimed ones."""


@dataclass(frozen=True)
class Arrival:
    """One update as Telegram sent it: what to store, and the parsed update if it parsed."""

    stored: NewUpdate
    update: Update | None


def parse_update(data: dict[str, Any], bot: Bot) -> Arrival:
    """Parse one raw update; never raises. The caller has checked update_id."""
    update_id = int(data["update_id"])
    payload = json.dumps(data)
    if not _ints_in_range(data):
        return Arrival(NewUpdate(update_id, payload, "an integer is out of range"), None)
    try:
        # Lone surrogates (JSON escapes like \ud800) could neither be stored nor sent.
        update = Update.de_json(clean_json(data), bot)
    except Exception as exc:
        # The reason names the exception only: its text may quote what was sent.
        return Arrival(NewUpdate(update_id, payload, f"unparseable ({type(exc).__name__})"), None)
    return Arrival(NewUpdate(update_id, payload), update)


def valid_update_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT64_MAX


def _ints_in_range(value: object) -> bool:
    """Every integer fits SQLite's 64 bits, so no id can overflow a query in a handler."""
    if isinstance(value, dict):
        return all(_ints_in_range(v) for v in value.values())
    if isinstance(value, list):
        return all(_ints_in_range(v) for v in value)
    if isinstance(value, int):
        return INT64_MIN <= value <= INT64_MAX
    return True


async def store(db: Database, arrivals: list[Arrival], receiver: Receiver) -> None:
    """Commit the arrivals, then hand the parsed ones to the processor.

    Those the processor can start at once are claimed in the same transaction."""
    parsed = [a.update for a in arrivals if a.update is not None]
    claimed = await inbox.add_many(db, [a.stored for a in arrivals], receiver.startable(parsed))
    poisoned = len(arrivals) - len(parsed)
    if poisoned:
        metrics.UPDATES_FAILED.labels("poison").inc(poisoned)
        log.warning("%s update(s) could not be parsed; stored and set aside", poisoned)
    receiver.submit(parsed, claimed)


class PollingIntake:
    def __init__(self, bot: Bot, db: Database, receiver: Receiver) -> None:
        self.bot = bot
        self.db = db
        self.receiver = receiver
        self.poll_timeout = POLL_TIMEOUT_SECONDS

    async def run(self, stop: asyncio.Event) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        last = await inbox.last_update_id(self.db)
        offset = None if last is None else last + 1
        backoff = 1.0
        while not stop.is_set():
            try:
                raw = await self._get_updates(offset, stop)
                # Stored before the next getUpdates confirms them with a higher offset.
                offset = await self._store(raw, offset)
            except InvalidToken:
                raise
            except RetryAfter as exc:
                await _sleep_or_stop(stop, _seconds(exc.retry_after))
                continue
            except (NetworkError, TimedOut, sqlite3.Error) as exc:
                # The same offset is asked again: nothing unstored is confirmed.
                log.warning(
                    "receiving updates failed (%s); retrying in %.0f s", type(exc).__name__, backoff
                )
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = 1.0
        # Tell Telegram what is already stored, so it is not delivered again.
        if offset is not None:
            with contextlib.suppress(NetworkError):
                # Raw too: what comes back is not looked at, and may not parse.
                await self.bot.do_api_request(
                    "getupdates", api_kwargs={"offset": offset, "timeout": 0, "limit": 1}
                )

    async def _store(self, raw: list[Any], offset: int | None) -> int | None:
        usable = [d for d in raw if isinstance(d, dict) and valid_update_id(d.get("update_id"))]
        if len(usable) != len(raw):
            log.warning("%s update(s) without a usable update_id skipped", len(raw) - len(usable))
        if not usable:
            return offset
        await store(self.db, [parse_update(d, self.bot) for d in usable], self.receiver)
        return max(int(d["update_id"]) for d in usable) + 1

    async def _get_updates(self, offset: int | None, stop: asyncio.Event) -> list[Any]:
        """getUpdates as raw JSON: python-telegram-bot would refuse the whole batch for one
        update it cannot parse."""
        params: dict[str, Any] = {
            "timeout": self.poll_timeout,
            "allowed_updates": list(Update.ALL_TYPES),
        }
        if offset is not None:
            params["offset"] = offset
        poll = asyncio.ensure_future(
            # Bot API method names are case-insensitive; this spelling tells
            # python-telegram-bot that skipping its get_updates is deliberate.
            self.bot.do_api_request(
                "getupdates", api_kwargs=params, read_timeout=self.poll_timeout + 10
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if poll not in done:
            # Whatever this call would have returned stays unconfirmed at Telegram.
            poll.cancel()
            return []
        stopped.cancel()
        result = poll.result()
        return result if isinstance(result, list) else []


class WebhookIntake:
    """An aiohttp endpoint for Telegram's webhook calls."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        receiver: Receiver,
        *,
        url: str,
        secret: str,
        listen: str,
        port: int,
        health: Handler | None = None,
    ) -> None:
        self.bot = bot
        self.db = db
        self.receiver = receiver
        self.url = url
        self.secret = secret
        self.listen = listen
        self.port = port
        self.path = urlsplit(url).path or "/"
        self.health_handler = health or self.health

    def web_app(self) -> web.Application:
        # Imported here: polling mode has no use for the web server's ~12 MiB.
        from aiohttp import web

        app = web.Application(client_max_size=1 << 20)
        app.router.add_post(self.path, self.receive)
        app.router.add_get("/healthz", self.health_handler)
        return app

    async def health(self, request: web.Request) -> web.Response:
        from aiohttp import web

        return web.json_response({"ok": True})

    async def receive(self, request: web.Request) -> web.Response:
        from aiohttp import web

        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403)
        try:
            data: Any = await request.json()
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400)
        if not isinstance(data, dict) or not valid_update_id(data.get("update_id")):
            return web.Response(status=400)
        # A failure here answers 500, and Telegram delivers the update again later.
        await store(self.db, [parse_update(data, self.bot)], self.receiver)
        return web.Response(status=200)

    async def run(self, stop: asyncio.Event) -> None:
        from aiohttp import web

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


def _seconds(value: object) -> float:
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value)  # type: ignore[arg-type]


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
