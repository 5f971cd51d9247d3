"""Unfinished forms are dropped after DRAFT_RETENTION_DAYS, and /privacy says so."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from storage import consent, conversations, drafts, registrations, retention
from storage.db import Database
from tests.fake_telegram import FakeTelegram
from tests.harness import BotThread, eventually

DAY = 24 * 3600.0
FORMS = {"registration_form": "registration", "contribution_form": "contribution"}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "bot.sqlite3") as database:
        await database.migrate()
        yield database


async def registration_draft(db: Database, user_id: int, at: float) -> int:
    async with db.transaction() as conn:
        given = await consent.give_in(conn, user_id, "registration", "2026-11", now=at)
        await registrations.open_draft_in(
            conn, user_id, given.id, registrations.Answers(kind="expert"), False, now=at
        )
    await conversations.save(db, [("registration", (user_id, user_id), 2)])
    return given.id


async def test_drafts_older_than_the_limit_go_with_their_step(db: Database) -> None:
    now = time.time()
    old_consent = await registration_draft(db, 1, now - 31 * DAY)
    await registration_draft(db, 2, now - 29 * DAY)
    # A contribution started 40 days ago and added to today counts from today.
    await drafts.start_draft(db, 3)
    async with db.transaction() as conn:
        await conn.execute("UPDATE contribution_drafts SET created_at = ?", (now - 40 * DAY,))
    await drafts.add_draft_text(db, 3, 100, "my thoughts on data centres")
    await conversations.save(db, [("contribution", (3, 3), 1), ("registration", (3, 3), 4)])

    assert await retention.drop_unfinished_forms(db, 30 * DAY, **FORMS) == 1
    assert await registrations.get_draft(db, 1) is None
    assert await registrations.get_draft(db, 2) is not None
    assert await drafts.get_draft(db, 3) is not None
    rows = await db.fetchall("SELECT withdrawn_at FROM consents WHERE id = ?", (old_consent,))
    assert rows[0]["withdrawn_at"] is not None  # the consent given for the form ends with it
    assert (1, 1) not in await conversations.load_all(db, "registration")

    later = now + 31 * DAY
    assert await retention.drop_unfinished_forms(db, 30 * DAY, **FORMS, now=later) == 2
    assert await drafts.get_draft(db, 3) is None
    leftover = await db.fetchone("SELECT COUNT(*) AS n FROM contribution_draft_texts")
    assert leftover is not None and leftover["n"] == 0
    assert await conversations.load_all(db, "contribution") == {}
    # a form not dropped keeps its step: person 3's registration form had no stale draft
    assert await conversations.load_all(db, "registration") == {(3, 3): 4}


def test_a_stale_form_is_dropped_by_the_running_bot(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    bot = start_bot(FLOOD_LIMIT="1000")
    stale = fake.user(7201, language_code="en")
    fresh = fake.user(7202, language_code="km")
    for person in (stale, fresh):
        mark = fake.mark()
        person.send("/register")
        notice = fake.wait_for_message(person.id, after=mark)
        mark = fake.mark()
        person.press(notice, "reg:agree")
        fake.wait_for_edit(person.id, notice["message_id"], after=mark)
    bot.stop()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE registration_drafts SET updated_at = ? WHERE user_id = ?",
            (time.time() - 40 * DAY, stale.id),
        )

    start_bot(FLOOD_LIMIT="1000")

    def drafts() -> list[int]:
        with sqlite3.connect(db_path) as conn:
            return [r[0] for r in conn.execute("SELECT user_id FROM registration_drafts")]

    eventually(lambda: drafts() == [fresh.id], what="the stale draft dropped")
    with sqlite3.connect(db_path) as conn:
        keys = [json.loads(r[0]) for r in conn.execute("SELECT key FROM conversations")]
    assert keys == [[fresh.id, fresh.id]]
    # The person comes back to the form: it says it has closed, and how to start again.
    mark = fake.mark()
    stale.press_raw(1, "reg:kind:expert")
    assert "no longer open" in fake.wait_for_message(stale.id, after=mark)["text"]

    mark = fake.mark()
    stale.send("/privacy")
    notice = fake.wait_for_message(stale.id, text_contains="Unfinished forms", after=mark)
    assert "deleted 30 days after you last worked on it" in notice["text"]
    reader = fake.user(7203, language_code="km")
    mark = fake.mark()
    reader.send("/privacy")
    notice = fake.wait_for_message(reader.id, text_contains="ទម្រង់មិនទាន់បញ្ចប់", after=mark)
    assert "៣០ ថ្ងៃ" in notice["text"]
