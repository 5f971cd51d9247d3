"""Nothing is lost and nothing is done twice: duplicates, SIGKILL mid-handler, webhooks, logs."""

from __future__ import annotations

import json
import socket
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.fake_telegram import FakeTelegram
from tests.harness import BotProcess, BotThread, bot_env, eventually

HELP_HEADING = "What this bot can do"


def inbox_row(db_path: Path, update_id: int) -> tuple[str, int, str | None] | None:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT status, attempts, payload FROM inbox WHERE update_id = ?", (update_id,)
        ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def help_replies(fake: FakeTelegram, chat_id: int) -> int:
    return sum(HELP_HEADING in m.get("text", "") for m in fake.sent_messages(chat_id))


def test_the_same_update_delivered_twice_is_handled_once(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(2001, language_code="en")
    user.send("/help")  # the fake's first update: update_id 1
    fake.wait_for_message(user.id, text_contains=HELP_HEADING)
    fake.inject_duplicate(1)
    mark = fake.mark()
    user.send("/privacy")
    fake.wait_for_message(user.id, text_contains="What the bot stores", after=mark)
    assert help_replies(fake, user.id) == 1
    assert inbox_row(db_path, 1) == ("done", 1, None)


def test_sigkill_while_handling_loses_nothing_and_repeats_nothing(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    env = bot_env(fake, db_path)
    bot = BotProcess(env, tmp_path / "bot.log").start()
    user = fake.user(2002, language_code="en")
    user.send("/start")  # update 1
    fake.wait_for_message(user.id, text_contains="Welcome", timeout=30)

    fake.fail_next("sendMessage", "stall")
    user.send("/help")  # update 2: its reply is in flight when the process dies
    fake.wait_stalled(timeout=10)
    bot.kill()
    assert inbox_row(db_path, 2) is not None
    assert inbox_row(db_path, 2)[0] == "pending"  # type: ignore[index]
    assert help_replies(fake, user.id) == 0

    restarted = BotProcess(env, tmp_path / "bot.log").start()
    try:
        fake.wait_for_message(user.id, text_contains=HELP_HEADING, timeout=30)
        eventually(lambda: (inbox_row(db_path, 2) or ("",))[0] == "done", what="update 2 done")
        mark = fake.mark()
        user.send("/privacy")
        fake.wait_for_message(user.id, text_contains="What the bot stores", after=mark, timeout=30)
    finally:
        assert restarted.terminate() == 0
    assert help_replies(fake, user.id) == 1
    status, attempts, payload = inbox_row(db_path, 2)  # type: ignore[misc]
    assert (status, attempts, payload) == ("done", 2, None)
    welcome = [m for m in fake.sent_messages(user.id) if "Welcome" in m.get("text", "")]
    assert len(welcome) == 1


def test_logs_carry_neither_the_token_nor_what_people_wrote(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    env = bot_env(fake, db_path, LOG_LEVEL="DEBUG")
    bot = BotProcess(env, tmp_path / "bot.log").start()
    user = fake.user(2003, language_code="en")
    secret_question = "my secret question about zebra-unicorns 7731"
    user.send(secret_question)
    fake.wait_for_message(user.id, timeout=30)
    assert bot.terminate() == 0
    log = bot.log()
    assert "running (polling)" in log
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log
    assert "zebra-unicorns" not in log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post_update(url: str, secret: str, update: dict[str, object]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_webhook_mode_stores_then_answers_and_checks_the_secret(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = bot_env(
        fake,
        db_path,
        WEBHOOK_URL=url,
        WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    bot = BotProcess(env, tmp_path / "bot.log", "run", "--webhook").start()
    try:
        set_webhook = fake.wait_for_request("setWebhook", timeout=30)
        assert set_webhook.params["url"] == url
        assert set_webhook.params["secret_token"] == "s3cret-token"
        user = fake.user(2004, language_code="en")
        # The fake queues the update for getUpdates; in webhook mode we deliver it instead.
        user.send("/help")
        update = fake.pending_updates[-1]
        update_id = int(update["update_id"])
        assert post_update(url, "wrong", update) == 403
        assert post_update(url, "s3cret-token", {"not": "an update"}) == 400
        assert post_update(url, "s3cret-token", update) == 200
        assert post_update(url, "s3cret-token", update) == 200  # Telegram retrying
        fake.wait_for_message(user.id, text_contains=HELP_HEADING, timeout=30)
        eventually(lambda: (inbox_row(db_path, update_id) or ("",))[0] == "done", what="done")
    finally:
        assert bot.terminate() == 0
    assert help_replies(fake, user.id) == 1


def test_a_5xx_while_answering_is_retried_and_answered_once(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(2005, language_code="en")
    fake.fail_next("sendMessage", "500")
    user.send("/help")  # update 1
    fake.wait_for_message(user.id, text_contains=HELP_HEADING, timeout=20)
    eventually(lambda: (inbox_row(db_path, 1) or ("",))[0] == "done", what="update 1 done")
    assert inbox_row(db_path, 1) == ("done", 2, None)
    assert help_replies(fake, user.id) == 1


def test_an_update_that_keeps_failing_is_set_aside_and_the_chat_goes_on(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(2006, language_code="en")
    fake.fail_next("sendMessage", "502", count=3)
    user.send("/help")  # update 1: three attempts, three 502s
    eventually(lambda: (inbox_row(db_path, 1) or ("",))[0] == "failed", timeout=30)
    mark = fake.mark()
    user.send("/privacy")
    fake.wait_for_message(user.id, text_contains="What the bot stores", after=mark, timeout=20)
    status, attempts, payload = inbox_row(db_path, 1)  # type: ignore[misc]
    assert (status, attempts, payload) == ("failed", 3, None)


def test_a_token_telegram_rejects_stops_the_bot_with_one_line(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    env = bot_env(fake, db_path, BOT_TOKEN="999999:WRONG-TOKEN-abcdefghijklmnop")
    bot = BotProcess(env, tmp_path / "bot.log").start()
    assert bot.proc is not None
    assert bot.proc.wait(60) == 2
    assert "configuration error: BOT_TOKEN was rejected by Telegram" in bot.log()
    assert "Traceback" not in bot.log()
    assert "WRONG-TOKEN" not in bot.log()
