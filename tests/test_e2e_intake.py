"""The doors of the inbox and updates the framework cannot parse, in both modes."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.fake_telegram import FakeTelegram
from tests.harness import BotProcess, BotThread, bot_env, eventually, make_settings
from tests.test_e2e_durability import free_port, inbox_row, post_update

HELP_HEADING = "What this bot can do"
PRIVACY_HEADING = "What the bot stores"
# In the poisoned updates' sender name and text: must never reach the log.
SECRET_NAME = "Zebracorn7731"


@contextmanager
def database_locked(db_path: Path) -> Iterator[None]:
    """Another writer holds the database: the bot's commits wait until it lets go."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def confirmed_past(fake: FakeTelegram, update_id: int) -> bool:
    """Whether any getUpdates so far told Telegram that update_id was received."""
    return any(int(r.params.get("offset") or 0) > update_id for r in fake.calls("getUpdates"))


def test_polling_confirms_an_offset_only_after_the_commit(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(3101, language_code="en")
    user.send("/help")
    fake.wait_for_message(user.id, text_contains=HELP_HEADING)
    with database_locked(db_path):
        update_id = int(user.send("/privacy")["update_id"])
        # The bot has received it and is waiting to commit it.
        eventually(
            lambda: any(
                u["update_id"] == update_id
                for r in fake.calls("getUpdates")
                for u in (r.response or {}).get("result", [])
            ),
            what="the update handed to the bot",
        )
        time.sleep(1.0)
        assert not confirmed_past(fake, update_id)
        assert update_id in [u["update_id"] for u in fake.pending_updates]
        assert inbox_row(db_path, update_id) is None
    fake.wait_for_message(user.id, text_contains=PRIVACY_HEADING, timeout=20)
    eventually(lambda: confirmed_past(fake, update_id), what="the offset confirmed")
    eventually(lambda: inbox_row(db_path, update_id) == ("done", 1, None), what="done once")


def test_webhook_answers_200_only_after_the_commit(fake: FakeTelegram, db_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = make_settings(
        fake,
        db_path,
        WEBHOOK_URL=url,
        WEBHOOK_SECRET="door-secret",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    with BotThread(settings, mode="webhook"):
        fake.wait_for_request("setWebhook", timeout=20)
        user = fake.user(3102, language_code="en")
        user.send("/help")
        update = fake.pending_updates[-1]
        answers: list[int] = []
        with database_locked(db_path):
            poster = threading.Thread(
                target=lambda: answers.append(post_update(url, "door-secret", update))
            )
            poster.start()
            poster.join(1.0)
            # Not committed yet, so not answered yet.
            assert poster.is_alive() and answers == []
        poster.join(10)
        assert answers == [200]
        assert inbox_row(db_path, int(update["update_id"])) is not None
        fake.wait_for_message(user.id, text_contains=HELP_HEADING, timeout=20)


def test_polling_sets_aside_what_cannot_be_parsed_and_keeps_answering(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    user = fake.user(
        3103, first_name=SECRET_NAME, username="zebra_" + SECRET_NAME, language_code="en"
    )
    no_date = fake.queue_unparseable(user, "message_without_date")
    poll = fake.queue_unparseable(user, "poll_without_field")
    user.send("/help")
    env = bot_env(fake, db_path, LOG_LEVEL="DEBUG")
    bot = BotProcess(env, tmp_path / "bot.log").start()
    try:
        fake.wait_for_message(user.id, text_contains=HELP_HEADING, timeout=30)
        eventually(lambda: fake.pending_updates == [], what="every update confirmed")
    finally:
        assert bot.terminate() == 0
    # A restart finds nothing left to choke on, and answers.
    bot = BotProcess(env, tmp_path / "bot.log").start()
    try:
        mark = fake.mark()
        user.send("/privacy")
        fake.wait_for_message(user.id, text_contains=PRIVACY_HEADING, after=mark, timeout=30)
    finally:
        assert bot.terminate() == 0
    for update in (no_date, poll):
        status, attempts, payload = inbox_row(db_path, int(update["update_id"]))  # type: ignore[misc]
        assert (status, attempts) == ("failed", 0)
        assert payload is not None  # stored, for whoever looks into it
        assert poison_reason(db_path, int(update["update_id"])).startswith("poison: unparseable")
    assert SECRET_NAME not in bot.log()
    assert "could not be parsed" in bot.log()


def poison_reason(db_path: Path, update_id: int) -> str:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT error FROM inbox WHERE update_id = ?", (update_id,)).fetchone()
    return str(row[0])


def test_webhook_sets_aside_what_cannot_be_parsed_and_refuses_huge_ids(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = bot_env(
        fake,
        db_path,
        LOG_LEVEL="DEBUG",
        WEBHOOK_URL=url,
        WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    bot = BotProcess(env, tmp_path / "bot.log", "run", "--webhook").start()
    try:
        fake.wait_for_request("setWebhook", timeout=30)
        user = fake.user(3104, first_name=SECRET_NAME, language_code="en")
        poisoned = [
            fake.queue_unparseable(user, "message_without_date"),
            fake.queue_unparseable(user, "poll_without_field"),
        ]
        for update in poisoned:
            assert post_update(url, "s3cret-token", update) == 200
        user.send("/help")
        help_update = fake.pending_updates[-1]
        huge = {**help_update, "update_id": 2**63}
        assert post_update(url, "s3cret-token", huge) == 400
        huge_chat = {**help_update, "update_id": int(help_update["update_id"]) + 100}
        huge_chat["message"] = {**help_update["message"], "chat": {"id": 2**70, "type": "private"}}
        assert post_update(url, "s3cret-token", huge_chat) == 200
        assert post_update(url, "s3cret-token", help_update) == 200
        fake.wait_for_message(user.id, text_contains=HELP_HEADING, timeout=30)
        mark = fake.mark()
        user.send("/privacy")
        assert post_update(url, "s3cret-token", fake.pending_updates[-1]) == 200
        fake.wait_for_message(user.id, text_contains=PRIVACY_HEADING, after=mark, timeout=30)
    finally:
        assert bot.terminate() == 0
    for update in poisoned:
        assert inbox_row(db_path, int(update["update_id"]))[0] == "failed"  # type: ignore[index]
    assert (
        poison_reason(db_path, int(huge_chat["update_id"])) == "poison: an integer is out of range"
    )
    log = bot.log()
    assert SECRET_NAME not in log
    assert "Traceback" not in log


def test_stopping_while_an_unparseable_update_waits_stops_cleanly(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    bot = start_bot()
    user = fake.user(3105, language_code="en")
    user.send("/help")
    fake.wait_for_message(user.id, text_contains=HELP_HEADING)
    fake.fail_next("getUpdates", "stall")
    user.send("/privacy")  # ends the current long poll: the next one stalls
    fake.wait_stalled()
    fake.queue_unparseable(user, "poll_without_field")
    # On the way out the bot confirms its offset; the answer carries the unparseable update.
    bot.stop()
    assert bot.error is None
