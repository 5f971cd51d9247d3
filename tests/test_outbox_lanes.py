"""The outbox's lanes: no chat waits for another, urgent before bulk, the limits held."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from bot.app import rate_limiter
from bot.outbox import OutboxSender
from storage import outbox
from storage.db import Database
from storage.outbox import Priority
from tests.fake_telegram import FakeTelegram

GROUP_ID = -1001000000077


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "bot.sqlite3") as database:
        await database.migrate()
        yield database


async def queue(
    db: Database, chat_id: int, text: str, priority: Priority = Priority.URGENT
) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue_in(
            conn, dedup_key=f"{chat_id}:{text}", chat_id=chat_id, method="send_message",
            payload={"text": text}, priority=priority,
        )  # fmt: skip


def people(fake: FakeTelegram, count: int, first: int) -> list[int]:
    ids = []
    for i in range(count):
        user = fake.user(first + i, language_code="en")
        user.send("hi")  # they wrote first, so the bot may write to them
        ids.append(user.id)
    return ids


async def until(check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def sent_to(fake: FakeTelegram, chat_ids: list[int]) -> int:
    return sum(len(fake.sent_messages(chat_id)) for chat_id in chat_ids)


async def test_people_are_not_held_up_by_a_backlog_of_group_cards(
    fake: FakeTelegram, db: Database
) -> None:
    fake.group(GROUP_ID)
    for n in range(50):
        await queue(db, GROUP_ID, f"card {n}")
    persons = people(fake, 60, 8000)
    for person in persons:
        await queue(db, person, "your contribution was accepted")
    # The group may have one message a minute: with a single queue, every person would wait.
    async with ExtBot(fake.token, base_url=fake.base_url, rate_limiter=rate_limiter(1)) as bot:
        sender = OutboxSender(bot, db, group_interval=60.0)
        await sender.start()
        try:
            await until(lambda: sent_to(fake, persons) == 60, "every person's message")
        finally:
            await sender.stop()
    assert len(fake.sent_messages(GROUP_ID)) == 1
    assert [m["text"] for m in fake.sent_messages(GROUP_ID)] == ["card 0"]


async def test_urgent_messages_go_before_bulk_ones(fake: FakeTelegram, db: Database) -> None:
    bulk = people(fake, 40, 8100)
    urgent = people(fake, 5, 8200)
    for person in bulk:
        await queue(db, person, "announcement", Priority.BULK)
    for person in urgent:
        await queue(db, person, "reply to you")
    async with ExtBot(fake.token, base_url=fake.base_url) as bot:
        sender = OutboxSender(bot, db)
        await sender.start()
        try:
            await until(lambda: sent_to(fake, bulk + urgent) == 45, "every message")
        finally:
            await sender.stop()
    order = [int(r.params["chat_id"]) for r in fake.calls("sendMessage") if r.status == 200]
    assert len(order) == 45
    assert set(order[:5]) == set(urgent)


async def test_one_person_gets_at_most_one_message_a_second(
    fake: FakeTelegram, db: Database
) -> None:
    persons = people(fake, 3, 8300)
    for person in persons:
        for n in range(3):
            await queue(db, person, f"message {n}")
    async with ExtBot(fake.token, base_url=fake.base_url) as bot:
        sender = OutboxSender(bot, db)
        await sender.start()
        try:
            await until(lambda: sent_to(fake, persons) == 9, "every message")
        finally:
            await sender.stop()
    _, per_chat = fake.send_peaks()
    assert all(per_chat[person] == 1 for person in persons), per_chat
    for person in persons:
        assert [m["text"] for m in fake.sent_messages(person)] == [f"message {n}" for n in range(3)]


async def test_no_second_carries_more_than_the_overall_limit(
    fake: FakeTelegram, db: Database
) -> None:
    persons = people(fake, 80, 8400)
    for person in persons:
        await queue(db, person, "notice")
    async with ExtBot(
        fake.token, base_url=fake.base_url, rate_limiter=rate_limiter(20, per_second=30)
    ) as bot:
        sender = OutboxSender(bot, db)
        await sender.start()
        try:
            await until(lambda: sent_to(fake, persons) == 80, "every notice")
        finally:
            await sender.stop()
    overall, _ = fake.send_peaks()
    assert overall <= 30, overall


async def test_the_next_due_message_is_found_through_an_index(db: Database) -> None:
    for n in range(300):
        await queue(db, 9000 + n % 7, f"m{n}")
    for sql, params in (
        (outbox._LANE_HEADS, (0, time.time(), 10)),
        ("SELECT MIN(due_at) AS t FROM outbox_lanes WHERE due_at > ?", (0.0,)),
    ):
        plan = " | ".join(
            str(row[3]) for row in await db.fetchall(f"EXPLAIN QUERY PLAN {sql}", params)
        )
        assert "SCAN" not in plan, plan
        assert "USING INDEX outbox_lanes" in plan or "COVERING INDEX outbox_lanes" in plan, plan
    heads = await outbox.due(db, limit=50)
    assert sorted(h.chat_id for h in heads) == [9000 + n for n in range(7)]
    assert all(h.payload["text"] == f"m{h.chat_id - 9000}" for h in heads)
