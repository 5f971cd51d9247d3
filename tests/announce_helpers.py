"""Setting the scene for announcement tests: people in the database and in the fake."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from storage.db import Database
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.harness import button_data

ADMIN = 9100


def migrate(db_path: Path) -> None:
    async def go() -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        async with Database(db_path) as db:
            await db.migrate()

    asyncio.run(go())


def add_subscribers(
    fake: FakeTelegram, db_path: Path, ids: list[int], topic: str, language: str
) -> None:
    """People who chose a topic earlier (the bot is not asked: that is tested on its own)."""
    migrate(db_path)
    now = time.time()
    for user_id in ids:
        fake.user(user_id, language_code=language)
    # They wrote to the bot once, so it may write to them.
    fake._act(lambda world: world.contacted.update(ids))
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO users (user_id, language, first_seen, last_seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO NOTHING",
            [(i, language, now, now) for i in ids],
        )
        conn.executemany(
            "INSERT INTO subscriptions (user_id, topic, subscribed, language, changed_at)"
            " VALUES (?, ?, 1, ?, ?)",
            [(i, topic, language, now) for i in ids],
        )


def add_participant(
    fake: FakeTelegram, db_path: Path, user_id: int, kind: str, modes: list[str], name: str
) -> None:
    migrate(db_path)
    now = time.time()
    fake.user(user_id, language_code="km")
    fake._act(lambda world: world.contacted.add(user_id))
    with sqlite3.connect(db_path) as conn:
        consent = conn.execute(
            "INSERT INTO consents (user_id, purpose, notice_version, given_at)"
            " VALUES (?, 'registration', '2026-11', ?)",
            (user_id, now),
        ).lastrowid
        conn.execute(
            "INSERT INTO registrations (user_id, consent_id, kind, full_name, organisation,"
            " modes, email, language, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'MPTC', ?, 'p@example.org', 'km', 'confirmed', ?, ?)",
            (user_id, consent, kind, name, json.dumps(modes), now, now),
        )


def announce(
    fake: FakeTelegram,
    admin: FakeUser,
    km: str,
    en: str,
    audience: str,
    when: str | None = None,
    photo: bool = False,
) -> dict[str, Any]:
    """Write an announcement through the bot, up to the preview; returns the summary message."""
    mark = fake.mark()
    admin.send("/announce")
    fake.wait_for_message(admin.id, "step 1 of 5", after=mark)
    mark = fake.mark()
    admin.send(km)
    fake.wait_for_message(admin.id, "Step 2 of 5", after=mark)
    mark = fake.mark()
    admin.send(en)
    ask_media = fake.wait_for_message(admin.id, "Step 3 of 5", after=mark)
    skip = button_data(ask_media)[0]
    announcement_id = skip.split(":")[2]
    mark = fake.mark()
    if photo:
        admin.send_photo()
        ask_audience = fake.wait_for_message(admin.id, "Step 4 of 5", after=mark)
    else:
        admin.press(ask_media, skip)
        ask_audience = fake.wait_for_edit(admin.id, ask_media["message_id"], after=mark)
    assert "Step 4 of 5" in ask_audience["text"]
    mark = fake.mark()
    admin.press(ask_audience, f"an:aud:{announcement_id}:{audience}")
    ask_when = fake.wait_for_edit(admin.id, ask_audience["message_id"], after=mark)
    assert "Step 5 of 5" in ask_when["text"]
    mark = fake.mark()
    if when is None:
        admin.press(ask_when, f"an:now:{announcement_id}")
    else:
        admin.send(when)
    return fake.wait_for_message(admin.id, "Check before sending", after=mark)


def received(fake: FakeTelegram, user_id: int, text: str) -> list[dict[str, Any]]:
    return [
        m for m in fake.sent_messages(user_id) if text in (m.get("text") or m.get("caption") or "")
    ]
