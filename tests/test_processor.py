"""The inbox processor on its own: supervised, and claims that hold under stale views."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApplication, build_application
from bot.intake import parse_update, store
from bot.processor import InboxProcessor
from storage import inbox
from storage.db import Database
from storage.inbox import NewUpdate
from tests.fake_telegram import FakeTelegram
from tests.harness import make_settings

HELP_HEADING = "What this bot can do"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "bot.sqlite3") as database:
        await database.migrate()
        yield database


@pytest.fixture
async def app(fake: FakeTelegram, db: Database, tmp_path: Path) -> AsyncIterator[BotApplication]:
    application = build_application(make_settings(fake, tmp_path / "bot.sqlite3"), db)
    async with application:
        yield application


async def test_a_failed_processing_loop_is_restarted_and_keeps_answering(
    fake: FakeTelegram, db: Database, app: BotApplication
) -> None:
    processor = InboxProcessor(app, db, workers=2)
    original = processor._dispatch_ready
    failures = [RuntimeError("a bug in the loop")]

    def dispatch_once_failing() -> None:
        if failures:
            # Fails halfway: the chat has been taken off the queue, nothing dispatched.
            processor._scheduled.discard(processor._ready.popleft())
            raise failures.pop()
        original()

    processor._dispatch_ready = dispatch_once_failing  # type: ignore[method-assign]
    user = fake.user(7001, language_code="en")
    user.send("/help")
    update = fake.pending_updates[-1]
    await store(db, [parse_update(update, app.bot)], processor)
    await processor.start()
    try:
        await fake.await_message(user.id, text_contains=HELP_HEADING, timeout=10)
        assert processor.restarts == 1
        assert processor.alive
    finally:
        await processor.stop()
    assert not processor.alive
    assert await inbox.begin_attempt(db, int(update["update_id"])) is None  # done


async def test_a_claim_succeeds_only_while_the_update_is_pending(db: Database) -> None:
    await inbox.add_many(db, [NewUpdate(1, "{}"), NewUpdate(2, "{}", poison="unparseable")])
    first = await inbox.begin_attempt(db, 1, touch_user=42)
    assert first is not None and first.attempts == 1
    assert first.user is not None and first.user.user_id == 42
    await inbox.mark_done(db, 1)
    assert await inbox.begin_attempt(db, 1) is None  # a stale view cannot claim it again
    assert await inbox.begin_attempt(db, 2) is None  # set aside as poison
    assert await inbox.oldest_pending_age(db) is None


async def test_oldest_pending_age(db: Database) -> None:
    await inbox.add_many(db, [NewUpdate(5, "{}"), NewUpdate(6, "{}")])
    row = await db.fetchone("SELECT received_at FROM inbox WHERE update_id = 5")
    assert row is not None
    assert await inbox.oldest_pending_age(db, now=float(row["received_at"]) + 12.5) == 12.5
    await inbox.mark_done(db, 5)
    await inbox.mark_done(db, 6)
    assert await inbox.oldest_pending_age(db) is None


async def test_one_update_costs_two_write_transactions_and_no_outbox_query(
    fake: FakeTelegram, db: Database, app: BotApplication
) -> None:
    """Stored and claimed at once (attempt and last seen: its chat was idle), then finished;
    nothing reread, no outbox poll."""
    sender = app.bot_data.outbox
    await sender.start()
    processor = InboxProcessor(app, db, workers=2)
    await processor.start()
    user = fake.user(7002, language_code="en")
    user.send("/help")
    await store(db, [parse_update(fake.pending_updates[-1], app.bot)], processor)
    await fake.await_message(user.id, text_contains=HELP_HEADING)
    await asyncio.sleep(0.3)  # the sender's first rounds are over: it waits for work now
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    try:
        mark = fake.mark()
        user.send("/privacy")
        await store(db, [parse_update(fake.pending_updates[-1], app.bot)], processor)
        await fake.await_message(user.id, text_contains="What the bot stores", after=mark)
        await asyncio.sleep(0.3)  # a needless wake-up of the sender would show by now
    finally:
        await db.conn.set_trace_callback(None)
        await processor.stop()
        await sender.stop()
    assert sum(s.startswith("BEGIN") for s in statements) == 2, statements
    assert not [s for s in statements if "outbox" in s], statements
    assert not [s for s in statements if "status = 'pending' AND update_id >" in s]


async def test_a_question_answered_from_the_faq_is_counted_in_the_same_two_transactions(
    fake: FakeTelegram, db: Database, app: BotApplication
) -> None:
    """The answer count for /stats rides on the transaction that finishes the update."""
    processor = InboxProcessor(app, db, workers=2)
    await processor.start()
    user = fake.user(7003, language_code="en")
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    try:
        for turn in range(2):
            mark = fake.mark()
            user.send("who leads the AI strategy")
            await store(db, [parse_update(fake.pending_updates[-1], app.bot)], processor)
            await fake.await_message(user.id, text_contains="Ministry of Post", after=mark)
            await asyncio.sleep(0.3)  # the update is finished by now
            rows = await db.fetchall("SELECT entry_id, given FROM faq_answers_given")
            assert [(r["entry_id"], r["given"]) for r in rows] == [("nais_lead", turn + 1)]
    finally:
        await db.conn.set_trace_callback(None)
        await processor.stop()
    assert sum(s.startswith("BEGIN") for s in statements) == 2 * 2, statements


async def test_an_update_queued_behind_another_is_claimed_as_that_one_finishes(
    fake: FakeTelegram, db: Database, app: BotApplication
) -> None:
    """Only the update next in its chat is claimed as it is stored; one queued behind it keeps
    its attempts at 0 until the one ahead is marked done, in that same transaction."""
    processor = InboxProcessor(app, db, workers=2)
    user = fake.user(7004, language_code="en")
    user.send("/help")
    user.send("/privacy")
    first, second = fake.pending_updates[-2:]
    parsed = [parse_update(first, app.bot), parse_update(second, app.bot)]
    await store(db, parsed, processor)
    rows = await db.fetchall("SELECT update_id, attempts FROM inbox ORDER BY update_id")
    assert [r["attempts"] for r in rows] == [1, 0]
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    await processor.start()
    try:
        await fake.await_message(user.id, text_contains="What the bot stores")
        await asyncio.sleep(0.3)
    finally:
        await db.conn.set_trace_callback(None)
        await processor.stop()
    rows = await db.fetchall("SELECT status, attempts FROM inbox ORDER BY update_id")
    assert [(r["status"], r["attempts"]) for r in rows] == [("done", 1), ("done", 1)]
    assert sum(s.startswith("BEGIN") for s in statements) == 2, statements  # the two dones
