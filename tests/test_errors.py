"""The error handler: the apology in the person's own language; broken text is not a network
error to retry."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import TypeHandler

from bot.context import BotContext
from bot.contributions import service
from bot.handlers import errors
from bot.intake import parse_update, store
from bot.processor import InboxProcessor
from storage import outbox, users
from tests.app_driver import GROUP_ID, MODERATOR, Driver
from tests.harness import button_data


def _fail(driver: Driver, update_json: dict[str, object], error: Exception) -> None:
    assert driver.app is not None
    update = Update.de_json(update_json, driver.app.bot)
    context = BotContext.from_error(update, error, driver.app)
    driver.run(errors.on_error(update, context))


def test_the_apology_is_in_the_persons_own_language(driver: Driver) -> None:
    khmer_app = driver.fake.user(6001, language_code="km")
    chose_khmer = driver.fake.user(6002, language_code="en")
    driver.run(users.touch(driver.db, chose_khmer.id))
    driver.run(users.set_language(driver.db, chose_khmer.id, "km"))
    for user in (khmer_app, chose_khmer):
        mark = driver.fake.mark()
        _fail(driver, user.send("hello"), RuntimeError("a bug"))
        apology = driver.fake.wait_for_message(user.id, after=mark)
        assert apology["text"] == driver.data.i18n.get("km", "error-generic")


def _through_the_inbox(
    driver: Driver, update_json: dict[str, object], error: Exception
) -> tuple[str, int]:
    """The update stored and handed to the processor, its first handling failing with `error`
    before any feature runs; the inbox row's status and attempts once it is finished."""
    assert driver.app is not None
    app = driver.app
    failures = [error]

    async def fail_once(update: Update, context: BotContext) -> None:
        if failures:
            raise failures.pop()

    first = TypeHandler(Update, fail_once)
    app.add_handler(first, group=-100)

    async def run() -> tuple[str, int]:
        processor = InboxProcessor(app, driver.db, workers=1)
        await store(driver.db, [parse_update(update_json, app.bot)], processor)
        await processor.start()
        try:
            for _ in range(400):
                row = await driver.db.fetchone(
                    "SELECT status, attempts FROM inbox WHERE update_id = ?",
                    (update_json["update_id"],),
                )
                if row is not None and row["status"] != "pending":
                    return str(row["status"]), int(row["attempts"])
                await asyncio.sleep(0.05)
            raise AssertionError("the update was not finished")
        finally:
            await processor.stop()

    try:
        return driver.run(run())
    finally:
        app.remove_handler(first, group=-100)


def test_text_that_cannot_be_encoded_is_not_retried_as_a_network_error(driver: Driver) -> None:
    user = driver.fake.user(6003, language_code="km")
    apology = driver.data.i18n.get("km", "error-generic")
    try:
        "\ud800".encode()
    except UnicodeEncodeError as cause:
        error = NetworkError(f"Unknown error in HTTP implementation: {cause!r}")
        error.__cause__ = cause
    mark = driver.fake.mark()
    # Handled once and finished: no second attempt, and the person is told.
    assert _through_the_inbox(driver, user.send("hello"), error) == ("done", 1)
    assert driver.fake.wait_for_message(user.id, apology, after=mark)["text"] == apology
    # A real network error is retried: a second attempt answers, and there is no apology.
    mark = driver.fake.mark()
    retried = _through_the_inbox(driver, user.send("/help"), NetworkError("Bad Gateway"))
    assert retried == ("done", 2)
    assert driver.fake.wait_for_message(user.id, after=mark)["text"] != apology
    assert [m["text"] for m in driver.fake.sent_messages(user.id)].count(apology) == 1


def test_a_card_telegram_refuses_is_sent_again_as_plain_text_and_the_moderators_told(
    driver: Driver,
) -> None:
    user = driver.fake.user(6004, language_code="en")
    driver.handle(user.send("Is there a scholarship for AI students?"))
    driver.press(user, driver.fake.last_message(user.id), "faq:ask")
    first_card = driver.fake.last_message(GROUP_ID)
    assert "Q-000001" in first_card["text"]
    # A card queued by an older version: too long once Telegram counts UTF-16 units.
    too_long = "📥 <b>Q-000001</b> · Question\n\n" + "😀 &lt;" * 1500

    async def queue_old_card() -> None:
        async with driver.db.transaction() as conn:
            await outbox.enqueue_in(
                conn, dedup_key="card:1:old", chat_id=GROUP_ID, method="send_message",
                payload={"text": too_long, "reply_markup": button_markup()},
                on_sent=service.CARD_HOOK,
            )  # fmt: skip

    driver.run(queue_old_card())
    driver.flush_outbox()
    sent = [
        m for m in driver.fake.sent_messages(GROUP_ID) if m["message_id"] > first_card["message_id"]
    ]
    assert "refused the card of Q-000001" in sent[0]["text"]
    assert "Q-000001" in sent[1]["text"] and "mod:ok:1" in button_data(sent[1])
    shown = "".join(m["text"].split("\n\n", 1)[1] for m in sent[2:])
    assert sent[1]["text"].count("😀") + shown.count("😀") == 1500
    # A reply to the plain card is routed like one to any card.
    group = driver.fake.group(GROUP_ID)
    driver.handle(group.send(driver.fake.user(MODERATOR), "We will say in June.", reply_to=sent[1]))
    driver.flush_outbox()
    assert "We will say in June." in driver.fake.last_message(user.id)["text"]


def button_markup() -> dict[str, object]:
    return {"inline_keyboard": [[{"text": "Approve", "callback_data": "mod:ok:1"}]]}
