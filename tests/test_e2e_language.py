"""Khmer first: the app's language when the bot speaks it, Khmer with a one-tap switch otherwise."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fake_telegram import FakeTelegram
from tests.harness import BotThread, button_data

HINT_EN = "Prefer English? Press “English” below."
HINT_KM = "ចង់ប្រើភាសាខ្មែរ? សូមចុច «ខ្មែរ» ខាងក្រោម។"


@pytest.mark.parametrize("app_language", [None, "fr", "zh-hans"])
def test_an_unknown_app_language_is_greeted_in_khmer_with_a_switch_to_english(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], app_language: str | None
) -> None:
    start_bot()
    user = fake.user(7001, language_code=app_language)
    mark = fake.mark()
    user.send("/start")
    greeting = fake.wait_for_message(user.id, after=mark)
    assert greeting["text"].startswith("សូមស្វាគមន៍")
    assert greeting["text"].endswith(HINT_EN)
    assert "lang:en" in button_data(greeting)

    mark = fake.mark()
    user.press(greeting, "lang:en")
    assert (
        "What would you like to do?"
        in fake.wait_for_edit(user.id, greeting["message_id"], after=mark)["text"]
    )
    mark = fake.mark()
    user.send("/start")
    again = fake.wait_for_message(user.id, after=mark)
    assert again["text"].startswith("Welcome!") and HINT_EN not in again["text"]


@pytest.mark.parametrize(
    ("app_language", "opening"), [("km", "សូមស្វាគមន៍"), ("en", "Welcome!"), ("en-US", "Welcome!")]
)
def test_a_known_app_language_is_followed_without_a_hint(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], app_language: str, opening: str
) -> None:
    start_bot()
    user = fake.user(7002, language_code=app_language)
    mark = fake.mark()
    user.send("/start")
    text = fake.wait_for_message(user.id, after=mark)["text"]
    assert text.startswith(opening)
    assert HINT_EN not in text and HINT_KM not in text


def test_default_language_english_greets_unknown_apps_in_english_with_a_switch_to_khmer(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot(DEFAULT_LANGUAGE="en")
    user = fake.user(7003, language_code="de")
    mark = fake.mark()
    user.send("/start")
    text = fake.wait_for_message(user.id, after=mark)["text"]
    assert text.startswith("Welcome!") and text.endswith(HINT_KM)


def test_an_error_is_apologised_for_in_the_persons_language(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.handlers import start as start_handlers

    async def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(start_handlers, "help_command", broken)
    start_bot()
    user = fake.user(7004, language_code="en")
    mark = fake.mark()
    user.send("/help")
    assert "went wrong" in fake.wait_for_message(user.id, after=mark)["text"]


def test_event_dates_and_the_article_link_come_from_the_settings(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot(
        CONSULTATION_DATES="2027-05-12/2027-05-20",
        WORKSHOP_DATE="2027-06-03",
        ARTICLE_URL="https://example.org/news/nais?id=7&lang=en",
    )
    user = fake.user(7005, language_code="km")
    mark = fake.mark()
    user.send("/start faq_nais_events")
    answer = fake.wait_for_message(user.id, after=mark)
    assert "ថ្ងៃទី ១២–២០ ខែឧសភា ឆ្នាំ ២០២៧" in answer["text"]
    assert "ថ្ងៃទី ៣ ខែមិថុនា ឆ្នាំ ២០២៧" in answer["text"]
    assert "ប្រភព៖ អត្ថបទ" in answer["text"]
    links = [e["url"] for e in answer.get("entities", []) if e["type"] == "text_link"]
    assert links == ["https://example.org/news/nais?id=7&lang=en"]
