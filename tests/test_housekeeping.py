"""Pruning on a timer: handled updates and sent texts are forgotten, and the file shrinks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.housekeeping import DAY_SECONDS, Housekeeping
from storage import inbox, outbox
from storage.db import Database
from storage.inbox import NewUpdate
from tests.fake_telegram import FakeTelegram
from tests.harness import make_settings


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "bot.sqlite3") as database:
        await database.migrate()
        yield database


async def age(db: Database, sql: str, days: float) -> None:
    async with db.transaction() as conn:
        await conn.execute(sql, (time.time() - days * DAY_SECONDS,))


async def until(db: Database, sql: str) -> None:
    """Until the housekeeping timer has made sql true (the test's timeout bounds it)."""
    while True:
        row = await db.fetchone(sql)
        if row is not None and row[0]:
            return
        await asyncio.sleep(0.02)


async def fill(db: Database, first: int, count: int) -> None:
    text = "x" * 2000
    await inbox.add_many(db, [NewUpdate(i, text) for i in range(first, first + count)])
    for i in range(first, first + count):
        await inbox.mark_done(db, i)
    async with db.transaction() as conn:
        for i in range(first, first + count):
            await outbox.enqueue_in(
                conn, dedup_key=f"k{i}", chat_id=100 + i, method="send_message",
                payload={"text": text},
            )  # fmt: skip
            await conn.execute("UPDATE outbox SET status = 'sent' WHERE dedup_key = ?", (f"k{i}",))


async def test_the_timer_prunes_old_rows_and_keeps_recent_ones(
    fake: FakeTelegram, db: Database, tmp_path: Path
) -> None:
    settings = make_settings(
        fake, tmp_path / "bot.sqlite3", INBOX_RETENTION_DAYS="2", OUTBOX_RETENTION_DAYS="3"
    )
    await fill(db, 1, 50)
    await age(db, "UPDATE inbox SET finished_at = ?", 2.5)
    await age(db, "UPDATE outbox SET created_at = ?", 2.5)
    await fill(db, 51, 5)  # recent
    await age(db, "UPDATE outbox_lanes SET ready_at = ? WHERE chat_id > 150", 0)
    housekeeping = Housekeeping(db, settings, interval=0.05)
    await housekeeping.start()
    try:
        await until(db, "SELECT COUNT(*) <= 5 FROM inbox")
        # Older than the outbox's three days: the texts go too, on a later round.
        await age(db, "UPDATE outbox SET created_at = ? WHERE id <= 50", 3.5)
        await until(db, "SELECT COUNT(*) >= 50 FROM outbox WHERE payload = '{}'")
    finally:
        await housekeeping.stop()
    kept = await db.fetchall("SELECT update_id FROM inbox ORDER BY update_id")
    assert [r["update_id"] for r in kept] == list(range(51, 56))
    texts = await db.fetchall("SELECT id, payload FROM outbox ORDER BY id")
    assert all(r["payload"] == "{}" for r in texts[:50])
    assert all(r["payload"] != "{}" for r in texts[50:])
    # Empty lanes: the pace of chats written to recently is kept, the rest forgotten.
    lanes = await db.fetchall("SELECT chat_id FROM outbox_lanes ORDER BY chat_id")
    assert [r["chat_id"] for r in lanes] == list(range(151, 156))


async def test_the_file_gives_back_what_pruning_freed(
    fake: FakeTelegram, db: Database, tmp_path: Path
) -> None:
    settings = make_settings(fake, tmp_path / "bot.sqlite3", INBOX_RETENTION_DAYS="1")
    assert (await db.fetchone("PRAGMA auto_vacuum"))[0] == 2  # type: ignore[index]
    await inbox.add_many(db, [NewUpdate(i, "y" * 4000) for i in range(1, 501)])
    for i in range(1, 500):
        await inbox.mark_failed(db, i, "test", keep_payload=True)
    await age(db, "UPDATE inbox SET finished_at = ? WHERE status = 'failed'", 2)
    pages = (await db.fetchone("PRAGMA page_count"))[0]  # type: ignore[index]
    result = await Housekeeping(db, settings).run_once()
    assert result["inbox"] == 499
    assert result["pages freed"] > 0
    assert (await db.fetchone("PRAGMA freelist_count"))[0] == 0  # type: ignore[index]
    assert (await db.fetchone("PRAGMA page_count"))[0] < pages / 4  # type: ignore[index]


async def test_an_old_database_is_converted_to_incremental_vacuum(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    async with Database(path) as db:
        assert (await db.fetchone("PRAGMA auto_vacuum"))[0] == 0  # type: ignore[index]
        assert await db.enable_incremental_vacuum()
        assert (await db.fetchone("PRAGMA auto_vacuum"))[0] == 2  # type: ignore[index]
        assert not await db.enable_incremental_vacuum()
