"""The error handler: the apology in the person's own language; broken text is not a network
error to retry."""

from __future__ import annotations

from telegram import Update
from telegram.error import NetworkError

from bot.context import BotContext
from bot.handlers import errors
from storage import users
from tests.app_driver import Driver


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


def test_text_that_cannot_be_encoded_is_not_retried_as_a_network_error(driver: Driver) -> None:
    user = driver.fake.user(6003, language_code="km")
    update = user.send("hello")
    try:
        "\ud800".encode()
    except UnicodeEncodeError as cause:
        error = NetworkError(f"Unknown error in HTTP implementation: {cause!r}")
        error.__cause__ = cause
    mark = driver.fake.mark()
    _fail(driver, update, error)
    assert update["update_id"] not in driver.data.retry_updates
    apology = driver.fake.wait_for_message(user.id, after=mark)
    assert apology["text"] == driver.data.i18n.get("km", "error-generic")
    # A real network error is still retried.
    _fail(driver, update, NetworkError("Bad Gateway"))
    assert update["update_id"] in driver.data.retry_updates
