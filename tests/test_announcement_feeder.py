"""The announcement feeder at rest: it waits for the next scheduled announcement instead of
looking every second, and still starts each one on time (a real SQLite file)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.announcements import feeder as feeder_module
from bot.announcements.feeder import AnnouncementFeeder
from bot.announcements.service import confirm
from bot.i18n import Translator
from storage import announcements
from storage.announcements import Status
from storage.db import Database

ADMIN = 5001


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "feeder.sqlite3") as database:
        await database.migrate()
        yield database


def make_feeder(db: Database) -> AnnouncementFeeder:
    return AnnouncementFeeder(
        Bot("123456:UNUSED-abcdefghijklmnopqrstuvwxyz"),
        db,
        Translator(),
        rate=20,
        progress_seconds=5,
        default_language="km",
        wake_outbox=lambda: None,
        recent_sends=lambda seconds: 0,
    )


async def draft(db: Database, send_at: float | None) -> int:
    async with db.transaction() as conn:
        announcement_id = await announcements.new_draft_in(conn, ADMIN, ADMIN, "en")
    await announcements.update_draft(
        db, announcement_id, text_en="Workshop", text_km="សិក្ខាសាលា", audience="all", send_at=send_at
    )
    return announcement_id


async def test_with_nothing_scheduled_it_waits_the_longest(db: Database) -> None:
    feeder = make_feeder(db)
    assert await feeder._round() == feeder_module.QUIET_SECONDS


async def test_it_waits_exactly_until_the_next_scheduled_one_then_starts_it(
    db: Database,
) -> None:
    feeder = make_feeder(db)
    later = await draft(db, time.time() + 3600)
    assert await confirm(db, ADMIN, later) is not None
    soon_at = time.time() + 0.4
    soon = await draft(db, soon_at)
    await confirm(db, ADMIN, soon)
    wait = await feeder._round()
    assert 0 < wait <= 0.4
    await asyncio.sleep(max(0.0, soon_at - time.time()) + 0.05)
    await feeder._round()
    started = await announcements.get(db, soon)
    assert started is not None and started.status is not Status.SCHEDULED
    assert (await announcements.get(db, later)).status is Status.SCHEDULED  # type: ignore[union-attr]


async def test_while_one_is_under_way_it_looks_every_second(db: Database) -> None:
    feeder = make_feeder(db)
    paused = await draft(db, time.time() + 3600)
    await confirm(db, ADMIN, paused)
    async with db.transaction() as conn:
        assert await announcements.move_in(conn, paused, (Status.SCHEDULED,), Status.PAUSED)
    assert await feeder._round() == feeder_module.IDLE_SECONDS
