from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.app_driver import GROUP_ID, MODERATOR, Driver
from tests.fake_telegram import FakeTelegram
from tests.harness import BotThread, make_settings


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram(token="123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
def start_bot(fake: FakeTelegram, db_path: Path) -> Iterator[Callable[..., BotThread]]:
    """Start the real bot in a thread; every bot started here is stopped at the end."""
    running: list[BotThread] = []

    def start(**settings: str) -> BotThread:
        mark = fake.mark()
        bot = BotThread(make_settings(fake, db_path, **settings)).start()
        running.append(bot)
        # Polling has begun: the database is migrated and what was pending is being handled.
        fake.wait_for_request("deleteWebhook", after=mark, timeout=20)
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture
def driver(fake: FakeTelegram, db_path: Path) -> Iterator[Driver]:
    fake.group(GROUP_ID, title="Moderators")
    fake.user(MODERATOR, first_name="Sophea", language_code="en")
    running = Driver(fake, db_path).start()
    try:
        yield running
    finally:
        running.stop()
