"""The outbox against the fake Bot API: order per chat, retries, permanent failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.outbox import OutboxSender
from storage import outbox
from storage.db import Database
from tests.fake_telegram import FakeTelegram


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "bot.sqlite3") as database:
        await database.migrate()
        yield database


async def queue(db: Database, chat_id: int, *texts: str) -> None:
    async with db.transaction() as conn:
        for text in texts:
            await outbox.enqueue_in(
                conn, dedup_key=f"{chat_id}:{text}", chat_id=chat_id, method="send_message",
                payload={"text": text},
            )  # fmt: skip


async def deliver_all(sender: OutboxSender, db: Database, rounds: int = 200) -> None:
    """Rounds until nothing is pending, moving the clock past each retry instead of waiting."""
    for _ in range(rounds):
        await sender.deliver_due()
        pending = await db.fetchone("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")
        if pending is not None and pending["n"] == 0:
            return
        async with db.transaction() as conn:
            await conn.execute("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'")
            await conn.execute("UPDATE outbox_lanes SET ready_at = 0")
    raise AssertionError("the outbox never emptied")


async def test_a_retry_does_not_let_a_later_message_overtake(
    fake: FakeTelegram, db: Database
) -> None:
    user = fake.user(5001, language_code="en")
    other = fake.user(5002, language_code="en")
    user.send("hi")
    other.send("hi")
    await queue(db, user.id, "first", "second", "third")
    await queue(db, other.id, "unrelated")
    fake.fail_next("sendMessage", "429", retry_after=30)
    async with ExtBot(fake.token, base_url=fake.base_url) as bot:
        sender = OutboxSender(bot, db)
        await sender.deliver_due()
        # The other chat is not held up by this chat's wait.
        assert [m["text"] for m in fake.sent_messages(other.id)] == ["unrelated"]
        assert fake.sent_messages(user.id) == []
        await sender.deliver_due()  # "second" is due, but must wait for "first"
        assert fake.sent_messages(user.id) == []
        await deliver_all(sender, db)
    assert [m["text"] for m in fake.sent_messages(user.id)] == ["first", "second", "third"]


async def test_5xx_and_timeouts_back_off_and_deliver_once(fake: FakeTelegram, db: Database) -> None:
    user = fake.user(5003, language_code="en")
    user.send("hi")
    await queue(db, user.id, "survives")
    fake.fail_next("sendMessage", "502", count=2)
    async with ExtBot(fake.token, base_url=fake.base_url) as bot:
        await deliver_all(OutboxSender(bot, db), db)
    assert [m["text"] for m in fake.sent_messages(user.id)] == ["survives"]
    row = await db.fetchone("SELECT status, attempts FROM outbox")
    assert row is not None and (row["status"], row["attempts"]) == ("sent", 3)


async def test_bad_requests_fail_without_retrying_and_do_not_block_the_rest(
    fake: FakeTelegram, db: Database
) -> None:
    user = fake.user(5004, language_code="en")
    user.send("hi")
    await queue(db, user.id, "<b>broken", "fine")
    html = Defaults(parse_mode=ParseMode.HTML)  # as the application sets it
    async with ExtBot(fake.token, base_url=fake.base_url, defaults=html) as bot:
        await deliver_all(OutboxSender(bot, db), db)
    rows = await db.fetchall("SELECT status, error FROM outbox ORDER BY id")
    assert rows[0]["status"] == "failed" and "parse entities" in rows[0]["error"]
    assert rows[1]["status"] == "sent"
    assert [m["text"] for m in fake.sent_messages(user.id)] == ["fine"]
