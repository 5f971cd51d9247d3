"""SIGTERM with work in hand: no new updates taken, the one in hand finished, exit 0, none lost."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from tests.fake_telegram import FakeTelegram
from tests.harness import BotProcess, bot_env, eventually

HELP_HEADING = "What this bot can do"
PRIVACY_HEADING = "Your data and privacy"


def status_of(db_path: Path, update_id: int) -> str | None:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT status FROM inbox WHERE update_id = ?", (update_id,)).fetchone()
    return None if row is None else str(row[0])


def replies(fake: FakeTelegram, chat_id: int, heading: str) -> int:
    return sum(heading in m.get("text", "") for m in fake.sent_messages(chat_id))


def confirmed_offset(fake: FakeTelegram) -> bool:
    """The intake's last getUpdates: it stops polling and tells Telegram what it stored."""
    return any(str(r.params.get("limit")) == "1" for r in fake.calls("getUpdates"))


def start_with_work_in_hand(
    fake: FakeTelegram, db_path: Path, tmp_path: Path, user_id: int
) -> tuple[BotProcess, int]:
    """A bot whose /help reply (update 2) is held by Telegram and /privacy (3) waits behind it."""
    env = bot_env(fake, db_path, SHUTDOWN_TIMEOUT_SECONDS="3")
    bot = BotProcess(env, tmp_path / "bot.log").start()
    user = fake.user(user_id, language_code="en")
    user.send("/start")  # update 1
    fake.wait_for_message(user.id, text_contains="Welcome", timeout=30)
    fake.fail_next("sendMessage", "stall")
    user.send("/help")  # update 2: in hand
    fake.wait_stalled(timeout=10)
    user.send("/privacy")  # update 3: stored, waiting for the chat's update 2
    eventually(lambda: status_of(db_path, 3) == "pending", what="update 3 stored")
    assert bot.proc is not None
    bot.proc.send_signal(signal.SIGTERM)
    eventually(lambda: confirmed_offset(fake), what="polling stopped")
    return bot, user.id


def test_sigterm_finishes_the_update_in_hand_and_exits_0(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    bot, user_id = start_with_work_in_hand(fake, db_path, tmp_path, 7101)
    fake.release_stalled()  # Telegram answers within the bot's grace period
    assert bot.proc is not None
    assert bot.proc.wait(30) == 0
    assert status_of(db_path, 2) == "done"  # finished, not cut short
    assert replies(fake, user_id, HELP_HEADING) == 1
    assert status_of(db_path, 3) == "pending"  # not taken after SIGTERM, not lost either
    assert replies(fake, user_id, PRIVACY_HEADING) == 0
    assert "Traceback" not in bot.log()

    again = BotProcess(bot.env, tmp_path / "bot.log").start()
    try:
        fake.wait_for_message(user_id, text_contains=PRIVACY_HEADING, timeout=30)
        eventually(lambda: status_of(db_path, 3) == "done", what="update 3 done")
    finally:
        assert again.terminate() == 0
    assert replies(fake, user_id, HELP_HEADING) == 1
    assert replies(fake, user_id, PRIVACY_HEADING) == 1


def test_sigterm_cuts_short_what_outlasts_the_grace_period_and_loses_nothing(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    bot, user_id = start_with_work_in_hand(fake, db_path, tmp_path, 7102)
    # Telegram never answers the held call: the bot gives up after SHUTDOWN_TIMEOUT_SECONDS.
    assert bot.proc is not None
    assert bot.proc.wait(30) == 0
    assert status_of(db_path, 2) == "pending"
    assert status_of(db_path, 3) == "pending"
    assert "handled at the next start" in bot.log()

    again = BotProcess(bot.env, tmp_path / "bot.log").start()
    try:
        fake.wait_for_message(user_id, text_contains=PRIVACY_HEADING, timeout=30)
        eventually(lambda: status_of(db_path, 3) == "done", what="update 3 done")
    finally:
        assert again.terminate() == 0
    assert status_of(db_path, 2) == "done"
    assert replies(fake, user_id, HELP_HEADING) == 1
    assert replies(fake, user_id, PRIVACY_HEADING) == 1
