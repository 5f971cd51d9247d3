"""Submissions per second: stored, taken end to end through the bot, and delivered.

Runs the real bot against the fake Bot API (tests/fake_telegram.py) on 127.0.0.1.
Run: python bench/pipeline.py [--users 40] [--store 2000] [--deliver 300]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Bot
from telegram.ext import ExtBot

from bot.app import rate_limiter
from bot.outbox import OutboxSender
from storage import audit, outbox, submissions
from storage.db import Database
from tests.fake_telegram import FakeTelegram
from tests.harness import BotThread, button_data, make_settings

GROUP_ID = -1001000000001


async def store(count: int, folder: Path) -> float:
    """What one submission costs in SQLite: row, audit entry and card in one transaction."""
    async with Database(folder / "store.sqlite3") as db:
        await db.migrate()
        started = time.perf_counter()
        for i in range(count):
            async with db.transaction() as conn:
                sid, _ = await submissions.create_in(
                    conn, kind="contribution", source_key=f"bench:{i}", user_id=1000 + i % 50,
                    language="km", topic="education", text="ការអប់រំ AI " * 20, attachments=[],
                )  # fmt: skip
                await audit.record_in(
                    conn, actor_id=1000, actor_role="person", action="submit",
                    subject=f"submission:{sid}", to_state="open",
                )  # fmt: skip
                await outbox.enqueue_in(
                    conn, dedup_key=f"card:{sid}", chat_id=GROUP_ID, method="send_message",
                    payload={"text": "card"},
                )  # fmt: skip
        return count / (time.perf_counter() - started)


def end_to_end(users: int, folder: Path) -> tuple[float, float]:
    """People sending contributions at the same time, through the real bot."""
    with FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz") as fake:
        fake.group(GROUP_ID)
        settings = make_settings(
            fake, folder / "e2e.sqlite3", SUBMISSION_LIMIT="1000", GROUP_MESSAGES_PER_MINUTE="20"
        )
        with BotThread(settings):
            people = [fake.user(20_000 + i, language_code="km") for i in range(users)]
            started = time.perf_counter()
            threads = [threading.Thread(target=_one_person, args=(fake, p)) for p in people]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            stored = users / (time.perf_counter() - started)
            # Cards go to one group, which Telegram allows about 20 messages a minute.
            last = f"C-{users:06d}"
            fake.wait_for_message(GROUP_ID, text_contains=last, timeout=users * 4 + 30)
            cards = len(fake.sent_messages(GROUP_ID))
            assert cards == users, cards
            return stored, cards / (time.perf_counter() - started)


def _one_person(fake: FakeTelegram, person: object) -> None:
    user = person  # a FakeUser
    mark = fake.mark()
    user.send("/contribute")  # type: ignore[attr-defined]
    topics = fake.wait_for_message(user.id, after=mark, timeout=120)  # type: ignore[attr-defined]
    mark = fake.mark()
    user.press(topics, "ctb:topic:education")  # type: ignore[attr-defined]
    fake.wait_for_edit(user.id, topics["message_id"], after=mark, timeout=120)  # type: ignore[attr-defined]
    mark = fake.mark()
    user.send("សូមបញ្ចូល AI ក្នុងការអប់រំ")  # type: ignore[attr-defined]
    ack = fake.wait_for_message(user.id, after=mark, timeout=120)  # type: ignore[attr-defined]
    mark = fake.mark()
    user.press(ack, "ctb:done")  # type: ignore[attr-defined]
    summary = fake.wait_for_edit(user.id, ack["message_id"], after=mark, timeout=120)  # type: ignore[attr-defined]
    assert "ctb:send" in button_data(summary)
    mark = fake.mark()
    user.press(summary, "ctb:send")  # type: ignore[attr-defined]
    fake.wait_for_edit(user.id, ack["message_id"], after=mark, timeout=120)  # type: ignore[attr-defined]


async def deliver(count: int, folder: Path, limited: bool) -> float:
    """The outbox sending notifications to people, with or without Telegram's rate limits."""
    with FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz") as fake:
        people = [fake.user(30_000 + i, language_code="en") for i in range(count)]
        for p in people:
            p.send("/start")  # they wrote first, so the bot may write to them
        name = "limited" if limited else "raw"
        async with Database(folder / f"deliver-{name}.sqlite3") as db:
            await db.migrate()
            async with db.transaction() as conn:
                for p in people:
                    await outbox.enqueue_in(
                        conn, dedup_key=f"n:{p.id}", chat_id=p.id, method="send_message",
                        payload={"text": "Your contribution <b>C-000001</b> has been accepted."},
                    )  # fmt: skip
            bot: Bot = ExtBot(
                fake.token, base_url=fake.base_url,
                rate_limiter=rate_limiter(20) if limited else None,
            )  # fmt: skip
            async with bot:
                sender = OutboxSender(bot, db)
                started = time.perf_counter()
                while await sender.deliver_due():
                    pass
                elapsed = time.perf_counter() - started
            counts = await outbox.counts(db)
            assert counts.get("sent") == count, counts
            return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--store", type=int, default=2000)
    parser.add_argument("--deliver", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rate = asyncio.run(store(args.store, folder))
        print(f"stored (row + audit + card in one transaction): {rate:,.0f} submissions/s")
        stored, cards = end_to_end(args.users, folder)
        print(
            f"end to end, {args.users} people at once (/contribute → Send → reference):"
            f" {stored:,.1f} submissions/s (each takes 5 Bot API calls that count against"
            " Telegram's 30/s); all cards in the group after"
            f" {args.users / cards:,.0f} s, {cards * 60:,.1f} a minute (Telegram allows a group 20)"
        )
        raw = asyncio.run(deliver(args.deliver, folder, limited=False))
        print(f"outbox delivery to people, no rate limiter: {raw:,.0f} messages/s")
        limited = asyncio.run(deliver(args.deliver, folder, limited=True))
        print(f"outbox delivery to people, with the bot's rate limiter: {limited:,.1f} messages/s")


if __name__ == "__main__":
    main()
