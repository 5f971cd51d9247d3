"""The real application on its own event loop, for tests that hand it updates directly."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from telegram import Update

from bot.app import BotApplication, build_application
from bot.context import BotContext, BotData
from bot.safe_text import clean_json
from storage import outbox
from storage.db import Database
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.harness import make_settings

T = TypeVar("T")
JSON = dict[str, Any]
GROUP_ID = -1001000000001
MODERATOR = 9001


class Driver:
    """The real application, its own event loop, real SQLite, and the fake Bot API."""

    def __init__(self, fake: FakeTelegram, db_path: Path) -> None:
        self.fake = fake
        self.loop = asyncio.new_event_loop()
        self.settings = make_settings(fake, db_path)
        self.db = Database(db_path)
        self.errors: list[BaseException] = []
        self.app: BotApplication | None = None

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    async def _start(self) -> None:
        await self.db.open()
        await self.db.migrate()
        self.app = build_application(self.settings, self.db)

        async def remember(update: object, context: BotContext) -> None:
            assert context.error is not None
            self.errors.append(context.error)

        self.app.add_error_handler(remember)
        await self.app.initialize()

    def start(self) -> Driver:
        self.run(self._start())
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self.app is not None:
                await self.app.shutdown()
            await self.db.close()

        self.run(close())
        self.loop.close()

    @property
    def data(self) -> BotData:
        assert self.app is not None
        data = self.app.bot_data
        assert isinstance(data, BotData)
        return data

    def handle(self, update: JSON) -> None:
        """As the inbox processor does: stored as JSON, decoded, cleaned, handled; then the
        outbox delivers what the handler queued."""
        assert self.app is not None
        payload = json.loads(json.dumps(update))
        parsed = Update.de_json(clean_json(payload), self.app.bot)
        self.run(self.app.process_update(parsed))
        self.flush_outbox()

    def flush_outbox(self, timeout: float = 10.0) -> None:
        """Deliver everything the outbox holds that is due within the timeout, at its pace."""

        async def flush() -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if await self.data.outbox.deliver_due():
                    continue
                due = await outbox.next_due_at(self.db)
                if due is None or due - time.time() > deadline - time.monotonic():
                    return
                await asyncio.sleep(min(max(due - time.time(), 0.005), 0.5))

        self.run(flush())

    def press(self, user: FakeUser, message: JSON, data: str, chat_id: int | None = None) -> None:
        chat = user.id if chat_id is None else chat_id
        query_id = self.fake._act(
            lambda world: world.press(user.id, chat, message["message_id"], data, strict=False)
        )
        self.handle(self.fake._read(lambda world: world.callback_queries[query_id].update))

    def assert_clean(self, mark: int) -> None:
        """No handler raised, and Telegram accepted every call the bot made."""
        assert self.errors == [], self.errors
        refused = [
            (r.method, r.status, (r.response or {}).get("description"))
            for r in self.fake.requests
            if r.seq > mark and r.status is not None and r.status >= 400
            and "not modified" not in str((r.response or {}).get("description"))
        ]  # fmt: skip
        assert refused == []
