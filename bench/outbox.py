"""The outbox under a backlog: people's messages beside 50 group cards, and the due query.

Against the fake Bot API (tests/fake_telegram.py) on 127.0.0.1, through the bot's own rate
limiter (30 messages/s overall, 20 a minute to a group):

- 50 cards queued for the moderators' group ahead of 60 notifications to 60 people: when
  the people's messages left, how many cards went meanwhile, and the most sends Telegram saw
  in any one second (overall, per person) and in any minute (the group);
- the query that finds the next due message, with 1,000 pending for one chat and on an
  outbox of 100,000 rows.

Run: python bench/outbox.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import ExtBot

from bot.app import rate_limiter
from bot.outbox import OutboxSender
from storage import outbox
from storage.db import Database
from tests.fake_telegram import FakeTelegram

GROUP_ID = -1001000000001
CARDS = 50
PEOPLE = 60


async def queue(db: Database, chat_id: int, text: str) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue_in(
            conn, dedup_key=f"{chat_id}:{text}", chat_id=chat_id, method="send_message",
            payload={"text": text},
        )  # fmt: skip


async def backlog(folder: Path) -> None:
    with FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz") as fake:
        fake.group(GROUP_ID)
        people = []
        for i in range(PEOPLE):
            user = fake.user(40_000 + i, language_code="en")
            user.send("hi")
            people.append(user.id)
        async with Database(folder / "backlog.sqlite3") as db:
            await db.migrate()
            for n in range(CARDS):
                await queue(db, GROUP_ID, f"card {n}")
            for person in people:
                await queue(db, person, "Your contribution C-000001 has been accepted.")
            async with ExtBot(
                fake.token, base_url=fake.base_url, rate_limiter=rate_limiter(20, 30)
            ) as bot:
                sender = OutboxSender(bot, db, group_interval=60 / 20)
                started = time.time()
                await sender.start()
                # Until every person has theirs and four cards are out (about 9 s).
                while (  # noqa: ASYNC110
                    sum(len(fake.sent_messages(p)) for p in people) < PEOPLE
                    or len(fake.sent_messages(GROUP_ID)) < 4
                ):
                    await asyncio.sleep(0.01)
                await sender.stop()
        times = sorted(
            r.timestamp - started
            for r in fake.calls("sendMessage")
            if str(r.params["chat_id"]) != str(GROUP_ID)
        )
        cards = [
            r.timestamp - started
            for r in fake.calls("sendMessage")
            if str(r.params["chat_id"]) == str(GROUP_ID)
        ]
        overall, per_chat = fake.send_peaks(1.0)
        _, per_minute = fake.send_peaks(60.0)
        print(f"{CARDS} group cards queued ahead of {PEOPLE} messages to {PEOPLE} people:")
        print(f"  first person's message after {times[0]:.2f} s, last after {times[-1]:.2f} s")
        meanwhile = sum(at <= times[-1] for at in cards)
        gaps = ", ".join(f"{b - a:.2f}" for a, b in itertools.pairwise(cards))
        print(f"  group cards sent meanwhile: {meanwhile}; the first four {gaps} s apart")
        print(f"  most sends in any 1 s: {overall} overall (limit 30);"
              f" per person {max(per_chat[p] for p in people)} (limit 1)")  # fmt: skip
        print(f"  most sends to the group in any 60 s: {per_minute.get(GROUP_ID, 0)} (limit 20)")


async def due_query(folder: Path, rows: int) -> None:
    async with Database(folder / "due.sqlite3") as db:
        await db.migrate()
        now = time.time()
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO outbox (dedup_key, chat_id, method, payload, next_attempt_at,"
                " created_at, status) VALUES (?, ?, 'send_message', '{}', ?, ?, ?)",
                [
                    (f"k{i}", 1000 + i % 500, now, now, "pending" if i >= rows - 1000 else "sent")
                    for i in range(rows - 1000)
                ]
                + [(f"one{i}", 7, now, now, "pending") for i in range(1000)],
            )
        for label, call in (
            ("due()", lambda: outbox.due(db, limit=50)),
            ("next_due_at()", lambda: outbox.next_due_at(db, after=now)),
        ):
            started = time.perf_counter()
            for _ in range(100):
                await call()
            each = (time.perf_counter() - started) / 100 * 1000
            print(f"  {label}: {each:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(backlog(Path(tmp)))
        print(f"next due message, 1,000 pending for one chat, {args.rows:,} rows in the outbox:")
        asyncio.run(due_query(Path(tmp), args.rows))


if __name__ == "__main__":
    main()
